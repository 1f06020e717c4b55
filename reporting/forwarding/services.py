"""Every write of the forwarding app. Keyword-only arguments, one transaction each.

A delivery's life::

    pending ──claim──> sending ──ok──> delivered
       ^                 │
       │                 ├─failure──> retrying ──(backoff passes)──claim──> sending ...
       │                 ├─4xx / attempts used up──> dead ──"retry now"──> pending
       └──sweep──────────┘ (lease expired: the worker died mid-attempt)

Claiming is one conditional UPDATE, so two workers (or a worker and the sweep) can never
both hold a delivery, on SQLite and PostgreSQL alike. Sending twice is still possible (a
worker killed after the case system answered): the idempotency key makes the case system
return the same case, so a report is filed exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from geography.boundaries import borough_name
from reporting.forwarding.backoff import backoff_seconds
from reporting.forwarding.models import (
    CallbackSurvey,
    CaseSystemConfig,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    InboundUpdate,
    Open311ApiKey,
)
from reporting.forwarding.statuses import portal_status
from reporting.forwarding.tokens import hash_secret, new_nonce, new_secret, survey_token
from reporting.models import Report, Status
from reporting.services import apply_update

logger = logging.getLogger(__name__)

CLAIMABLE = (DeliveryState.PENDING, DeliveryState.RETRYING)


# --- the outbox -------------------------------------------------------------------------


def create_deliveries(*, report: Report) -> list[Delivery]:
    """One delivery per enabled case system of the report's borough, written in the
    caller's transaction (submit_report's), each sent by a task once it commits.

    Idempotent: a destination that already has a delivery for this report is skipped.
    """
    with transaction.atomic():
        now = timezone.now()
        configs = CaseSystemConfig.objects.filter(borough_code=report.borough_code, enabled=True)
        existing = set(Delivery.objects.filter(report=report).values_list("config_id", flat=True))
        deliveries = [
            Delivery.objects.create(
                report=report,
                config=config,
                borough_code=config.borough_code,
                kind=config.kind,
                next_attempt_at=now,
                enqueued_at=now,
            )
            for config in configs
            if config.pk not in existing
        ]
        for delivery in deliveries:
            transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries


def enqueue_delivery(delivery_id: int, *, run_after: datetime | None = None) -> bool:
    """Put a send task on the queue. Never raises: the sweep re-queues what is lost."""
    from django_tasks import default_task_backend

    from reporting.forwarding.tasks import send_delivery

    try:
        if run_after is None:
            send_delivery.enqueue(delivery_id)
        elif default_task_backend.supports_defer:
            send_delivery.using(run_after=run_after).enqueue(delivery_id)
        else:
            return False  # the sweep enqueues it once it is due
    except Exception:  # noqa: BLE001 - a queue outage must not lose the delivery row
        logger.exception("Could not enqueue delivery %s; the sweep will", delivery_id)
        return False
    return True


def claim_delivery(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Take a due delivery for one attempt; None when it is not due or someone has it."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.FORWARDING_LEASE_SECONDS)
    with transaction.atomic():
        claimed = Delivery.objects.filter(
            pk=delivery_id, state__in=CLAIMABLE, next_attempt_at__lte=now
        ).update(state=DeliveryState.SENDING, lease_until=lease, attempts=F("attempts") + 1)
        if not claimed:
            return None
        return Delivery.objects.select_related("config", "report").get(pk=delivery_id)


def _log_attempt(
    *,
    delivery: Delivery,
    outcome: str,
    started_at: datetime,
    duration_ms: int,
    http_status: int | None = None,
    error: str = "",
) -> None:
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started_at,
        duration_ms=max(0, duration_ms),
        outcome=outcome,
        http_status=http_status,
        error=error[:2000],
    )


def record_success(
    *,
    delivery: Delivery,
    external_id: str,
    token: str = "",
    http_status: int | None = None,
    started_at: datetime,
    duration_ms: int,
) -> None:
    """The case system has the report: mark delivered and tell the resident's timeline."""
    with transaction.atomic():
        now = timezone.now()
        Delivery.objects.filter(pk=delivery.pk).exclude(state=DeliveryState.DELIVERED).update(
            state=DeliveryState.DELIVERED,
            delivered_at=now,
            lease_until=None,
            last_error="",
            external_id=external_id[:200],
            token=token[:200],
        )
        _log_attempt(
            delivery=delivery,
            outcome=DeliveryAttempt.Outcome.DELIVERED,
            started_at=started_at,
            duration_ms=duration_ms,
            http_status=http_status,
        )
        _note_delivered(delivery=delivery, external_id=external_id)


