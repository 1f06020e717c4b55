"""Open311 GeoReport v2 client, as a real council's endpoint expects (FixMyStreet's
behaviour is the model): ``POST requests.json`` as a form with ``jurisdiction_id``,
``api_key``, ``service_code``, ``lat``/``long`` (or ``address_string``), ``description``,
the contact fields the resident allowed, and ``attribute[...]`` for everything else,
including the screening answers, the risk level and the idempotency key. A ``token``
answer (asynchronous servers) is kept and resolved later through ``tokens/{token}``.

It also reads mySociety's ``servicerequestupdates`` extension for polling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urljoin

import requests
from django.utils.dateparse import parse_datetime

from reporting.outbox.adapters import http
from reporting.outbox.adapters.base import (
    Adapter,
    CaseEnvelope,
    CasePayload,
    CaseTarget,
    DeliveryError,
    SendResult,
)

DESCRIPTION_LIMIT = 4000


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


def _description(payload: CasePayload) -> str:
    lines = []
    if payload.high_risk:
        lines.append(
            "HIGH RISK: urgent callback needed." if payload.urgent_callback else "HIGH RISK."
        )
    lines.append(payload.description.strip())
    if payload.location_description:
        lines.append(f"Where: {payload.location_description.strip()}")
    if payload.occurred:
        lines.append(
            f"When: {payload.occurred}{' (still happening)' if payload.still_happening else ''}"
        )
    if payload.risk_reasons:
        lines.append("Risk screening: " + "; ".join(payload.risk_reasons))
    if not payload.safe_to_contact and not payload.anonymous:
        lines.append("The resident said it is NOT safe to contact them.")
    lines.append(f"Portal reference {payload.reference}: {payload.staff_url}")
    return "\n\n".join(lines)[:DESCRIPTION_LIMIT]


@dataclass(frozen=True)
class ServiceRequestUpdate:
    update_id: str
    service_request_id: str
    status: str
    updated_datetime: datetime
    description: str
    external_status_code: str


class Open311Client:
    """One Open311 server: filing a request, resolving a token, fetching updates."""

    def __init__(self, target: CaseTarget, session: requests.Session | None = None) -> None:
        self.target = target
        self.session = session

    def url(self, resource: str) -> str:
        base = self.target.endpoint_url.rstrip("/") + "/"
        return urljoin(base, resource)

    def _common(self) -> dict[str, str]:
        params = {}
        if self.target.jurisdiction_id:
            params["jurisdiction_id"] = self.target.jurisdiction_id
        key = self.target.credential(required=False)
        if key:
            params["api_key"] = key
        return params

    def service_code(self, category: str) -> str:
        return (self.target.service_codes or {}).get(category) or category

    def form(self, payload: CasePayload) -> list[tuple[str, str]]:
        fields: list[tuple[str, str]] = list(self._common().items())
        fields.append(("service_code", self.service_code(payload.category)))
        if payload.latitude is not None and payload.longitude is not None:
            fields += [("lat", f"{payload.latitude:.6f}"), ("long", f"{payload.longitude:.6f}")]
        else:
            fields.append(("address_string", payload.location_description or payload.borough_name))
        fields.append(("description", _description(payload)))
        if payload.contact is not None:
            first, last = _split_name(payload.contact.name)
            for name, value in (
                ("email", payload.contact.email),
                ("first_name", first),
                ("last_name", last),
                ("phone", payload.contact.phone),
            ):
                if value:
                    fields.append((name, value))
        attributes = {
            "portal_reference": payload.reference,
            "idempotency_key": payload.idempotency_key,
            "qualifier": payload.qualifier,
            "risk_level": payload.risk_level,
            "high_risk": "true" if payload.high_risk else "false",
            "urgent_callback": "true" if payload.urgent_callback else "false",
            "risk_score": str(payload.risk_score),
            "safe_to_contact": "true" if payload.safe_to_contact else "false",
        }
        fields += [(f"attribute[{key}]", value) for key, value in attributes.items()]
        for key, values in payload.screening.items():
            if len(values) == 1:
                fields.append((f"attribute[{key}]", values[0]))
            else:
                fields += [(f"attribute[{key}][]", value) for value in values]
        return fields

    def file(self, payload: CasePayload) -> SendResult:
        response = http.request(
            "POST", self.url("requests.json"), session=self.session, data=self.form(payload)
        )
        body = http.json_body(response)
        item = body[0] if isinstance(body, list) and body else body
        if not isinstance(item, dict):
            raise DeliveryError(
                f"Unexpected Open311 answer: {str(body)[:200]}", status_code=response.status_code
            )
        request_id = str(item.get("service_request_id") or "")
        token = str(item.get("token") or "")
        if not request_id and not token:
            raise DeliveryError(
                "The Open311 answer had neither service_request_id nor token",
                status_code=response.status_code,
            )
        return SendResult(
            external_id=request_id,
            token=token,
            status_code=response.status_code,
            detail=str(item.get("service_notice") or ""),
        )

    def resolve_token(self, token: str) -> str:
        """The service_request_id for a token, or '' while the server has none yet."""
        response = http.request(
            "GET",
            self.url(f"tokens/{quote(token, safe='')}.json"),
            session=self.session,
            params=self._common(),
        )
        body = http.json_body(response)
        item = body[0] if isinstance(body, list) and body else body
        return str((item or {}).get("service_request_id") or "") if isinstance(item, dict) else ""

    def updates(self, *, start: datetime | None, end: datetime) -> list[ServiceRequestUpdate]:
        params = self._common()
        if start is not None:
            params["start_date"] = start.isoformat()
        params["end_date"] = end.isoformat()
        response = http.request(
            "GET", self.url("servicerequestupdates.json"), session=self.session, params=params
        )
        body = http.json_body(response)
        if isinstance(body, dict):
            body = body.get("service_request_updates", [])
        updates = []
        for item in body if isinstance(body, list) else []:
            if not isinstance(item, dict):
                continue
            when = parse_datetime(str(item.get("updated_datetime") or ""))
            if when is None or not item.get("update_id") or not item.get("service_request_id"):
                continue
            updates.append(
                ServiceRequestUpdate(
                    update_id=str(item["update_id"]),
                    service_request_id=str(item["service_request_id"]),
                    status=str(item.get("status") or ""),
                    updated_datetime=when,
                    description=str(item.get("description") or ""),
                    external_status_code=str(item.get("external_status_code") or ""),
                )
            )
        return updates


class Open311Adapter(Adapter):
    """The outbox's Open311 channel: one kept-alive session for every server it files to."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def send(self, envelope: CaseEnvelope, *, message_id: str) -> SendResult:
        return Open311Client(envelope.target, self.session).file(envelope.payload)

    def close(self) -> None:
        self.session.close()
