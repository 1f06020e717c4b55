"""What a case system is told about a report, in one neutral shape every adapter formats.

Contact details go only where the resident allowed contact (not anonymous, "safe to
contact"), and reading them for a delivery is written to the access log like any other
read of personal details.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC
from urllib.parse import urljoin

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from geography.boundaries import borough_name
from reporting.models import AccessLog, Report, ReportContact, RiskLevel
from reporting.risk import QUESTION_BY_KEY

SYSTEM_READER = "system:forwarding"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""
    preferred_method: str = ""
    contact_times: str = ""


@dataclass(frozen=True)
class CasePayload:
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


def _staff_url(report: Report) -> str:
    try:
        path = reverse("reporting_admin:detail", args=[report.pk])
    except NoReverseMatch:
        path = f"/admin/reports/{report.pk}/"
    return urljoin(settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/", path.lstrip("/"))


def _screening(report: Report) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for key, value in (report.screening_answers or {}).items():
        if key not in QUESTION_BY_KEY or value in (None, "", []):
            continue
        answers[key] = [value] if isinstance(value, str) else [str(v) for v in value]
    return answers


def _occurred(report: Report) -> str:
    if report.occurred_on is None:
        return ""
    if report.occurred_time is None:
        return report.occurred_on.isoformat()
    return f"{report.occurred_on.isoformat()}T{report.occurred_time.isoformat(timespec='minutes')}"


def _allowed_contact(report: Report, purpose: str) -> tuple[Contact | None, bool]:
    """The contact details the case system may have, and whether it is safe to contact."""
    if report.anonymous or report.anonymised_at:
        return None, False
    contact = ReportContact.objects.filter(report=report).first()
    if contact is None:
        return None, False
    AccessLog.objects.create(user=None, username=SYSTEM_READER, report=report, purpose=purpose)
    if not contact.safe_to_contact:
        return None, False
    return (
        Contact(
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            preferred_method=contact.preferred_method,
            contact_times=contact.contact_times,
        ),
        True,
    )


def build_payload(report: Report, *, idempotency_key: str) -> CasePayload:
    contact, safe = _allowed_contact(report, purpose=f"delivery to {report.borough_code}"[:64])
    created = report.created_at or timezone.now()
    return CasePayload(
        idempotency_key=idempotency_key,
        reference=report.reference,
        borough_code=report.borough_code,
        borough_name=borough_name(report.borough_code) or report.borough_code,
        category=report.category,
        category_label=report.category_label,
        qualifier=report.qualifier,
        description=report.description,
        latitude=report.latitude,
        longitude=report.longitude,
        location_description=report.location_description,
        occurred=_occurred(report),
        still_happening=report.still_happening,
        risk_level=report.risk_level,
        high_risk=report.risk_level == RiskLevel.HIGH,
        risk_score=report.risk_score,
        risk_reasons=list(report.risk_reasons or []),
        urgent_callback=report.urgent_callback,
        screening=_screening(report),
        submitted_at=created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        staff_url=_staff_url(report),
        anonymous=report.anonymous,
        safe_to_contact=safe,
        contact=contact,
        people_involved=report.people_involved,
        team_name=report.team_name,
    )
