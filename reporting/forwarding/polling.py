"""Fetching updates from Open311 case systems that support mySociety's
``servicerequestupdates``, and resolving Open311 tokens to case ids."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from reporting.forwarding import services
from reporting.forwarding.models import InboundUpdate
from reporting.messages import CASE_REPORT
from reporting.outbox.adapters.base import DeliveryError
from reporting.outbox.adapters.open311 import Open311Client
from reporting.outbox.models import AdapterKind, CaseSystemConfig, Message, State

logger = logging.getLogger(__name__)

FIRST_POLL_WINDOW = timedelta(days=1)
# An update for a case we cannot match holds the cursor back (its case id may be about to
# arrive) for this long at most; after that it is someone else's case and is passed over.
UNKNOWN_GRACE = timedelta(minutes=10)


@dataclass
class PollResult:
    borough_code: str
    fetched: int = 0
    applied: int = 0
    duplicates: int = 0
    unknown: int = 0
    tokens_resolved: int = 0
    error: str = ""


def resolve_tokens(config: CaseSystemConfig, client: Open311Client) -> int:
    resolved = 0
    waiting = Message.objects.filter(
        kind=CASE_REPORT, config=config, state=State.DELIVERED, external_id="", token__gt=""
    )[:200]
    for message in waiting:
        case_id = client.resolve_token(message.token)
        if case_id:
            services.set_external_id(message=message, external_id=case_id)
            resolved += 1
    return resolved


def poll_config(config: CaseSystemConfig) -> PollResult:
    result = PollResult(borough_code=config.borough_code)
    client = Open311Client(config.target())
    now = timezone.now()
    start = config.poll_cursor or (now - FIRST_POLL_WINDOW)
    try:
        result.tokens_resolved = resolve_tokens(config, client)
        updates = client.updates(start=start, end=now)
    except DeliveryError as error:
        result.error = str(error)
        logger.warning("Polling %s failed: %s", config.borough_code, error)
        services.set_poll_cursor(config=config, polled_at=now, cursor=None)
        return result
    result.fetched = len(updates)
    seen = set(
        InboundUpdate.objects.filter(
            borough_code=config.borough_code, update_id__in=[u.update_id for u in updates]
        ).values_list("update_id", flat=True)
    )
    cursor = config.poll_cursor
    held = False
    for update in sorted(updates, key=lambda u: u.updated_datetime):
        if update.update_id in seen:
            result.duplicates += 1
        else:
            try:
                outcome = services.record_case_update(
                    borough_code=config.borough_code,
                    update=services.CaseUpdate(
                        update_id=update.update_id,
                        status=update.status,
                        external_status_code=update.external_status_code,
                        description=update.description,
                        updated_datetime=update.updated_datetime,
                        service_request_id=update.service_request_id,
                    ),
                    source=InboundUpdate.Source.POLL,
                )
            except services.UnknownReport:
                # Not ours (yet): a token not resolved, or a case filed elsewhere. Stop the
                # cursor here so it is fetched again once the case id is known.
                result.unknown += 1
                if update.updated_datetime > now - UNKNOWN_GRACE:
                    held = True
                continue
            if outcome.duplicate:
                result.duplicates += 1
            else:
                result.applied += 1
            seen.add(update.update_id)
        if not held and (cursor is None or update.updated_datetime > cursor):
            cursor = update.updated_datetime
    services.set_poll_cursor(config=config, polled_at=now, cursor=cursor)
    return result


def poll_all() -> list[PollResult]:
    configs = CaseSystemConfig.objects.filter(
        enabled=True, poll_updates=True, kind=AdapterKind.OPEN311
    )
    return [poll_config(config) for config in configs]
