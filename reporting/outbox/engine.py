"""Every change of a message's state, each one short transaction.

A message's life::

    queued ──claim──> sending ──accepted──> delivered
      ^                 │
      │                 ├─4xx, dropped, timeout──> retrying ──(backoff passes)──claim──> ...
      │                 ├─5xx, or retried for OUTBOX_RETRY_FOR_HOURS──> dead ──retry──> queued
      │                 └─nothing to send (Cancel)──> cancelled
      └──sweep── sending with its lease run out (the worker died mid-attempt)

Claiming is one statement: ``UPDATE ... WHERE id = (SELECT ... LIMIT 1 FOR UPDATE SKIP
LOCKED) RETURNING``, so two workers never hold the same row and never wait for each
other's rows on PostgreSQL; on SQLite the single writer gives the same guarantee. The
answer of the recipient is recorded the moment it arrives, in one transaction with what
follows from it (the kind's on_delivered), so the window in which a worker can die after
the server accepted but before the row says so is as short as that transaction.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from reporting.outbox.adapters.base import DeliveryError, SendResult
from reporting.outbox.backoff import backoff_seconds
from reporting.outbox.kinds import MessageKind
from reporting.outbox.models import (
    CLAIMABLE,
    Attempt,
    CaseSystemConfig,
    DrainSlot,
    Message,
    State,
)

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # a lease that ran out long ago


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _dt(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _skip_locked() -> str:
    """PostgreSQL: pass over rows another worker has locked instead of waiting for them."""
    if connection.features.has_select_for_update_skip_locked:
        return " FOR UPDATE SKIP LOCKED"
    return ""


def _due_index() -> str:
    """SQLite's planner, without statistics, may sort the whole table instead of walking
    the partial index of due rows: tell it. PostgreSQL's planner finds the index itself."""
    return " INDEXED BY outbox_message_due" if connection.vendor == "sqlite" else ""


def lease_seconds() -> float:
    """The configured lease, and at least three of the slowest sends. A worker working
    through a claimed batch renews the rest of it once half the lease is gone, so every
    message starts with at least half a lease (one and a half timeouts) still to run."""
    slowest = max(float(settings.OUTBOX_HTTP_TIMEOUT), float(settings.EMAIL_TIMEOUT or 0))
    return max(float(settings.OUTBOX_LEASE_SECONDS), 3 * slowest)


# --- claiming ---------------------------------------------------------------------------


