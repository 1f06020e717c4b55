"""Measurable commitments in a borough's minimum standards, as data.

A commitment is a promise in plain words ("We will contact you") and, where it has one,
a target that can be measured: a metric (what is timed), a value and a unit
("within 24 hours"). Reporting code measures a borough against these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Metric:
    code: str
    label: str  # for editors and tables: what is measured
    kind: str  # "deadline": done within the target; "interval": repeated at least every target


METRICS: tuple[Metric, ...] = (
    Metric("acknowledge_report", "Acknowledging a report made online or by email", "deadline"),
    Metric("first_contact", "First contact with the person who reported", "deadline"),
    Metric("visit_high_risk", "Visiting a high-risk or vulnerable victim", "deadline"),
    Metric("sn_notification", "Telling the local Safer Neighbourhoods team", "deadline"),
    Metric("risk_assessment", "Completing a risk assessment with the victim", "deadline"),
    Metric("action_plan", "Agreeing an action plan with the victim", "deadline"),
    Metric("update_frequency", "Updating the victim on their case", "interval"),
    Metric("case_review_response", "Answering an ASB case review request", "deadline"),
    Metric("case_closure_contact", "Contacting the victim before a case is closed", "deadline"),
)
METRIC_BY_CODE: dict[str, Metric] = {metric.code: metric for metric in METRICS}
METRIC_CHOICES: list[tuple[str, str]] = [(metric.code, metric.label) for metric in METRICS]

UNIT_CHOICES: list[tuple[str, str]] = [
    ("hours", "hours"),
    ("working_days", "working days"),
    ("days", "days"),
    ("weeks", "weeks"),
]
_UNIT_WORDS = {
    "hours": ("hour", "hours"),
    "working_days": ("working day", "working days"),
    "days": ("day", "days"),
    "weeks": ("week", "weeks"),
}
# Nominal length of one unit in hours. A working day counts as a calendar day here;
# Commitment.due_by() skips weekends when a real deadline is needed.
_UNIT_HOURS = {"hours": 1, "working_days": 24, "days": 24, "weeks": 168}


@dataclass(frozen=True)
class Commitment:
    """One promise from a minimum standards page."""

    text: str
    metric: str = ""
    target_value: int | None = None
    target_unit: str = ""

    @property
    def has_target(self) -> bool:
        return bool(self.metric and self.target_value and self.target_unit in _UNIT_HOURS)

    @property
    def metric_label(self) -> str:
        metric = METRIC_BY_CODE.get(self.metric)
        return metric.label if metric else ""

    @property
    def target_hours(self) -> int | None:
        """The target as a number of hours (working days count as 24 hours), or None."""
        if not self.has_target:
            return None
        return self.target_value * _UNIT_HOURS[self.target_unit]

    @property
    def target_timedelta(self) -> dt.timedelta | None:
        hours = self.target_hours
        return dt.timedelta(hours=hours) if hours is not None else None

    @property
    def target_text(self) -> str:
        """The target in plain words: "within 24 hours", "at least every 2 weeks", or ""."""
        if not self.has_target:
            return ""
        singular, plural = _UNIT_WORDS[self.target_unit]
        amount = f"{self.target_value} {singular if self.target_value == 1 else plural}"
        metric = METRIC_BY_CODE.get(self.metric)
        if metric and metric.kind == "interval":
            return f"at least every {amount}" if self.target_value != 1 else f"every {singular}"
        return f"within {amount}"

    def due_by(self, start: dt.datetime) -> dt.datetime | None:
        """When a deadline commitment falls due for something that started at ``start``.

        Working days skip Saturdays and Sundays (in London time); bank holidays are not
        known here and count as working days.
        """
        if not self.has_target:
            return None
        if self.target_unit != "working_days":
            return start + self.target_timedelta
        local = start.astimezone(LONDON)
        remaining = self.target_value
        while remaining:
            local = (local.replace(tzinfo=None) + dt.timedelta(days=1)).replace(tzinfo=LONDON)
            if local.weekday() < 5:
                remaining -= 1
        return local.astimezone(start.tzinfo or dt.UTC)

    @classmethod
    def from_block_value(cls, value) -> Commitment:
        """Build from a CommitmentBlock's StructValue (or a plain dict)."""
        target_value = value.get("target_value")
        return cls(
            text=str(value.get("text") or ""),
            metric=value.get("metric") or "",
            target_value=int(target_value) if target_value else None,
            target_unit=value.get("target_unit") or "",
        )
