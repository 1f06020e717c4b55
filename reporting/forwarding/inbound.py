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


def parse_update(body: bytes) -> CaseUpdate:
    try:
        data = json.loads(body or b"")
    except ValueError:
        raise InboundError(400, "invalid_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InboundError(400, "invalid_json", "The body must be a JSON object.")
    update_id = str(data.get("update_id") or "").strip()
    reference = str(data.get("reference") or "").strip()
    case_id = str(data.get("service_request_id") or "").strip()
    status = str(data.get("status") or "").strip()
    missing = [
        name
        for name, value in (
            ("update_id", update_id),
            ("reference or service_request_id", reference or case_id),
            ("status", status),
        )
        if not value
    ]
    if missing:
        raise InboundError(400, "missing_fields", "Missing: " + ", ".join(missing))
    raw_when = str(data.get("updated_datetime") or "")
    when = parse_datetime(raw_when) if raw_when else timezone.now()
    if when is None or timezone.is_naive(when):
        raise InboundError(
            400, "invalid_datetime", "updated_datetime must be ISO 8601 with a time zone."
        )
    return CaseUpdate(
        update_id=update_id[:200],
        status=status[:64],
        external_status_code=str(data.get("external_status_code") or "")[:64],
        description=str(data.get("description") or "")[:4000],
        updated_datetime=when,
        reference=reference[:16],
        service_request_id=case_id[:200],
    )
