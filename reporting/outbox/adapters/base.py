"""The one interface every channel's adapter has, and the plain data it is given.

An adapter's ``send(envelope, message_id=...)`` returns a :class:`SendResult` or raises
:class:`DeliveryError`; ``close()`` lets go of any connection it keeps between messages.
Envelopes are plain data built by the message kind (what the message says); the adapter
decides only how it travels.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class SendResult:
    external_id: str = ""
    token: str = ""
    status_code: int | None = None
    detail: str = ""


class DeliveryError(Exception):
    """The recipient's system did not take the message.

    ``permanent`` means trying again unchanged cannot succeed (an SMTP 5xx, an HTTP 4xx,
    missing configuration): the message is dead-lettered at once, with this reason shown
    to staff. Everything else (4xx SMTP answers, dropped connections, timeouts, HTTP 5xx)
    is retried with backoff.
    """

    def __init__(self, message: str, *, status_code: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status_code = status_code
        self.permanent = permanent


@dataclass(frozen=True)
class EmailEnvelope:
    to: tuple[str, ...]
    subject: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[tuple[str, str, str], ...] = ()  # (filename, content, mimetype)


@dataclass(frozen=True)
class CaseTarget:
    """Where a case system is and how to speak to it (from its configuration)."""

    borough_code: str
    endpoint_url: str
    jurisdiction_id: str = ""
    service_codes: dict[str, str] = field(default_factory=dict)
    credential_env: str = ""

    def credential(self, *, required: bool) -> str:
        """The secret named by ``credential_env``, read from the environment now."""
        name = self.credential_env
        value = os.environ.get(name, "") if name else ""
        if required and not value:
            where = f"environment variable {name}" if name else "credential_env"
            raise DeliveryError(f"No credential: set the {where}", permanent=True)
        return value


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    preferred_method: str = ""
    contact_times: str = ""


@dataclass(frozen=True)
class CasePayload:
    """What a case system is told about a report, in one neutral shape."""

    idempotency_key: str
    reference: str
    borough_code: str
    borough_name: str
    category: str
    category_label: str
    qualifier: str
    description: str
    latitude: float | None
    longitude: float | None
    location_description: str
    occurred: str
    still_happening: bool
    risk_level: str
    high_risk: bool
    risk_score: int
    risk_reasons: list[str]
    urgent_callback: bool
    screening: dict[str, list[str]]
    submitted_at: str
    staff_url: str
    anonymous: bool
    safe_to_contact: bool
    contact: Contact | None = None
    people_involved: str = ""
    team_name: str = ""
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)

    @property
    def title(self) -> str:
        prefix = "HIGH RISK – " if self.high_risk else ""
        return f"{prefix}{self.category_label} ({self.reference})"


@dataclass(frozen=True)
class CaseEnvelope:
    target: CaseTarget
    payload: CasePayload


Envelope = EmailEnvelope | CaseEnvelope


class Adapter:
    """One channel. Subclasses keep connections open between messages where they can."""

    def send(self, envelope, *, message_id: str) -> SendResult:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        """Let go of connections; the adapter may be used again afterwards."""
