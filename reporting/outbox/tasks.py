"""The outbox's background work, through Django's Tasks API (django-tasks): the database
queue by default, RQ on Redis at scale, unchanged.

* :func:`kick` (after a message is committed): start a drain in the first free slot;
* :data:`drain` (a task): drain while holding that slot (``reporting.outbox.drain``);
* :data:`wake` (a deferred task): kick when a retry falls due.

Nothing here is needed for correctness: a lost task only delays a message until the
sweep (``manage.py sweep_outbox``, every 30 s from the scheduler) kicks again.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django_tasks import default_task_backend, task

from reporting.outbox import drain as drain_loop
from reporting.outbox import engine

logger = logging.getLogger(__name__)


def kick() -> bool:
    """Start a drain if a slot is free; False when every slot is already draining."""
    holder = drain_loop.new_holder()
    try:
        # Held for the queued-task TTL until the drain starts (and renews it with the
        # shorter running TTL): a drain waiting in a busy queue is not queued twice.
        slot = engine.take_slot(
            holder=holder,
            ttl=float(settings.OUTBOX_QUEUED_SLOT_TTL_SECONDS),
            count=int(settings.OUTBOX_DRAINERS),
        )
    except Exception:  # noqa: BLE001 - never fail the caller's request; the sweep kicks again
        logger.exception("Could not take an outbox drain slot")
        return False
    if slot is None:
        return False
    if not _enqueue_drain(slot, holder):
        engine.release_slot(slot=slot, holder=holder)
        return False
    return True


def _enqueue_drain(slot: int, holder: str) -> bool:
    try:
        drain.enqueue(slot, holder)
    except Exception:  # noqa: BLE001 - a queue outage must not lose anything: rows are kept
        logger.exception("Could not enqueue an outbox drain")
        return False
    return True


def continue_drain(slot: int, holder: str) -> bool:
    """Hand a held slot to a new drain task (the current one has had its turn); the slot
    is kept for the queued-task TTL until that task starts."""
    ttl = float(settings.OUTBOX_QUEUED_SLOT_TTL_SECONDS)
    if not engine.hold_slot(slot=slot, holder=holder, ttl=ttl):
        return False
    return _enqueue_drain(slot, holder)


def wake_at(when: datetime) -> None:
    """Kick again when a retry falls due (one wake per second at most), where the task
    backend can defer; elsewhere the sweep does it."""
    if not default_task_backend.supports_defer:
        return
    second = int(when.timestamp()) + 1
    try:
        timeout = int(max(0.0, second - time.time())) + 60
        if not cache.add(f"outbox:wake:{second}", 1, timeout=timeout):
            return
        wake.using(run_after=datetime.fromtimestamp(second, tz=when.tzinfo)).enqueue()
    except Exception:  # noqa: BLE001 - the sweep wakes it later
        logger.exception("Could not schedule an outbox wake-up")


@task()
def drain(slot: int, holder: str) -> str:
    return drain_loop.run(
        slot=slot, holder=holder, kick=kick, continue_=continue_drain, wake_at=wake_at
    )


@task()
def wake() -> str:
    return "draining" if kick() else "already draining"
