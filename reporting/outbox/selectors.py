"""Reads of the outbox: per borough, what is queued, in flight, delivered and dead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from geography.boundaries import borough_name
from reporting.outbox.models import WAITING, Attempt, Message, State


def messages_for_boroughs(codes: set[str] | None) -> QuerySet[Message]:
    """Every message of these boroughs (None: all, including those of no borough)."""
    messages = Message.objects.select_related("report", "config")
    if codes is not None:
        messages = messages.filter(borough_code__in=codes)
    return messages


def dead_letters(codes: set[str] | None) -> QuerySet[Message]:
    return messages_for_boroughs(codes).filter(state=State.DEAD).order_by("-dead_at", "-id")


def attempts_of(message: Message) -> QuerySet[Attempt]:
    return message.attempt_log.order_by("number", "id")


@dataclass
class BoroughOutbox:
    borough_code: str
    borough_name: str
    counts: dict[str, int] = field(default_factory=dict)
    oldest_waiting: datetime | None = None

    @property
    def in_flight(self) -> int:
        return self.counts.get(State.SENDING, 0)

    @property
    def queued(self) -> int:
        return self.counts.get(State.QUEUED, 0) + self.counts.get(State.RETRYING, 0)

    @property
    def delivered(self) -> int:
        return self.counts.get(State.DELIVERED, 0)

    @property
    def dead(self) -> int:
        return self.counts.get(State.DEAD, 0)

    @property
    def waiting_seconds(self) -> int | None:
        if self.oldest_waiting is None:
            return None
        return max(0, int((timezone.now() - self.oldest_waiting).total_seconds()))


def borough_summary(codes: set[str] | None) -> list[BoroughOutbox]:
    """One row per borough with messages: counts by state and the oldest waiting."""
    messages = messages_for_boroughs(codes).order_by()
    rows: dict[str, BoroughOutbox] = {}

    def row(code: str) -> BoroughOutbox:
        if code not in rows:
            rows[code] = BoroughOutbox(code, borough_name(code) or code or "No borough")
        return rows[code]

    for item in messages.values("borough_code", "state").annotate(n=Count("id")):
        row(item["borough_code"]).counts[item["state"]] = item["n"]
    waiting = (
        messages.filter(state__in=WAITING).values("borough_code").annotate(oldest=Min("created_at"))
    )
    for item in waiting:
        row(item["borough_code"]).oldest_waiting = item["oldest"]
    return sorted(rows.values(), key=lambda r: r.borough_name)


def totals(codes: set[str] | None = None) -> BoroughOutbox:
    """All boroughs together (the health page, ``manage.py outbox_status``)."""
    total = BoroughOutbox("", "All boroughs")
    for row in borough_summary(codes):
        for state, n in row.counts.items():
            total.counts[state] = total.counts.get(state, 0) + n
        if row.oldest_waiting and (
            total.oldest_waiting is None or row.oldest_waiting < total.oldest_waiting
        ):
            total.oldest_waiting = row.oldest_waiting
    return total
