"""One attempt at one claimed message: compose it (its kind), send it (its channel's
adapter), record the answer (engine). Never raises for a failure: the outcome is on the
row, which is what staff see and what the sweep works from."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import OperationalError
from django.utils import timezone

from reporting.outbox import engine
from reporting.outbox.adapters import AdapterPool
from reporting.outbox.adapters.base import DeliveryError
from reporting.outbox.kinds import Cancel, UnknownKind, kind_for
from reporting.outbox.models import Audience, Message, State

logger = logging.getLogger(__name__)

EMAIL_ADDRESS = re.compile(r"[^\s<>\"'(),;:]+@[^\s<>\"'(),;:]+")


def redact(message: Message, text: str) -> str:
    """A resident's address never reaches the stored reason (staff read it) or the logs."""
    if message.audience == Audience.RESIDENT:
        return EMAIL_ADDRESS.sub("<the resident's address>", text)
    return text


@dataclass(frozen=True)
class Outcome:
    state: str
    retry_at: datetime | None = None


def deliver(message: Message, pool: AdapterPool, *, worker: str) -> Outcome:
    started_at = timezone.now()
    start = time.monotonic()

    def info() -> engine.AttemptInfo:
        return engine.AttemptInfo(
            started_at=started_at, duration_ms=int((time.monotonic() - start) * 1000), worker=worker
        )

    try:
        kind = kind_for(message.kind)
    except UnknownKind as error:
        state, when = engine.record_failed(
            message=message, error=DeliveryError(str(error)), info=info(), kind=None
        )
        return Outcome(state, when)
    try:
        envelope = kind.compose(message)
        result = pool.for_channel(message.channel).send(envelope, message_id=message.message_id)
    except Cancel as reason:
        engine.record_cancelled(message=message, reason=str(reason), info=info())
        return Outcome(State.CANCELLED)
    except DeliveryError as error:
        error = DeliveryError(
            redact(message, str(error)), status_code=error.status_code, permanent=error.permanent
        )
        logger.info(
            "Outbox message %s (%s) attempt %s failed: %s",
            message.pk,
            message.kind,
            message.attempts,
            error,
        )
        state, when = engine.record_failed(message=message, error=error, info=info(), kind=kind)
        return Outcome(state, when)
    except Exception as error:  # noqa: BLE001 - a bug must not leave the row in "sending"
        logger.exception("Outbox message %s (%s) failed unexpectedly", message.pk, message.kind)
        failure = DeliveryError(redact(message, f"{type(error).__name__}: {error}"))
        state, when = engine.record_failed(message=message, error=failure, info=info(), kind=kind)
        return Outcome(state, when)
    # Accepted: record it now. A database that is busy for a moment must not turn an
    # accepted message into a resend, so the record is tried again before giving up.
    for attempt in range(5):
        try:
            engine.record_delivered(message=message, result=result, info=info(), kind=kind)
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
    return Outcome(State.DELIVERED)
