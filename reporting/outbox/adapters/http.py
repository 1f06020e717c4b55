"""The only place the portal calls ``requests`` for a case system: every call has a timeout.

A drain loop passes its own ``requests.Session`` so connections are kept alive between
messages; polling and one-off calls use a fresh one.
"""

from __future__ import annotations

import re

import requests
from django.conf import settings

from reporting.outbox.adapters.base import DeliveryError

USER_AGENT = "london-asb-portal (outbox)"
RETRYABLE_STATUSES = {408, 409, 425, 429}
SECRET_IN_URL = re.compile(r"((?:api_key|token|key)=)[^&\s'\"]+", re.IGNORECASE)


def _redacted(error: Exception) -> str:
    """The error's text without credentials (requests puts the whole URL in it)."""
    return SECRET_IN_URL.sub(r"\1[hidden]", str(error))


def _timeout() -> float:
    return float(settings.OUTBOX_HTTP_TIMEOUT)


def request(
    method: str, url: str, *, session: requests.Session | None = None, **kwargs
) -> requests.Response:
    """Send one request; network failures and 5xx/429 raise a retryable DeliveryError,
    other 4xx a permanent one. Returns the response for 2xx answers."""
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        response = (session or requests).request(
            method, url, headers=headers, timeout=_timeout(), allow_redirects=False, **kwargs
        )
    except requests.Timeout as error:
        raise DeliveryError(f"Timed out after {_timeout():g}s: {_redacted(error)}") from error
    except requests.RequestException as error:
        raise DeliveryError(f"{type(error).__name__}: {_redacted(error)}") from error
    if 200 <= response.status_code < 300:
        return response
    detail = response.text[:500].strip()
    permanent = 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_STATUSES
    raise DeliveryError(
        f"HTTP {response.status_code} from the case system: {detail}",
        status_code=response.status_code,
        permanent=permanent,
    )


def json_body(response: requests.Response):
    try:
        return response.json()
    except ValueError as error:
        raise DeliveryError(
            f"The case system answered {response.status_code} without valid JSON",
            status_code=response.status_code,
        ) from error
