"""Every write of the reporting app. Keyword-only arguments, one transaction each.

Whatever a step causes to leave the portal (the report to the borough, emails to the
resident) is posted to the outbox in that step's transaction: ``reporting.messages`` says
which messages, the outbox delivers them once each.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from geography.boundaries import borough_name
from reporting import ids, messages, selectors
from reporting.drafts import ReportDraft
from reporting.models import (
    CallbackSurvey,
    EqualityResponse,
    PendingUpload,
    RepeatLink,
    Report,
    ReportContact,
    ReportEvent,
    ReportPhoto,
    Status,
)
from reporting.outbox import services as outbox
from reporting.outbox.models import Message
from reporting.photos import MAX_PHOTOS
from reporting.repeats import find_repeats, normalise_email, phone_digits, recent_counts
from reporting.risk import assess_risk
from reporting.routing import Route, route_borough, route_point

logger = logging.getLogger(__name__)

EQUALITY_FIELDS = (
    "age_band",
    "sex",
    "gender_same_as_birth",
    "ethnic_group",
    "disability",
    "religion",
    "sexual_orientation",
)

# What the resident reads on their timeline for each status, unless staff write their own.
STATUS_MESSAGES = {
    Status.RECEIVED: "We received your report.",
    Status.SENT: "We sent your report to the council's anti-social behaviour team.",
    Status.ASSIGNED: "An officer has been given your report to look into.",
    Status.IN_PROGRESS: "The team is working on your report.",
    Status.CLOSED: "Your report has been closed.",
}


@dataclass(frozen=True)
class SubmittedReport:
    report: Report
    token: str
    route: Route


def _route_for(draft: ReportDraft) -> Route:
    if draft.has_point:
        return route_point(draft.latitude, draft.longitude)
    return route_borough(draft.borough_code)


def _new_reference() -> str:
    for _ in range(10):
        reference = ids.new_reference()
        if not Report.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free reference")  # 32^8: never in practice


def submit_report(
    *,
    draft: ReportDraft,
    photo_keys: Sequence[str] = (),
    equality: dict | None = None,
    submission_key: str | None = None,
) -> SubmittedReport:
    """Store a report with everything that belongs to it, in one transaction.

    ``submission_key`` (the report flow's): the same key again returns the report already
    stored with it, so a retried "Send report" never files a second report.
    Raises reporting.routing.OutsideLondon when the place is not in London (the flow
    checks this before, so this only guards other callers).
    """
    route = _route_for(draft)
    if submission_key:
        earlier = Report.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            return _already_submitted(earlier, route)
    try:
        return _store_report(draft, route, photo_keys, equality, submission_key or None)
    except IntegrityError:
        earlier = Report.objects.filter(submission_key=submission_key).first()
        if not submission_key or earlier is None:
            raise
        return _already_submitted(earlier, route)  # the same send, raced in twice


def _already_submitted(report: Report, route: Route) -> SubmittedReport:
    return SubmittedReport(
        report=report, token=ids.tracking_token(report.tracking_nonce), route=route
    )


def _store_report(
    draft: ReportDraft,
    route: Route,
    photo_keys: Sequence[str],
    equality: dict | None,
    submission_key: str | None,
) -> SubmittedReport:
    nonce = ids.new_nonce()
    token = ids.tracking_token(nonce)
    contact = draft.contact
    with transaction.atomic():
        now = timezone.now()
        repeats = find_repeats(
            email=contact.email if contact else "",
            phone=contact.phone if contact else "",
            latitude=draft.latitude,
            longitude=draft.longitude,
            now=now,
        )
        assessment = assess_risk(draft.screening, recent_counts(repeats, now=now))
        report = Report.objects.create(
            reference=_new_reference(),
            token_hash=ids.hash_token(token),
            tracking_nonce=nonce,
            submission_key=submission_key,
            category=draft.category,
            qualifier=draft.qualifier,
            latitude=draft.latitude,
            longitude=draft.longitude,
            location_description=draft.location_description,
            location_source=draft.location_source,
            borough_code=route.borough_code,
            neighbourhood=route.neighbourhood_page,
            ward_code=route.ward_code,
            team_name=route.team_name,
            occurred_on=draft.occurred_on,
            occurred_time=draft.occurred_time,
            still_happening=draft.still_happening,
            happened_before=draft.happened_before,
            reported_before=str(draft.screening.get("reported_before", "")),
            earlier_references=draft.earlier_references,
            description=draft.description,
            people_involved=draft.people_involved,
            screening_answers=dict(draft.screening),
            risk_level=assessment.level,
            risk_score=assessment.score,
            risk_reasons=assessment.reasons,
            urgent_callback=assessment.urgent,
            anonymous=draft.anonymous,
        )
        if contact is not None:
            ReportContact.objects.create(
                report=report,
                name=contact.name,
                email=contact.email,
                phone=contact.phone,
                email_normalised=normalise_email(contact.email),
                phone_digits=phone_digits(contact.phone),
                preferred_method=contact.preferred_method,
                contact_times=contact.contact_times,
                safe_to_contact=contact.safe_to_contact,
                safety_notes=contact.safety_notes,
            )
        RepeatLink.objects.bulk_create(
            [
                RepeatLink(
                    report=report, earlier=r.report, reason=r.reason, distance_m=r.distance_m
                )
                for r in repeats
            ],
            ignore_conflicts=True,
        )
        _attach_photos(report=report, keys=photo_keys)
        if equality and any(equality.get(name) for name in EQUALITY_FIELDS):
            EqualityResponse.objects.create(
                borough_code=route.borough_code,
                month=now.date().replace(day=1),
                **{name: str(equality.get(name) or "")[:32] for name in EQUALITY_FIELDS},
            )
        ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.RECEIVED,
            status=Status.RECEIVED,
            message=STATUS_MESSAGES[Status.RECEIVED],
        )
        outbox.post(messages.for_new_report(report, route))
    return SubmittedReport(report=report, token=token, route=route)


def _attach_photos(*, report: Report, keys: Sequence[str]) -> None:
    uploads = list(PendingUpload.objects.filter(key__in=list(keys)[:MAX_PHOTOS]).order_by("id"))
    for upload in uploads:
        upload.image.open("rb")
        try:
            content = upload.image.read()
        finally:
            upload.image.close()
        photo = ReportPhoto(report=report, width=upload.width, height=upload.height)
        photo.image.save(upload.image.name.rsplit("/", 1)[-1], ContentFile(content), save=False)
        photo.save()
    pending_files = [upload.image.name for upload in uploads]
    PendingUpload.objects.filter(pk__in=[u.pk for u in uploads]).delete()
    if pending_files:
        transaction.on_commit(lambda: _delete_files(pending_files))


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - logged and left for the purge command
            logger.warning("Could not delete %s", name)


def apply_update(
    *,
    report: Report,
    status: str | None = None,
    message: str = "",
    external_id: str | None = None,
    user=None,
    notify_resident: bool = True,
    only_from: str | None = None,
) -> ReportEvent | None:
    """Add a status change or public message to the timeline; idempotent by external_id.

    A status change emails the resident (if they gave an email and said it is safe).
    ``only_from``: change the status only if the report still has that status (decided
    under the report's row lock, so a concurrent update is never turned back).
    Returns the event (the existing one when external_id was seen before), or None when
    under the lock there turned out to be nothing to add. ValueError when the call itself
    asks for nothing (the status the report has, no message).
    """
    if status is not None and status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    if not (external_id or only_from or message.strip()) and status in (None, report.status):
        # Nothing to save: said before any query, so a caller's transaction stays usable.
        # (Under the lock below, a status someone else set meanwhile is a quiet no-op.)
        raise ValueError("An update needs a new status or a message")
    given = report
    # No savepoint of its own: inside a caller's transaction (the outbox's record of a
    # delivery) it is all or nothing with it. The row lock serialises updates of one
    # report, so the external_id check below cannot race (the unique constraint backs it).
    with transaction.atomic(savepoint=False):
        report = Report.objects.select_for_update().get(pk=report.pk)
        if external_id:
            existing = ReportEvent.objects.filter(report=report, external_id=external_id).first()
            if existing is not None:
                return existing
        if only_from is not None and report.status != only_from:
            status = None
        changed = status is not None and status != report.status
        if not changed and not message.strip():
            _sync_status(given, report)
            return None
        text = message.strip() or STATUS_MESSAGES.get(status, "")
        event = ReportEvent.objects.create(
            report=report,
            kind=status if changed else ReportEvent.Kind.UPDATE,
            status=status if changed else "",
            message=text,
            created_by=user,
            external_id=external_id or "",
        )
        if changed:
            report.status = status
            if status == Status.CLOSED:
                report.closed_at = timezone.now()
                report.outcome = text
            else:
                report.closed_at = None
            report.save(update_fields=["status", "closed_at", "outcome", "updated_at"])
            if notify_resident:
                outbox.post(messages.for_status_change(report, event))
            if status == Status.CLOSED:
                # However a report is closed (by staff here or by the case system), the
                # resident is asked the quality call-back questions, once.
                invite_callback(report=report)
        _sync_status(given, report)
    return event


def _sync_status(given: Report, current: Report) -> None:
    """The caller's copy of the report shows the status it now has."""
    if given is not current:
        for field in ("status", "closed_at", "outcome", "updated_at"):
            setattr(given, field, getattr(current, field))


def add_staff_note(*, report: Report, user, note: str) -> ReportEvent:
    """An internal note: never shown to the resident."""
    if not note.strip():
        raise ValueError("A note cannot be empty")
    with transaction.atomic():
        return ReportEvent.objects.create(
            report=report,
            kind=ReportEvent.Kind.STAFF_NOTE,
            message=note.strip(),
            is_public=False,
            created_by=user,
        )


def add_resident_info(*, report: Report, text: str) -> ReportEvent:
    """More information from the resident on an open report; the borough is told."""
    if not report.is_open:
        raise ValueError("This report is closed")
    if not text.strip():
        raise ValueError("Information cannot be empty")
    with transaction.atomic():
        event = ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.RESIDENT_INFO, message=text.strip()
        )
        outbox.post(messages.for_resident_info(report, event))
    return event


# "Find your report" sends the private link at most once in this many minutes per report.
TRACKING_LINK_EVERY_MINUTES = 15


def send_tracking_link(*, reference: str, email: str) -> bool:
    """Email the private tracking link to the address on the report, if the reference and
    the email match a report whose resident may be emailed. The caller must answer the
    same either way (never tell a stranger whether they guessed right); True if sent."""
    report = selectors.report_by_reference_and_email(reference, email)
    if report is None:
        return False
    now = timezone.now()
    window = now.replace(
        minute=now.minute - now.minute % TRACKING_LINK_EVERY_MINUTES, second=0, microsecond=0
    )
    return bool(outbox.post(messages.for_tracking_link(report, window=window.isoformat())))


def store_pending_upload(*, photo) -> PendingUpload:
    """Keep a cleaned photo until the report is submitted (or the purge removes it)."""
    with transaction.atomic():
        upload = PendingUpload(key=ids.new_nonce(), width=photo.width, height=photo.height)
        upload.image.save(photo.content.name, photo.content, save=False)
        upload.save()
    return upload


def discard_pending_uploads(*, keys: Sequence[str]) -> int:
    uploads = list(PendingUpload.objects.filter(key__in=list(keys)))
    names = [upload.image.name for upload in uploads]
    with transaction.atomic():
        PendingUpload.objects.filter(pk__in=[u.pk for u in uploads]).delete()
        transaction.on_commit(lambda: _delete_files(names))
    return len(uploads)


def purge_pending_uploads(*, older_than_hours: int | None = None) -> int:
    hours = (
        settings.REPORTING_PENDING_UPLOAD_HOURS if older_than_hours is None else older_than_hours
    )
    cutoff = timezone.now() - timedelta(hours=hours)
    keys = list(PendingUpload.objects.filter(created_at__lt=cutoff).values_list("key", flat=True))
    return discard_pending_uploads(keys=keys)


def anonymise_report(*, report: Report) -> None:
    """Blank the personal details of one report, keeping its content and statistics."""
    with transaction.atomic():
        names = [photo.image.name for photo in report.photos.all()]
        ReportContact.objects.filter(report=report).delete()
        report.photos.all().delete()
        ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.RESIDENT_INFO).update(
            message="(removed when the report was anonymised)"
        )
        Report.objects.filter(pk=report.pk).update(
            people_involved="",
            earlier_references="",
            anonymised_at=timezone.now(),
        )
        transaction.on_commit(lambda: _delete_files(names))


