"""Checking an inbound status update: who sent it (per-borough secret) and what it says.

Plain functions, testable without HTTP; ``views.case_update`` only wires them up.
"""

from __future__ import annotations

import json
import os

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reporting.forwarding.services import CaseUpdate
from reporting.outbox.adapters import signing
from reporting.outbox.models import CaseSystemConfig


class InboundError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def inbound_secret(config: CaseSystemConfig) -> str:
    return os.environ.get(config.inbound_secret_env, "") if config.inbound_secret_env else ""


def authenticate(config: CaseSystemConfig | None, headers, body: bytes) -> None:
    """Only a fresh HMAC signature of the body (X-Signature, X-Timestamp). The secret
    itself is never accepted as a key: a captured request could then be replayed forever,
    and the timestamp check would be skipped."""
    secret = inbound_secret(config) if config is not None else ""
    if not secret:
        raise InboundError(401, "not_configured", "This borough does not accept updates.")
    signature = headers.get(signing.SIGNATURE_HEADER, "")
    if not signature:
        raise InboundError(
            401, "unsigned", "Sign the request: X-Timestamp and X-Signature are required."
        )
    if not signing.verify(
        secret,
        headers.get(signing.TIMESTAMP_HEADER, ""),
        body,
        signature,
        max_skew=settings.FORWARDING_INBOUND_MAX_SKEW_SECONDS,
    ):
        raise InboundError(401, "bad_signature", "The signature or timestamp is not valid.")


# The update's text fields: how many characters are kept, and whether a JSON number may
# stand for it (case systems number their updates and cases).
FIELDS = {
    "update_id": (200, True),
    "reference": (16, False),
    "service_request_id": (200, True),
    "status": (64, False),
    "external_status_code": (64, False),
    "description": (4000, False),
    "updated_datetime": (64, False),
}
# updated_datetime outside these years is refused (year 1 or 9999 cannot go to UTC).
DATE_YEARS = (1970, 2999)


def _text(data: dict, name: str) -> str:
    """A text field of the update, '' when absent or null; InboundError when it is of
    another type or holds what no text column can (NUL, a lone surrogate)."""
    value = data.get(name)
    limit, number_ok = FIELDS[name]
    if value is None:
        return ""
    if number_ok and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        kind = "a string or a whole number" if number_ok else "a string"
        raise InboundError(400, "invalid_field", f"{name} must be {kind}.")
    if "\x00" in value:
        raise InboundError(400, "invalid_field", f"{name} must not contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, from a \ud800 escape
        raise InboundError(400, "invalid_field", f"{name} must be valid Unicode text.") from None
    return value.strip()[:limit]


def _when(raw: str):
    message = "updated_datetime must be ISO 8601 with a time zone."
    if not raw:
        return timezone.now()
    try:  # None when not shaped like a date-time; ValueError for 30 February or 25:00
        when = parse_datetime(raw)
    except ValueError:
        when = None
    if when is None or timezone.is_naive(when):
        raise InboundError(400, "invalid_datetime", message)
    if not DATE_YEARS[0] <= when.year <= DATE_YEARS[1]:
        raise InboundError(
            400,
            "invalid_datetime",
            f"updated_datetime must be between {DATE_YEARS[0]} and {DATE_YEARS[1]}.",
        )
    return when


def parse_update(body: bytes) -> CaseUpdate:
    try:
        data = json.loads(body or b"")
    except ValueError:
        raise InboundError(400, "invalid_json", "The body is not valid JSON.") from None
    except RecursionError:
        raise InboundError(400, "invalid_json", "The body is nested too deeply.") from None
    if not isinstance(data, dict):
        raise InboundError(400, "invalid_json", "The body must be a JSON object.")
    fields = {name: _text(data, name) for name in FIELDS}
    missing = [
        name
        for name, value in (
            ("update_id", fields["update_id"]),
            (
                "reference or service_request_id",
                fields["reference"] or fields["service_request_id"],
            ),
            ("status", fields["status"]),
        )
        if not value
    ]
    if missing:
        raise InboundError(400, "missing_fields", "Missing: " + ", ".join(missing))
    return CaseUpdate(
        update_id=fields["update_id"],
        status=fields["status"],
        external_status_code=fields["external_status_code"],
        description=fields["description"],
        updated_datetime=_when(fields["updated_datetime"]),
        reference=fields["reference"],
        service_request_id=fields["service_request_id"],
    )
