"""What the rest of the portal calls: post messages, send a dead one again, sweep.

``post()`` writes rows in the caller's transaction (so a message exists if and only if
what caused it was committed) and starts a drain once that transaction commits. Posting
the same (kind, report, recipient, discriminator) twice writes one row: that key is
unique in the table, so a message is sent once however often its cause is replayed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from reporting.outbox import engine, tasks
from reporting.outbox.adapters import AdapterPool
from reporting.outbox.delivery import deliver
from reporting.outbox.kinds import kind_for
from reporting.outbox.models import Channel, Message, State

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """A message to post: its kind, what it is about and who it is for."""

    kind: str
    report: object | None = None  # reporting.models.Report
    event: object | None = None  # reporting.models.ReportEvent
    about: Message | None = None
    config: object | None = None  # CaseSystemConfig: a report to a case system
    recipient: str = ""  # an inbox or staff address; blank for the resident
    borough_code: str = ""
    discriminator: str = ""  # what makes a second message of this kind a different one
    priority: int = 5


def dedupe_key(item: Outgoing) -> str:
    """Unique per (kind, report, recipient, discriminator)."""
    if item.config is not None:
        who = f"config:{item.config.pk}"
    else:
        who = item.recipient.strip().lower() or kind_for(item.kind).audience
    report_id = getattr(item.report, "pk", None) or "-"
    key = f"{item.kind}|{report_id}|{who}|{item.discriminator}"
    if len(key) > 255:
        key = f"{item.kind}|{report_id}|sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return key


def _row(item: Outgoing, now: datetime) -> Message:
    kind = kind_for(item.kind)
    config = item.config
    return Message(
        kind=item.kind,
        audience=kind.audience,
        channel=config.channel if config is not None else Channel.EMAIL,
        destination=config.destination if config is not None else Channel.EMAIL,
        report=item.report,
        event=item.event,
        about=item.about,
        config=config,
        borough_code=item.borough_code or getattr(item.report, "borough_code", "") or "",
        recipient=item.recipient.strip(),
        dedupe_key=dedupe_key(item),
        priority=item.priority,
        next_attempt_at=now,
        created_at=now,
    )


def post(items: Iterable[Outgoing]) -> int:
    """Write these messages (those not already posted) and drain once committed."""
    now = timezone.now()
    rows = [_row(item, now) for item in items]
    if not rows:
        return 0
    with transaction.atomic():
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        kick_on_commit()
    return len(rows)


class _KickAfterCommit:
    """The on-commit callback that starts a drain; knows whether it has run yet."""

    ran = False

    def __call__(self) -> None:
        self.ran = True
        tasks.kick()


def kick_on_commit() -> None:
    """Start a drain when the current transaction commits (once per transaction)."""
    pending = getattr(connection, "run_on_commit", [])
    if any(isinstance(entry[1], _KickAfterCommit) and not entry[1].ran for entry in pending):
        return
    transaction.on_commit(_KickAfterCommit(), robust=True)


def retry_now(*, message: Message, user=None) -> bool:
    """Staff's "send again": a dead or waiting message goes at once. False otherwise."""
    with transaction.atomic():
        requeued = engine.requeue(message=message)
        if requeued:
            who = user.get_username() if user is not None else "staff"
            logger.info("Outbox message %s sent again by %s", message.pk, who)
            kick_on_commit()
    return requeued


@dataclass(frozen=True)
class SweepResult:
    requeued_stalled: int
    due: bool
    kicked: bool
    probed: tuple[str, ...] = ()


def sweep(*, now: datetime | None = None) -> SweepResult:
    """Send again what a dead worker held (lease run out), try a destination that has only
    long-backed-off messages waiting (it may be back), and start a drain if anything is
    due: the safety net under every lost task, crash, missed wake-up and quiet recovery."""
    now = now or timezone.now()
    stalled = engine.expire_leases(now=now)
    probed = engine.probe_destinations(now=now)
    due = engine.has_due(now=now)
    kicked = tasks.kick() if due else False
    return SweepResult(requeued_stalled=stalled, due=due, kicked=kicked, probed=tuple(probed))


def drain_now(*, worker: str = "inline") -> int:
    """Deliver everything due in this process, now (management commands and tests)."""
    pool = AdapterPool()
    delivered = 0
    try:
        # One at a time (no lease to renew): this is for commands and tests, not a backlog.
        while (message := engine.claim_next(worker=worker)) is not None:
            delivered += deliver(message, pool, worker=worker).state == State.DELIVERED
    finally:
        pool.close()
    return delivered
