"""The loop a worker runs while it holds a drain slot: claim, deliver, repeat.

There are ``OUTBOX_DRAINERS`` slots (rows of :class:`~reporting.outbox.models.DrainSlot`),
each held with a lease, so that a burst of messages is drained by that many workers at
once without a task per message. A drain:

* claims a few messages at a time (``OUTBOX_CLAIM_BATCH``, with their reports: three
  queries for the batch), renewing the leases of the rest of a batch when it is slow;
* keeps its slot's lease fresh while it works, and one adapter per channel (one SMTP
  connection, kept-alive HTTP sessions) for its whole run;
* starts another drainer (``kick``) when it finds more waiting than it alone should carry;
* stops after ``OUTBOX_DRAIN_SECONDS`` and hands its slot to a new task (``continue_``),
  so a backlog never occupies a worker for ever and other tasks get their turn;
* when nothing is due, lets go of the slot and looks once more: a message committed just
  before the slot was released found it held and started nobody, so it must be seen
  here. (Whoever commits after the release finds the slot free and starts a drain.)

A worker killed mid-drain leaves its slot held until the lease runs out, and its message
in "sending" until the message's lease runs out; the sweep then sends it again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import OperationalError

from reporting.outbox import engine
from reporting.outbox.adapters import AdapterPool
from reporting.outbox.delivery import deliver
from reporting.outbox.models import State

logger = logging.getLogger(__name__)

HOST = socket.gethostname()
REFRESH_EVERY = 5.0  # seconds between renewals of the slot's lease
FLUSH_EVERY = 5.0  # seconds between recovery flushes of one destination


def new_holder() -> str:
    return uuid.uuid4().hex


def worker_name(holder: str) -> str:
    return f"{HOST}:{os.getpid()}:{holder[:8]}"


def run(
    *,
    slot: int,
    holder: str,
    kick: Callable[[], object],
    continue_: Callable[[int, str], bool],
    wake_at: Callable[[datetime], object],
) -> str:
    ttl = float(settings.OUTBOX_SLOT_TTL_SECONDS)
    if not engine.hold_slot(slot=slot, holder=holder, ttl=ttl):
        return "superseded"  # the slot went to a newer drain while this task waited
    worker = worker_name(holder)
    pool = AdapterPool()
    deadline = time.monotonic() + float(settings.OUTBOX_DRAIN_SECONDS)
    refreshed = kicked = time.monotonic()
    flushed: dict[str, float] = {}
    delivered = 0
    handed_over = False
    batch_size = max(1, int(settings.OUTBOX_CLAIM_BATCH))
    renew_after = engine.lease_seconds() / 2  # half the lease gone: renew the rest

    def deliver_all(batch: list) -> int:
        """Deliver a claimed batch in order, renewing the leases of what is left of it
        once half the lease is gone; returns how many were delivered."""
        nonlocal refreshed
        done, leased = 0, time.monotonic()
        for index, message in enumerate(batch):
            done += _deliver(message, pool, worker, flushed, wake_at) == State.DELIVERED
            rest, now = batch[index + 1 :], time.monotonic()
            if rest and now - leased > renew_after:
                engine.renew_leases(messages=rest, worker=worker)
                leased = now
            if rest and now - refreshed >= REFRESH_EVERY:  # a slow batch keeps its slot
                refreshed = now
                engine.hold_slot(slot=slot, holder=holder, ttl=ttl)
        return done

    try:
        while True:
            batch = _claim(worker, batch_size)
            if not batch:
                engine.release_slot(slot=slot, holder=holder)
                batch = _claim(worker, batch_size)
                if not batch:
                    return f"idle after {delivered}"
                if not engine.hold_slot(slot=slot, holder=holder, ttl=ttl):
                    # Someone took the slot meanwhile and its drain will carry on.
                    delivered += deliver_all(batch)
                    return f"handed over after {delivered}"
            delivered += deliver_all(batch)
            now = time.monotonic()
            if now - refreshed >= REFRESH_EVERY:
                refreshed = now
                if not engine.hold_slot(slot=slot, holder=holder, ttl=ttl):
                    return f"lost the slot after {delivered}"
            if now - kicked >= 1.0:
                kicked = now
                if engine.has_due():
                    kick()  # more waiting: another free slot, if any, starts on it
            if now >= deadline:
                handed_over = continue_(slot, holder)
                return f"continued after {delivered}"
    finally:
        pool.close()
        if not handed_over:
            engine.release_slot(slot=slot, holder=holder)


def _claim(worker: str, limit: int) -> list:
    for attempt in range(3):
        try:
            return engine.claim_batch(worker=worker, limit=limit)
        except OperationalError:  # SQLite busy for longer than its timeout: try again
            if attempt == 2:
                raise
            time.sleep(0.5)
    return []


def _deliver(message, pool, worker, flushed, wake_at) -> str:
    outcome = deliver(message, pool, worker=worker)
    if outcome.state == State.DELIVERED:
        now = time.monotonic()
        if message.attempts > 1 or now - flushed.get(message.destination, 0.0) >= FLUSH_EVERY:
            flushed[message.destination] = now
            engine.flush_destination(destination=message.destination)
    elif outcome.retry_at is not None:
        wake_at(outcome.retry_at)
    return outcome.state
