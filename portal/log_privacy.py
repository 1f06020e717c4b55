"""Keep private links, secrets and email addresses out of the logs: a logging filter.

The portal's own log lines never carry them (``tests/portal/test_logs.py``).
This filter is the second line, for lines written by others: Django logs the path of
every 4xx and 5xx response (``django.request``) and ``runserver`` of every request
(``django.server``), and a resident's private tracking link is a path. Installed by
``LOGGING`` (portal/settings/base.py) on those loggers and on the console handler.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings

# The resident's private links, and the token in a pending photo's address.
PRIVATE_PATH = re.compile(r"(/report/(?:track|feedback|photo)/)[^/\s?#\"']+")
# Django's password reset link: /.../reset/<uidb64>/<token>/
RESET_PATH = re.compile(r"(/reset/)[^/\s]+/[^/\s?#\"']+")
SECRET_PARAM = re.compile(
    r"((?:api_key|apikey|token|key|secret|signature|password)=)[^&\s'\"]+", re.IGNORECASE
)
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
HIDDEN = "[hidden]"


def redact(text: str) -> str:
    """The text with private links, reset tokens, secrets and email addresses hidden."""
    text = PRIVATE_PATH.sub(rf"\1{HIDDEN}", text)
    text = RESET_PATH.sub(rf"\1{HIDDEN}/", text)
    text = SECRET_PARAM.sub(rf"\1{HIDDEN}", text)
    ours = getattr(settings, "OUTBOX_MESSAGE_ID_DOMAIN", "")
    return EMAIL_ADDRESS.sub(
        lambda match: match.group(0) if match.group(1) == ours else "[email address]", text
    )


class HidePrivateParts(logging.Filter):
    """Rewrites a record's message (and traceback) with the private parts hidden."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's problem, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
