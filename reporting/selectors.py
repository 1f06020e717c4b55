"""Reads of the reporting app that are more than one line, and the ONE way to read a
resident's personal details (:func:`contact_for`).

Who may see what: a user tied to boroughs by ``BoroughStaff`` sees those boroughs'
reports and their personal details. A superuser sees every borough (they run the
service), and their reads of personal details are logged like everybody else's.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from reporting import ids
from reporting.models import (
    AccessLog,
    BoroughStaff,
    Notification,
    RepeatLink,
    Report,
    ReportContact,
    ReportEvent,
    Status,
)
from reporting.repeats import normalise_email


def staff_borough_codes(user) -> set[str] | None:
    """The boroughs whose reports the user may see; None means every borough."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    return set(BoroughStaff.objects.filter(user=user).values_list("borough_code", flat=True))


def is_reporting_staff(user) -> bool:
    codes = staff_borough_codes(user)
    return codes is None or bool(codes)


def reports_for_staff(user) -> QuerySet[Report]:
    codes = staff_borough_codes(user)
    reports = Report.objects.all()
    if codes is not None:
        reports = reports.filter(borough_code__in=codes)
    return reports


def report_for_staff(user, pk: int) -> Report:
    """The report if the user may see it; PermissionDenied otherwise (also if missing)."""
    report = reports_for_staff(user).filter(pk=pk).first()
    if report is None:
        raise PermissionDenied
    return report


def contact_for(report: Report, user, *, purpose: str = "view") -> ReportContact | None:
    """The resident's personal details, for staff of the report's borough only.

    Every call by an allowed user writes an AccessLog row, even when the report is
    anonymous (the attempt to look is part of the record). Anyone else: PermissionDenied.
    """
    codes = staff_borough_codes(user)
    if codes is not None and report.borough_code not in codes:
        raise PermissionDenied
    AccessLog.objects.create(
        user=user, username=user.get_username(), report=report, purpose=purpose[:64]
    )
    return ReportContact.objects.filter(report=report).first()


def filter_reports(
    reports: QuerySet[Report],
    *,
    risk: str = "",
    category: str = "",
    status: str = "",
    team: str = "",
    date_from=None,
    date_to=None,
    open_only: bool = False,
) -> QuerySet[Report]:
    if risk:
        reports = reports.filter(risk_level=risk)
    if category:
        reports = reports.filter(category=category)
    if status:
        reports = reports.filter(status=status)
    if open_only:
        reports = reports.exclude(status=Status.CLOSED)
    if team == "none":
        reports = reports.filter(ward_code="")
    elif team:
        reports = reports.filter(ward_code=team)
    if date_from:
        reports = reports.filter(created_at__date__gte=date_from)
    if date_to:
        reports = reports.filter(created_at__date__lte=date_to)
    return reports


def team_choices(reports: QuerySet[Report]) -> list[tuple[str, str]]:
    rows = (
        reports.exclude(ward_code="")
        .values_list("ward_code", "team_name")
        .distinct()
        .order_by("team_name")
    )
    return [(code, name or code) for code, name in rows]


def linked_repeats(report: Report) -> list[RepeatLink]:
    """Links both ways: earlier reports this one repeats, and later ones repeating it."""
    return list(
        RepeatLink.objects.filter(Q(report=report) | Q(earlier=report))
        .select_related("report", "earlier")
        .order_by("-earlier__created_at")
    )


def public_timeline(report: Report) -> list[ReportEvent]:
    return list(report.events.filter(is_public=True).order_by("created_at", "id"))


def staff_timeline(report: Report) -> list[ReportEvent]:
    return list(report.events.select_related("created_by").order_by("created_at", "id"))


def report_by_token(token: str) -> Report | None:
    if not token or len(token) > 100:
        return None
    report = Report.objects.filter(token_hash=ids.hash_token(token)).first()
    if report is None or not ids.token_matches(token, report.token_hash):
        return None
    return report


def report_by_reference_and_email(reference: str, email: str) -> Report | None:
    """Only when both match; the caller says the same thing whichever one did not."""
    reference = ids.normalise_reference(reference)
    email_key = normalise_email(email)
    if not reference or not email_key:
        return None
    return (
        Report.objects.filter(
            reference=reference, contact__email_normalised=email_key, anonymised_at__isnull=True
        )
        .select_related(None)
        .first()
    )


def reports_due_for_anonymisation(*, older_than_days: int) -> QuerySet[Report]:
    cutoff = timezone.now() - timedelta(days=older_than_days)
    return Report.objects.filter(
        status=Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    ).order_by("closed_at")


def notifications_due_for_retry(
    *, older_than_minutes: int, max_attempts: int
) -> QuerySet[Notification]:
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    return Notification.objects.filter(
        sent_at__isnull=True, attempts__lt=max_attempts, created_at__lt=cutoff
    ).exclude(recipient="")
