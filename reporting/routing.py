"""Where a report goes: the borough for the place, and the Safer Neighbourhoods team
where the standards pages know the neighbourhood areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from geography.boundaries import borough_for, borough_name
from standards import selectors as standards_selectors


class OutsideLondon(Exception):
    """The place is not in (or within 1 km of) any London borough."""


@dataclass(frozen=True)
class Route:
    borough_code: str
    borough_name: str
    borough_page: Any | None
    neighbourhood_page: Any | None

    @property
    def inbox(self) -> str:
        """The borough's ASB inbox, or the portal's fallback inbox so no report is lost."""
        email = getattr(self.borough_page, "asb_inbox_email", "") if self.borough_page else ""
        return email or settings.REPORTING_FALLBACK_INBOX

    @property
    def team_email(self) -> str:
        page = self.neighbourhood_page
        return (getattr(page, "team_email", "") or "") if page else ""

    @property
    def ward_code(self) -> str:
        page = self.neighbourhood_page
        return (getattr(page, "ward_code", "") or "") if page else ""

    @property
    def team_name(self) -> str:
        page = self.neighbourhood_page
        return (getattr(page, "title", "") or "") if page else ""


def route_point(latitude: float, longitude: float) -> Route:
    code = borough_for(latitude, longitude)
    if code is None:
        raise OutsideLondon(f"({latitude}, {longitude}) is outside London")
    neighbourhood = standards_selectors.neighbourhood_page_for_point(latitude, longitude)
    if neighbourhood is not None:
        parent = getattr(neighbourhood, "borough_page", None)
        if parent is not None and getattr(parent, "ons_code", code) != code:
            neighbourhood = None  # a neighbourhood area that strays over the borough line
    return _route(code, neighbourhood)


def route_borough(code: str) -> Route:
    """For a report described in words with the borough chosen from a list."""
    if borough_name(code) is None:
        raise OutsideLondon(f"{code!r} is not a London borough")
    return _route(code, None)


def _route(code: str, neighbourhood: Any | None) -> Route:
    return Route(
        borough_code=code,
        borough_name=borough_name(code) or code,
        borough_page=standards_selectors.borough_page_for_code(code),
        neighbourhood_page=neighbourhood,
    )
