"""Reads of the reporting app that are more than one line, and the ONE way to read a
resident's personal details: :func:`contact_for` for staff, :func:`contact_route` for
the portal itself (whether and how it may contact the resident).

Who may see what: a user tied to boroughs by ``BoroughStaff`` sees those boroughs'
reports and their personal details. A superuser sees every borough (they run the
service), and their reads of personal details are logged like everybody else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from geography.boundaries import borough_name
from reporting import ids, links
from reporting.models import (
    AccessLog,
    BoroughStaff,
    CallbackSurvey,
    RepeatLink,
    Report,
    ReportContact,
    ReportEvent,
    Status,
)
from reporting.outbox import selectors as outbox_selectors
from reporting.outbox.adapters.base import Contact
from reporting.outbox.models import BOROUGH_BOUND, Message, State
from reporting.repeats import normalise_email
from standards import selectors as standards_selectors
from standards.commitments import Commitment


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
    record_access(user, report, AccessLog.What.CONTACT, purpose=purpose)
    return ReportContact.objects.filter(report=report).first()


def record_access(user, report: Report, what: str, *, purpose: str = "", object_id="") -> None:
    """One line of "who looked at this victim's data": user, time, what and which."""
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        report=report,
        what=what,
        object_id=str(object_id)[:32],
        purpose=purpose[:64],
    )


def filter_access_log(
    logs: QuerySet[AccessLog], *, reference: str = "", username: str = "", what: str = ""
) -> QuerySet[AccessLog]:
    if reference.strip():
        logs = logs.filter(report__reference=ids.normalise_reference(reference))
    if username.strip():
        logs = logs.filter(username__iexact=username.strip())
    if what:
        logs = logs.filter(what=what)
    return logs


def access_log_for(user) -> QuerySet[AccessLog]:
    """The access log a user may read: borough leads (``reporting.view_accesslog``) their
    boroughs' entries, London-wide users everything; nobody else anything."""
    if not user.has_perm("reporting.view_accesslog"):
        return AccessLog.objects.none()
    codes = staff_borough_codes(user)
    logs = AccessLog.objects.select_related("report", "user").order_by("-created_at", "-id")
    if codes is None:
        return logs
    return logs.filter(report__borough_code__in=codes)


SYSTEM_READER = "system:portal"


@dataclass(frozen=True)
class ContactRoute:
    """Whether the portal may contact the resident of a report, and how.

    ``reason`` says why not, in words for staff (never any personal detail).
    """

    may_contact: bool
    has_email: bool = False
    email: str = ""  # only when the details were revealed
    details: Contact | None = None  # what a case system may be given, when revealed
    reason: str = ""

    @property
    def may_email(self) -> bool:
        return self.may_contact and self.has_email


