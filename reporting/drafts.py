"""A report as answered, before it exists: what the flow (or a test, demo or bench) hands
to ``reporting.services.submit_report``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    email: str = ""
    phone: str = ""
    preferred_method: str = ""
    contact_times: str = ""
    safe_to_contact: bool = True
    safety_notes: str = ""


@dataclass(frozen=True)
class ReportDraft:
    category: str
    qualifier: str
    description: str
    latitude: float | None = None
    longitude: float | None = None
    location_source: str = "map"
    location_description: str = ""
    borough_code: str = ""  # only when described in words, without a point
    occurred_on: date | None = None
    occurred_time: time | None = None
    still_happening: bool = False
    happened_before: str = ""
    earlier_references: str = ""
    people_involved: str = ""
    screening: dict = field(default_factory=dict)
    contact: ContactDetails | None = None  # None: anonymous

    @property
    def anonymous(self) -> bool:
        return self.contact is None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