def _note_delivered(*, delivery: Delivery, external_id: str) -> None:
    report = Report.objects.get(pk=delivery.report_id)
    name = borough_name(delivery.borough_code) or "the council"
    message = f"We passed your report to {name}'s anti-social behaviour case system."
    if external_id and external_id != report.reference:
        message += f" Their reference is {external_id}."
    apply_update(
        report=report,
        status=Status.SENT if report.status == Status.RECEIVED else None,
        message=message,
        external_id=f"delivery:{delivery.idempotency_key}",
        notify_resident=False,
    )


def record_failure(
    *,
    delivery: Delivery,
    error: str,
    permanent: bool = False,
    http_status: int | None = None,
    started_at: datetime,
    duration_ms: int,
    rng=None,
) -> str:
    """An attempt failed: retry later with backoff, or give up ("dead"). Returns the state."""
    with transaction.atomic():
        now = timezone.now()
        give_up = permanent or delivery.attempts >= settings.FORWARDING_MAX_ATTEMPTS
        _log_attempt(
            delivery=delivery,
            outcome=(
                DeliveryAttempt.Outcome.REJECTED if permanent else DeliveryAttempt.Outcome.FAILED
            ),
            started_at=started_at,
            duration_ms=duration_ms,
            http_status=http_status,
            error=error,
        )
        ours = Delivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.SENDING, attempts=delivery.attempts
        )
        if give_up:
            updated = ours.update(
                state=DeliveryState.DEAD, dead_at=now, lease_until=None, last_error=error[:2000]
            )
            if updated:
                transaction.on_commit(lambda: _enqueue_alert(delivery.pk))
            return DeliveryState.DEAD
        delay = backoff_seconds(
            delivery.attempts,
            base=settings.FORWARDING_BACKOFF_BASE_SECONDS,
            cap=settings.FORWARDING_BACKOFF_MAX_SECONDS,
            rng=rng,
        )
        when = now + timedelta(seconds=delay)
        updated = ours.update(
            state=DeliveryState.RETRYING,
            next_attempt_at=when,
            enqueued_at=when,
            lease_until=None,
            last_error=error[:2000],
        )
        if updated:
            transaction.on_commit(lambda: enqueue_delivery(delivery.pk, run_after=when))
        return DeliveryState.RETRYING


def _enqueue_alert(delivery_id: int) -> None:
    from reporting.forwarding.tasks import alert_dead_delivery

    try:
        alert_dead_delivery.enqueue(delivery_id)
    except Exception:  # noqa: BLE001 - the sweep alerts what is left unalerted
        logger.exception("Could not enqueue the alert for delivery %s", delivery_id)


def mark_alerted(*, delivery_id: int) -> bool:
    """True the first time only: one alert per death."""
    with transaction.atomic():
        return bool(
            Delivery.objects.filter(
                pk=delivery_id, state=DeliveryState.DEAD, alerted_at__isnull=True
            ).update(alerted_at=timezone.now())
        )


