"""Email to a case system's intake inbox, for boroughs without an API.

The message is plain text for people plus a JSON attachment for tools that file it. Like
every email the portal sends to staff it carries no personal details: the link leads to
the admin, where reads are logged. The idempotency key is the Message-ID, so a mail
system that dedupes by it sees a re-send as the same message.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from reporting.forwarding.adapters.base import Adapter, DeliveryError, SendResult
from reporting.forwarding.payloads import CasePayload


class EmailAdapter(Adapter):
    def send(self, payload: CasePayload) -> SendResult:
        if not self.config.email_to:
            raise DeliveryError("No intake address configured", permanent=True)
        public = {
            k: v for k, v in payload.as_json().items() if k not in ("contact", "people_involved")
        }
        risk = "HIGH RISK – " if payload.high_risk else ""
        subject = f"{risk}ASB report {payload.reference}: {payload.category_label}"
        message = EmailMessage(
            subject=subject,
            body=render_to_string("forwarding/email/case.txt", {"payload": payload}),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.config.email_to],
            headers={
                "Message-ID": f"<{payload.idempotency_key}@asb-portal.invalid>",
                "X-ASB-Reference": payload.reference,
                "X-Priority": "1" if payload.high_risk else "3",
                "X-ASB-Risk-Level": payload.risk_level,
            },
        )
        message.attach(
            f"{payload.reference}.json",
            json.dumps(public, indent=2, sort_keys=True),
            "application/json",
        )
        try:
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - SMTP errors of every kind are retried
            raise DeliveryError(f"Email not sent: {type(error).__name__}: {error}") from error
        return SendResult(external_id=payload.reference, detail=f"emailed {self.config.email_to}")
