"""Signed JSON webhook: the whole case as JSON, signed with HMAC-SHA256 over the
timestamp and body, with the delivery's idempotency key in ``Idempotency-Key``.

Expected answer: 2xx with JSON ``{"case_id": "..."}`` (``id`` or ``reference`` accepted).
"""

from __future__ import annotations

import json

import requests

from reporting.outbox.adapters import http, signing
from reporting.outbox.adapters.base import (
    Adapter,
    CaseEnvelope,
    CasePayload,
    DeliveryError,
    SendResult,
)

SCHEMA = "london-asb-portal/case/v1"


def body_for(payload: CasePayload) -> bytes:
    document = {"schema": SCHEMA, "title": payload.title, **payload.as_json()}
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode("utf-8")


class WebhookAdapter(Adapter):
    def __init__(self) -> None:
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def send(self, envelope: CaseEnvelope, *, message_id: str) -> SendResult:
        payload = envelope.payload
        secret = envelope.target.credential(required=True)
        body = body_for(payload)
        headers = {
            "Content-Type": "application/json",
            signing.IDEMPOTENCY_HEADER: payload.idempotency_key,
            **signing.signed_headers(secret, body),
        }
        if payload.high_risk:
            headers["X-Risk-Level"] = "high"
        response = http.request(
            "POST", envelope.target.endpoint_url, session=self.session, data=body, headers=headers
        )
        answer = http.json_body(response)
        case_id = ""
        if isinstance(answer, dict):
            case_id = str(
                answer.get("case_id") or answer.get("id") or answer.get("reference") or ""
            )
        if not case_id:
            raise DeliveryError(
                "The webhook answered without a case_id", status_code=response.status_code
            )
        return SendResult(external_id=case_id, status_code=response.status_code)