def anonymise_closed_reports(*, older_than_days: int | None = None, dry_run: bool = False) -> int:
    """Anonymise every closed report closed more than ``older_than_days`` ago."""
    from reporting.selectors import reports_due_for_anonymisation

    days = settings.REPORTING_RETENTION_DAYS if older_than_days is None else older_than_days
    due = list(reports_due_for_anonymisation(older_than_days=days))
    if not dry_run:
        for report in due:
            anonymise_report(report=report)
    return len(due)


# --- what follows from the outbox's messages (registered in reporting.kinds) ------------


def note_reached_case_system(message: Message, result) -> None:
    """The case system has the report: say so on the timeline (with its reference)."""
    report = message.report
    name = borough_name(message.borough_code) or "the council"
    text = f"We passed your report to {name}'s anti-social behaviour case system."
    if message.external_id and message.external_id != report.reference:
        text += f" Their reference is {message.external_id}."
    apply_update(
        report=report,
        status=Status.SENT,
        only_from=Status.RECEIVED,
        message=text,
        external_id=f"delivery:{message.idempotency_key}",
    )


def note_reached_borough_inbox(message: Message, result) -> None:
    """The borough's ASB inbox has the report: it is "sent" (not emailed to the resident:
    messages.QUIET_STATUSES)."""
    if message.report.status != Status.RECEIVED:
        return  # already sent on (apply_update checks again under the report's lock)
    apply_update(report=message.report, status=Status.SENT, only_from=Status.RECEIVED)


def note_dead_letter(message: Message) -> None:
    """A message to the borough will not go: tell staff, and the resident if needed."""
    outbox.post(messages.for_dead_letter(message))


# --- the quality call-back --------------------------------------------------------------


def invite_callback(*, report: Report) -> CallbackSurvey:
    """Ask the resident the call-back questions once per report (if they can be asked)."""
    nonce = ids.new_nonce(16)  # the survey's nonce column holds 32 hex digits
    with transaction.atomic():
        survey, created = CallbackSurvey.objects.get_or_create(
            report=report,
            defaults={
                "borough_code": report.borough_code,
                "nonce": nonce,
                "token_hash": ids.hash_token(ids.survey_token(nonce)),
            },
        )
        if created:
            outbox.post(messages.for_callback(report))
    return survey


def answer_callback(*, survey: CallbackSurvey, answers: dict[str, str]) -> bool:
    """Store the answers once; False if the survey was already answered."""
    fields = ("told_action", "seriousness", "know_action", "satisfaction")
    with transaction.atomic():
        return bool(
            CallbackSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
                answered_at=timezone.now(), **{name: answers.get(name, "") for name in fields}
            )
        )
