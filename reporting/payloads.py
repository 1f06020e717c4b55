"""What a case system is told about a report (the outbox's neutral CasePayload, which
every case-system adapter formats its own way).

Contact details go only where the resident allowed contact (``selectors.contact_route``),
and reading them for a case system is written to the access log like any other read.
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone

from geography.boundaries import borough_name
from reporting import links
from reporting.models import Report, RiskLevel
from reporting.outbox.adapters.base import CasePayload
from reporting.risk import QUESTION_BY_KEY
from reporting.selectors import contact_route


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


def build_payload(report: Report, *, idempotency_key: str) -> CasePayload:
    route = contact_route(report, purpose=f"sent to the case system of {report.borough_code}")
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
        staff_url=links.staff_url(report),
        anonymous=report.anonymous,
        safe_to_contact=route.may_contact,
        contact=route.details,
        people_involved=report.people_involved,
        team_name=report.team_name,
    )