def contact_route(report: Report, *, purpose: str, reveal: bool = True) -> ContactRoute:
    """The one rule for contacting a resident: not if they reported anonymously, not once
    their details are removed, not if they said it is not safe, and by email only if they
    gave one. ``reveal`` reads the details themselves and writes the access log; without
    it only whether contact is possible is answered (nothing personal is returned)."""
    if report.anonymous:
        return ContactRoute(False, reason="The resident reported anonymously.")
    if report.anonymised_at:
        return ContactRoute(False, reason="The resident's details have been removed.")
    contact = ReportContact.objects.filter(report=report).first()
    if contact is None:
        return ContactRoute(False, reason="The resident gave no contact details.")
    if reveal:
        AccessLog.objects.create(
            user=None,
            username=SYSTEM_READER,
            report=report,
            what=AccessLog.What.CONTACT,
            purpose=purpose[:64],
        )
    if not contact.safe_to_contact:
        return ContactRoute(False, reason="The resident said it is not safe to contact them.")
    if not reveal:
        return ContactRoute(True, has_email=bool(contact.email))
    return ContactRoute(
        True,
        has_email=bool(contact.email),
        email=contact.email,
        details=Contact(
            name=contact.name,
            email=contact.email,
            phone=contact.phone,
            preferred_method=contact.preferred_method,
            contact_times=contact.contact_times,
        ),
    )


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
    """Links both ways: earlier reports this one repeats, and later ones repeating it;
    only those of the report's own borough (another borough's reports are theirs: not
    even their references are shown)."""
    borough = report.borough_code
    return list(
        RepeatLink.objects.filter(
            Q(report=report, earlier__borough_code=borough)
            | Q(earlier=report, report__borough_code=borough)
        )
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


# --- the quality call-back --------------------------------------------------------------


def survey_for_token(token: str) -> CallbackSurvey | None:
    if not token or len(token) > 100:
        return None
    return (
        CallbackSurvey.objects.select_related("report")
        .filter(token_hash=ids.hash_token(token))
        .first()
    )


def callback_path_for(report: Report) -> str:
    """The survey link for a closed report's tracking page, or '' (none, or answered)."""
    survey = CallbackSurvey.objects.filter(report=report, answered_at__isnull=True).first()
    return links.callback_path(survey) if survey is not None else ""


QUESTIONS = ("told_action", "seriousness", "know_action", "satisfaction")


def callback_summary(codes: set[str] | None) -> list[dict]:
    """Per borough: surveys sent, answered, and the count of each answer to each question."""
    surveys = CallbackSurvey.objects.all()
    if codes is not None:
        surveys = surveys.filter(borough_code__in=codes)
    boroughs: dict[str, dict] = {}
    for row in surveys.values("borough_code").annotate(n=Count("id")).order_by("borough_code"):
        boroughs[row["borough_code"]] = {
            "borough_code": row["borough_code"],
            "borough_name": borough_name(row["borough_code"]) or row["borough_code"],
            "invited": row["n"],
            "answered": 0,
            "questions": [],
        }
    answered = surveys.filter(answered_at__isnull=False)
    for row in answered.values("borough_code").annotate(n=Count("id")).order_by():
        boroughs[row["borough_code"]]["answered"] = row["n"]
    for name in QUESTIONS:
        field = CallbackSurvey._meta.get_field(name)
        counts: dict[str, dict[str, int]] = {}
        for row in answered.values("borough_code", name).annotate(n=Count("id")).order_by():
            counts.setdefault(row["borough_code"], {})[row[name]] = row["n"]
        for code, summary in boroughs.items():
            per_answer = counts.get(code, {})
            total = sum(per_answer.values())
            summary["questions"].append(
                {
                    "question": str(field.verbose_name),
                    "answers": [
                        {
                            "label": label,
                            "count": per_answer.get(value, 0),
                            "percent": round(100 * per_answer.get(value, 0) / total)
                            if total
                            else 0,
                        }
                        for value, label in field.choices
                    ],
                }
            )
    return list(boroughs.values())


# --- messages that have not reached the borough -----------------------------------------

# When a borough's page has no first-contact promise, the London-wide one applies.
DEFAULT_FIRST_CONTACT = timedelta(hours=24)
NOT_DELIVERED = (State.QUEUED, State.SENDING, State.RETRYING, State.DEAD)


@dataclass(frozen=True)
class OverdueMessage:
    """A message to a borough or SN team still not delivered after the borough's
    first-contact target: the resident may already be waiting past the promise."""

    message: Message
    due_at: datetime
    target_text: str


def _borough_commitment(borough_code: str, metric: str, cache: dict) -> Commitment | None:
    """The borough's commitment with a target for ``metric``, or None (cached per call)."""
    if (borough_code, metric) not in cache:
        if borough_code not in cache:
            cache[borough_code] = standards_selectors.borough_page_for_code(borough_code)
        page = cache[borough_code]
        cache[borough_code, metric] = page.commitment_for(metric) if page is not None else None
    return cache[borough_code, metric]


def first_contact_due(borough_code: str, start: datetime, cache: dict) -> tuple[datetime, str]:
    """When first contact falls due for something that started at ``start``, and the
    promise in words: the borough's own target, or else the London-wide 24 hours."""
    commitment = _borough_commitment(borough_code, "first_contact", cache)
    if commitment is not None and commitment.has_target:
        return commitment.due_by(start), commitment.target_text
    return start + DEFAULT_FIRST_CONTACT, "within 24 hours"


def overdue_to_boroughs(codes: set[str] | None, *, now: datetime | None = None) -> list:
    """Borough-bound messages failing (or waiting) for longer than the first-contact target
    of their borough, oldest first."""
    now = now or timezone.now()
    candidates = (
        outbox_selectors.messages_for_boroughs(codes)
        .filter(audience__in=BOROUGH_BOUND, state__in=NOT_DELIVERED)
        .filter(created_at__lt=now - timedelta(hours=1))  # no target is shorter than this
        .order_by("created_at", "id")
    )
    commitments: dict = {}
    overdue = []
    for message in candidates:
        due_at, words = first_contact_due(message.borough_code, message.created_at, commitments)
        if due_at < now:
            overdue.append(OverdueMessage(message=message, due_at=due_at, target_text=words))
    return overdue


# --- what each open report is waiting for (the staff dashboard and the report list) -----

# The resident has heard from the borough once the timeline has a public update from it
# (staff in the admin, or the case system): the portal cannot see phone calls or visits.
CONTACT_KINDS = (
    ReportEvent.Kind.ASSIGNED,
    ReportEvent.Kind.IN_PROGRESS,
    ReportEvent.Kind.UPDATE,
    ReportEvent.Kind.CLOSED,
)
# Promises falling due within this are "due soon".
DUE_SOON = timedelta(hours=24)
RISK_ORDER = {"high": 0, "medium": 1, "standard": 2}


@dataclass(frozen=True)
class Promise:
    """The next thing the borough promised the resident of an open report, and when."""

    label: str  # "First contact", "Next update"
    target_text: str  # "within 48 hours", "at least every 7 days", or ""
    due_at: datetime | None  # None: the borough's standards give this promise no time

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now

    def is_due_soon(self, now: datetime) -> bool:
        return self.due_at is not None and now <= self.due_at <= now + DUE_SOON


@dataclass(frozen=True)
class ReportDue:
    """An open or closed report with its next promise (None once closed)."""

    report: Report
    promise: Promise | None
    overdue: bool = False
    due_soon: bool = False


def next_promise(report: Report, *, last_contact_at: datetime | None, cache: dict):
    """First contact until the resident has heard from the borough, then the next update
    (the borough's "update you at least every ..." from the last one); None when closed."""
    if report.status == Status.CLOSED:
        return None
    if last_contact_at is None:
        due_at, words = first_contact_due(report.borough_code, report.created_at, cache)
        return Promise("First contact", words, due_at)
    commitment = _borough_commitment(report.borough_code, "update_frequency", cache)
    if commitment is None or not commitment.has_target:
        return Promise("Next update", "", None)
    return Promise("Next update", commitment.target_text, commitment.due_by(last_contact_at))


def with_last_contact(reports: QuerySet[Report]) -> QuerySet[Report]:
    """``last_contact_at``: the newest public update from the borough (one row a report)."""
    contact = Q(events__kind__in=CONTACT_KINDS, events__is_public=True)
    return reports.annotate(last_contact_at=Max("events__created_at", filter=contact))


def reports_with_promises(reports, *, now: datetime | None = None) -> list[ReportDue]:
    """Each report (from :func:`with_last_contact`) with its next promise."""
    now = now or timezone.now()
    cache: dict = {}
    rows = []
    for report in reports:
        promise = next_promise(
            report, last_contact_at=getattr(report, "last_contact_at", None), cache=cache
        )
        rows.append(
            ReportDue(
                report=report,
                promise=promise,
                overdue=promise is not None and promise.is_overdue(now),
                due_soon=promise is not None and promise.is_due_soon(now),
            )
        )
    return rows


def by_due(rows: list[ReportDue], *, reverse: bool = False) -> list[ReportDue]:
    """Soonest due first (so the overdue, then those due soon), higher risk first on a tie;
    reports with no due time, then closed ones, last either way."""

    def timed(row: ReportDue) -> bool:
        return row.promise is not None and row.promise.due_at is not None

    dated = sorted(
        (row for row in rows if timed(row)),
        key=lambda row: (row.promise.due_at, RISK_ORDER.get(row.report.risk_level, 3)),
        reverse=reverse,
    )
    untimed = [row for row in rows if not timed(row) and row.promise is not None]
    closed = [row for row in rows if row.promise is None]
    return dated + untimed + closed


@dataclass(frozen=True)
class OpenReports:
    """The staff dashboard's view of a user's open reports: counts and the first few."""

    total: int
    overdue: int
    due_soon: int
    first: list[ReportDue]


def open_reports_for_dashboard(user, *, limit: int = 10, now=None) -> OpenReports:
    """The open reports of the user's boroughs, those overdue and due soon first. Only
    what the dashboard shows is read: no personal details, no description."""
    now = now or timezone.now()
    reports = with_last_contact(
        reports_for_staff(user)
        .exclude(status=Status.CLOSED)
        .only(
            "pk",
            "reference",
            "created_at",
            "status",
            "category",
            "borough_code",
            "team_name",
            "risk_level",
            "urgent_callback",
        )
    )
    rows = by_due(reports_with_promises(reports, now=now))
    return OpenReports(
        total=len(rows),
        overdue=sum(row.overdue for row in rows),
        due_soon=sum(row.due_soon for row in rows),
        first=rows[:limit],
    )


@dataclass(frozen=True)
class LinkedReport:
    """Another report linked to this one as a repeat, once however many reasons link them."""

    other: Report
    later: bool  # the other report repeats this one
    reasons: list[str]


def linked_reports(report: Report) -> list[LinkedReport]:
    """:func:`linked_repeats` with one row per other report: a report from the same person
    at the same place is linked twice (same contact, same place) but listed once."""
    linked: dict[int, LinkedReport] = {}
    for link in linked_repeats(report):
        later = link.earlier_id == report.pk
        other = link.report if later else link.earlier
        reason = link.get_reason_display()
        if link.distance_m is not None:
            reason = f"{reason}, {link.distance_m:.0f} m"
        if other.pk in linked:
            linked[other.pk].reasons.append(reason)
        else:
            linked[other.pk] = LinkedReport(other=other, later=later, reasons=[reason])
    return list(linked.values())