def claim_batch(*, worker: str, limit: int, now: datetime | None = None) -> list[Message]:
    """Take up to ``limit`` due messages (by priority, then due time) for one attempt each,
    with their reports and case systems: three queries however many are claimed."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=lease_seconds())
    table = _quote(Message._meta.db_table)
    columns = ", ".join(_quote(field.column) for field in Message._meta.concrete_fields)
    # The states are written into the statement (they are constants of this module) so
    # that both databases can see it matches the partial index "outbox_message_due".
    claimable = ", ".join(f"'{state}'" for state in CLAIMABLE)
    sql = (
        f"UPDATE {table} SET state = %s, lease_until = %s, attempts = attempts + 1,"  # noqa: S608
        f" claimed_by = %s WHERE id IN (SELECT id FROM {table}{_due_index()}"
        f" WHERE state IN ({claimable}) AND next_attempt_at <= %s"
        f" ORDER BY priority, next_attempt_at, id LIMIT %s{_skip_locked()})"
        f" RETURNING {columns}"
    )
    params = [State.SENDING, _dt(lease), worker[:80], _dt(now), int(limit)]
    # One statement, atomic on its own: no transaction around it (two round trips fewer).
    claimed = list(Message.objects.raw(sql, params))
    if not claimed:
        return []
    claimed.sort(key=lambda m: (m.priority, m.next_attempt_at, m.pk))
    report_model = Message._meta.get_field("report").related_model  # the outbox imports no app
    reports = report_model.objects.in_bulk({m.report_id for m in claimed if m.report_id})
    config_ids = {m.config_id for m in claimed if m.config_id}
    configs = CaseSystemConfig.objects.in_bulk(config_ids) if config_ids else {}
    for message in claimed:
        message.report = reports.get(message.report_id)
        message.config = configs.get(message.config_id)
    return claimed


def claim_next(*, worker: str, now: datetime | None = None) -> Message | None:
    """Take the first due message for one attempt (a batch of one)."""
    claimed = claim_batch(worker=worker, limit=1, now=now)
    return claimed[0] if claimed else None


def renew_leases(*, messages: list[Message], worker: str) -> int:
    """A worker still working through a claimed batch keeps the rest of it."""
    lease = timezone.now() + timedelta(seconds=lease_seconds())
    return Message.objects.filter(  # one statement: atomic without a transaction
        pk__in=[m.pk for m in messages], state=State.SENDING, claimed_by=worker[:80]
    ).update(lease_until=lease)


def has_due(*, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return Message.objects.filter(state__in=CLAIMABLE, next_attempt_at__lte=now).exists()


# --- recording --------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptInfo:
    started_at: datetime
    duration_ms: int
    worker: str


def _log(message: Message, info: AttemptInfo, outcome: str, *, status=None, error="") -> None:
    Attempt.objects.create(
        message_id=message.pk,
        number=message.attempts,
        started_at=info.started_at,
        duration_ms=max(0, info.duration_ms),
        outcome=outcome,
        status_code=status,
        error=error[:2000],
        worker=info.worker[:80],
    )


def record_delivered(
    *, message: Message, result: SendResult, info: AttemptInfo, kind: MessageKind | None
) -> bool:
    """The recipient took it. True the first time (the kind's on_delivered ran then)."""
    now = timezone.now()
    with transaction.atomic():
        updated = (
            Message.objects.filter(pk=message.pk)
            .exclude(state=State.DELIVERED)
            .update(
                state=State.DELIVERED,
                delivered_at=now,
                lease_until=None,
                last_error="",
                last_status=result.status_code,
                external_id=result.external_id[:200],
                token=result.token[:200],
            )
        )
        problem = ""
        if updated and kind is not None and kind.on_delivered is not None:
            message.external_id, message.token = result.external_id, result.token
            try:
                with transaction.atomic():
                    kind.on_delivered(message, result)
            except Exception as error:  # noqa: BLE001 - it was delivered: never send it again
                logger.exception("After delivering message %s: %s failed", message.pk, kind.name)
                problem = f"Delivered, but what follows failed: {type(error).__name__}: {error}"
        _log(message, info, Attempt.Outcome.DELIVERED, status=result.status_code, error=problem)
    return bool(updated)


def record_failed(
    *,
    message: Message,
    error: DeliveryError,
    info: AttemptInfo,
    kind: MessageKind | None,
    rng: random.Random | None = None,
) -> tuple[str, datetime | None]:
    """An attempt failed: retry after a backoff, or dead-letter it. Returns (state, when)."""
    now = timezone.now()
    text = str(error)[:2000]
    expired = now - message.created_at > timedelta(hours=settings.OUTBOX_RETRY_FOR_HOURS)
    give_up = error.permanent or expired
    if expired and not error.permanent:
        text = f"Gave up after {settings.OUTBOX_RETRY_FOR_HOURS} hours of trying. {text}"
    with transaction.atomic():
        _log(
            message,
            info,
            Attempt.Outcome.REJECTED if error.permanent else Attempt.Outcome.FAILED,
            status=error.status_code,
            error=text,
        )
        ours = Message.objects.filter(pk=message.pk, state=State.SENDING, attempts=message.attempts)
        if give_up:
            updated = ours.update(
                state=State.DEAD,
                dead_at=now,
                lease_until=None,
                last_error=text,
                last_status=error.status_code,
            )
            if updated and kind is not None and kind.on_dead is not None:
                message.state, message.last_error = State.DEAD, text
                try:
                    with transaction.atomic():
                        kind.on_dead(message)
                except Exception:  # noqa: BLE001 - the dead letter itself is on the dashboard
                    logger.exception("After message %s died: %s failed", message.pk, kind.name)
            return State.DEAD, None
        delay = backoff_seconds(
            message.attempts,
            base=settings.OUTBOX_BACKOFF_BASE_SECONDS,
            cap=settings.OUTBOX_BACKOFF_MAX_SECONDS,
            rng=rng,
        )
        when = now + timedelta(seconds=delay)
        ours.update(
            state=State.RETRYING,
            next_attempt_at=when,
            lease_until=None,
            last_error=text,
            last_status=error.status_code,
        )
    return State.RETRYING, when


def record_cancelled(*, message: Message, reason: str, info: AttemptInfo) -> None:
    with transaction.atomic():
        _log(message, info, Attempt.Outcome.CANCELLED, error=reason)
        Message.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=State.CANCELLED, lease_until=None, last_error=reason[:2000]
        )