def retry_now(*, delivery: Delivery) -> bool:
    """Staff's "retry now": a dead or waiting delivery goes back to the queue at once,
    with its attempts counted afresh. False if it is delivered or being sent."""
    with transaction.atomic():
        now = timezone.now()
        updated = Delivery.objects.filter(
            pk=delivery.pk, state__in=[DeliveryState.DEAD, DeliveryState.RETRYING]
        ).update(
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=now,
            enqueued_at=now,
            dead_at=None,
            alerted_at=None,
        )
        if updated:
            transaction.on_commit(lambda: enqueue_delivery(delivery.pk))
    return bool(updated)


def set_external_id(*, delivery: Delivery, external_id: str) -> None:
    """An Open311 token has resolved to the case's id."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(external_id=external_id[:200])


@dataclass(frozen=True)
class SweepResult:
    requeued_stalled: int
    requeued_due: int
    alerted: int


def sweep(*, now: datetime | None = None) -> SweepResult:
    """Re-queue deliveries whose worker died (lease expired) or whose task was lost, and
    alert about dead deliveries nobody was told about."""
    now = now or timezone.now()
    stalled_ids = list(
        Delivery.objects.filter(state=DeliveryState.SENDING, lease_until__lt=now).values_list(
            "pk", flat=True
        )
    )
    stalled = 0
    for pk in stalled_ids:
        with transaction.atomic():
            stalled += Delivery.objects.filter(
                pk=pk, state=DeliveryState.SENDING, lease_until__lt=now
            ).update(
                state=DeliveryState.RETRYING,
                next_attempt_at=now,
                enqueued_at=now,
                lease_until=None,
                last_error="The worker stopped during the attempt; sending again.",
            )
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    cutoff = now - timedelta(seconds=settings.FORWARDING_REQUEUE_AFTER_SECONDS)
    due_ids = list(
        Delivery.objects.filter(state__in=CLAIMABLE, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff))
        .values_list("pk", flat=True)
    )
    due = 0
    for pk in due_ids:
        with transaction.atomic():
            due += Delivery.objects.filter(pk=pk, state__in=CLAIMABLE).update(enqueued_at=now)
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    unalerted = list(
        Delivery.objects.filter(state=DeliveryState.DEAD, alerted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for pk in unalerted:
        _enqueue_alert(pk)
    return SweepResult(requeued_stalled=stalled, requeued_due=due, alerted=len(unalerted))


def set_poll_cursor(*, config: CaseSystemConfig, polled_at: datetime, cursor: datetime | None):
    with transaction.atomic():
        values = {"last_polled_at": polled_at}
        if cursor is not None:
            values["poll_cursor"] = cursor
        CaseSystemConfig.objects.filter(pk=config.pk).update(**values)


# --- updates coming back ----------------------------------------------------------------


class UnknownReport(Exception):
    """No report of this borough has that reference or case id."""


@dataclass(frozen=True)
class CaseUpdate:
    update_id: str
    status: str
    updated_datetime: datetime
    description: str = ""
    external_status_code: str = ""
    reference: str = ""  # the portal's reference
    service_request_id: str = ""  # the case system's own id


@dataclass(frozen=True)
class UpdateOutcome:
    report: Report
    duplicate: bool
    portal_status: str | None


def find_report(*, borough_code: str, reference: str = "", case_id: str = "") -> Report:
    if reference:
        report = Report.objects.filter(reference=reference, borough_code=borough_code).first()
        if report is not None:
            return report
    if case_id:
        delivery = (
            Delivery.objects.filter(borough_code=borough_code, external_id=case_id)
            .select_related("report")
            .first()
        )
        if delivery is not None:
            return delivery.report
    raise UnknownReport(f"No report of {borough_code} matches {reference or case_id!r}")


def record_case_update(*, borough_code: str, update: CaseUpdate, source: str) -> UpdateOutcome:
    """Put one update from a case system on the resident's timeline; idempotent by
    (borough, update id). An update older than one already applied adds its words but
    does not turn the status back. Closing a report invites the call-back survey."""
    report = find_report(
        borough_code=borough_code, reference=update.reference, case_id=update.service_request_id
    )
    status = portal_status(update.status, update.external_status_code)
    with transaction.atomic():
        if InboundUpdate.objects.filter(
            borough_code=borough_code, update_id=update.update_id
        ).exists():
            return UpdateOutcome(report=report, duplicate=True, portal_status=status)
        newer_exists = InboundUpdate.objects.filter(
            report=report, updated_datetime__gt=update.updated_datetime
        ).exists()
        try:
            with transaction.atomic():
                InboundUpdate.objects.create(
                    borough_code=borough_code,
                    update_id=update.update_id[:200],
                    report=report,
                    source=source,
                    external_status=(update.external_status_code or update.status)[:64],
                    portal_status=status or "",
                    updated_datetime=update.updated_datetime,
                )
        except IntegrityError:  # the same update raced in from elsewhere
            return UpdateOutcome(report=report, duplicate=True, portal_status=status)
        report.refresh_from_db()
        apply_status = None if newer_exists else status
        changes = apply_status is not None and apply_status != report.status
        message = update.description.strip()
        if changes or message:
            apply_update(
                report=report,
                status=apply_status if changes else None,
                message=message,
                external_id=f"case:{borough_code}:{update.update_id}"[:200],
            )
        if changes and apply_status == Status.CLOSED:
            invite_callback(report=report)
        report.refresh_from_db()
    return UpdateOutcome(report=report, duplicate=False, portal_status=status)


# --- the quality call-back --------------------------------------------------------------


def invite_callback(*, report: Report) -> CallbackSurvey | None:
    """Ask the resident the call-back questions once per report (if they can be asked)."""
    nonce = new_nonce()
    with transaction.atomic():
        survey, created = CallbackSurvey.objects.get_or_create(
            report=report,
            defaults={
                "borough_code": report.borough_code,
                "nonce": nonce,
                "token_hash": hash_secret(survey_token(nonce)),
            },
        )
        if created:
            transaction.on_commit(lambda pk=survey.pk: _enqueue_invitation(pk))
    return survey


def _enqueue_invitation(survey_id: int) -> None:
    from reporting.forwarding.tasks import send_callback_invitation

    try:
        send_callback_invitation.enqueue(survey_id)
    except Exception:  # noqa: BLE001 - the link is on the tracking page as well
        logger.exception("Could not enqueue call-back invitation %s", survey_id)


def mark_invitation_sent(*, survey: CallbackSurvey) -> None:
    with transaction.atomic():
        CallbackSurvey.objects.filter(pk=survey.pk).update(emailed_at=timezone.now())


def answer_callback(*, survey: CallbackSurvey, answers: dict[str, str]) -> bool:
    """Store the answers once; False if the survey was already answered."""
    fields = ("told_action", "seriousness", "know_action", "satisfaction")
    with transaction.atomic():
        return bool(
            CallbackSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
                answered_at=timezone.now(), **{name: answers.get(name, "") for name in fields}
            )
        )


# --- Open311 keys -----------------------------------------------------------------------


def issue_open311_key(*, name: str, user=None) -> tuple[Open311ApiKey, str]:
    """A new key for another service; returns the row and the key (shown once only)."""
    key = new_secret()
    with transaction.atomic():
        row = Open311ApiKey.objects.create(
            name=name.strip()[:100], prefix=key[:8], key_hash=hash_secret(key), created_by=user
        )
    return row, key


def revoke_open311_key(*, api_key: Open311ApiKey) -> None:
    with transaction.atomic():
        Open311ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def touch_open311_key(*, api_key: Open311ApiKey) -> None:
    with transaction.atomic():
        Open311ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())


def record_open311_submission(*, report: Report, api_key: Open311ApiKey, service_code: str):
    from reporting.forwarding.models import Open311Submission

    with transaction.atomic():
        return Open311Submission.objects.create(
            report=report, api_key=api_key, service_code=service_code[:64]
        )