def probe_destinations(*, now: datetime | None = None) -> list[str]:
    """A destination whose every waiting message is backed off further than
    ``OUTBOX_PROBE_AFTER_SECONDS``, with nothing queued or in flight for it, gets its first
    waiting message tried now. If the server is back, that delivery brings the rest forward
    (``flush_destination``); so a recovered server gets its backlog within one sweep, not
    after the longest backoff. Returns the destinations probed."""
    now = now or timezone.now()
    horizon = now + timedelta(seconds=float(settings.OUTBOX_PROBE_AFTER_SECONDS))
    quiet = dict(
        Message.objects.filter(state=State.RETRYING)
        .values("destination")
        .annotate(soonest=Min("next_attempt_at"))
        .filter(soonest__gt=horizon)
        .values_list("destination", "soonest")
        .order_by()
    )
    if not quiet:
        return []
    busy = set(
        Message.objects.filter(
            Q(state=State.SENDING) | Q(state=State.QUEUED, next_attempt_at__lte=horizon),
            destination__in=list(quiet),
        )
        .values_list("destination", flat=True)
        .distinct()
    )
    probed = []
    for destination, soonest in quiet.items():
        if destination in busy:
            continue
        first = (
            Message.objects.filter(
                destination=destination, state=State.RETRYING, next_attempt_at=soonest
            )
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if first is not None and Message.objects.filter(
            pk=first, state=State.RETRYING, next_attempt_at__gt=horizon
        ).update(next_attempt_at=now):
            probed.append(destination)
    return probed


def flush_destination(*, destination: str, now: datetime | None = None) -> int:
    """The destination took a message: bring forward what waits to retry there, so a
    recovered mail server or case system gets its backlog at once, not after the backoff."""
    now = now or timezone.now()
    return Message.objects.filter(
        destination=destination, state=State.RETRYING, next_attempt_at__gt=now
    ).update(next_attempt_at=now)


def expire_leases(*, now: datetime | None = None) -> int:
    """Messages whose worker died mid-attempt (the lease ran out) are due again now."""
    now = now or timezone.now()
    expired = list(
        Message.objects.filter(state=State.SENDING, lease_until__lt=now).values_list(
            "pk", "attempts", "claimed_by"
        )
    )
    count = 0
    for pk, attempts, worker in expired:
        with transaction.atomic():
            updated = Message.objects.filter(
                pk=pk, state=State.SENDING, attempts=attempts, lease_until__lt=now
            ).update(
                state=State.RETRYING,
                next_attempt_at=now,
                lease_until=None,
                last_error="The worker stopped during the attempt; sending again.",
            )
            if updated:
                Attempt.objects.create(
                    message_id=pk,
                    number=attempts,
                    started_at=now,
                    outcome=Attempt.Outcome.INTERRUPTED,
                    error="The worker stopped during the attempt (its lease ran out).",
                    worker=worker,
                )
                count += 1
    return count


def requeue(*, message: Message) -> bool:
    """Staff's "send again": a dead (or waiting) message is due now, its clock restarted."""
    now = timezone.now()
    with transaction.atomic():
        return bool(
            Message.objects.filter(pk=message.pk, state__in=[State.DEAD, State.RETRYING]).update(
                state=State.QUEUED,
                next_attempt_at=now,
                created_at=now,
                dead_at=None,
                lease_until=None,
            )
        )


# --- drain slots ------------------------------------------------------------------------


def _ensure_slots(count: int) -> None:
    if DrainSlot.objects.filter(slot__lt=count).count() < count:
        DrainSlot.objects.bulk_create(
            [DrainSlot(slot=n, lease_until=EPOCH) for n in range(count)],
            ignore_conflicts=True,
        )


def take_slot(*, holder: str, ttl: float, count: int) -> int | None:
    """Hold the first free drain slot (one whose lease ran out); None if all are held."""
    slot = _take_free_slot(holder=holder, ttl=ttl, count=count)
    if slot is None and DrainSlot.objects.filter(slot__lt=count).count() < count:
        _ensure_slots(count)  # the first kick ever, or OUTBOX_DRAINERS was raised
        slot = _take_free_slot(holder=holder, ttl=ttl, count=count)
    return slot


def _take_free_slot(*, holder: str, ttl: float, count: int) -> int | None:
    now = timezone.now()
    table = _quote(DrainSlot._meta.db_table)
    sql = (
        f"UPDATE {table} SET lease_until = %s, holder = %s WHERE slot = ("  # noqa: S608
        f"SELECT slot FROM {table} WHERE slot < %s AND lease_until < %s"
        f" ORDER BY slot LIMIT 1{_skip_locked()}) RETURNING slot"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [_dt(now + timedelta(seconds=ttl)), holder, count, _dt(now)])
        row = cursor.fetchone()
    return row[0] if row else None


def hold_slot(*, slot: int, holder: str, ttl: float) -> bool:
    """Renew (or take back, if its lease ran out) this holder's slot; False if lost."""
    now = timezone.now()
    with transaction.atomic():
        return bool(
            DrainSlot.objects.filter(slot=slot)
            .filter(Q(holder=holder) | Q(lease_until__lt=now))
            .update(lease_until=now + timedelta(seconds=ttl), holder=holder)
        )


def release_slot(*, slot: int, holder: str) -> None:
    with transaction.atomic():
        DrainSlot.objects.filter(slot=slot, holder=holder).update(lease_until=EPOCH)
