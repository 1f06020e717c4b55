"""Factories for standards pages: tests and the demo loader build pages the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from geography import boundaries
from standards import demo_content
from standards.models import (
    AdviceIndexPage,
    AdvicePage,
    BoroughIndexPage,
    BoroughPage,
    InformationPage,
    LondonStandardsPage,
    NeighbourhoodMeeting,
    NeighbourhoodPage,
    NeighbourhoodTeamMember,
    Priority,
)


def stream(block_type: str, values: list[dict]) -> list[dict]:
    """Raw StreamField data: one block of ``block_type`` per value."""
    return [{"type": block_type, "value": value} for value in values]


def _borough_index(code: str) -> int:
    return [area.code for area in boundaries.boroughs()].index(code)


class LondonStandardsPageFactory(wagtail_factories.PageFactory):
    title = "London-wide ASB minimum standards"
    slug = "london-standards"
    intro = demo_content.LONDON_INTRO
    standards = factory.LazyFunction(lambda: stream("commitment", demo_content.LONDON_COMMITMENTS))
    body = factory.LazyFunction(lambda: list(demo_content.LONDON_BODY))
    last_reviewed = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))

    class Meta:
        model = LondonStandardsPage


class BoroughIndexPageFactory(wagtail_factories.PageFactory):
    title = "Boroughs"
    slug = "boroughs"
    intro = (
        "Every London borough publishes minimum standards for dealing with anti-social "
        "behaviour: how to report it, and what to expect if you are a victim or witness."
    )

    class Meta:
        model = BoroughIndexPage


class BoroughPageFactory(wagtail_factories.PageFactory):
    """A borough page with credible standards. Pass ``ons_code`` to pick the borough."""

    ons_code = factory.Iterator([area.code for area in boundaries.boroughs()])
    title = factory.LazyAttribute(lambda o: boundaries.borough_name(o.ons_code))
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    intro = factory.LazyAttribute(
        lambda o: (
            f"What the police, {o.title} Council and their partners promise when you "
            "report anti-social behaviour, and how to reach them."
        )
    )
    standards = factory.LazyAttribute(
        lambda o: stream("commitment", demo_content.borough_commitments(_borough_index(o.ons_code)))
    )
    reporting_channels = factory.LazyAttribute(
        lambda o: stream(
            "channel",
            demo_content.reporting_channels(o.ons_code, o.title, _borough_index(o.ons_code)),
        )
    )
    front_counters = factory.LazyAttribute(
        lambda o: stream(
            "front_counter",
            demo_content.front_counters(o.ons_code, o.title, _borough_index(o.ons_code)),
        )
    )
    partners = factory.LazyAttribute(
        lambda o: stream(
            "partner", demo_content.partners(o.ons_code, o.title, _borough_index(o.ons_code))
        )
    )
    asb_lead_role = factory.LazyAttribute(
        lambda o: demo_content.leads(o.ons_code, o.title, _borough_index(o.ons_code))[
            "asb_lead_role"
        ]
    )
    victim_champion_role = factory.LazyAttribute(
        lambda o: demo_content.leads(o.ons_code, o.title, _borough_index(o.ons_code))[
            "victim_champion_role"
        ]
    )
    asb_inbox_email = factory.LazyAttribute(lambda o: f"asb-reports@{o.slug}.council.invalid")
    last_reviewed = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))

    class Meta:
        model = BoroughPage


class NeighbourhoodPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    ward_name = factory.LazyAttribute(lambda o: o.title)
    ward_code = factory.Sequence(lambda n: f"E05{900000 + n:06d}")
    intro = "The streets, parks and estates of the ward."
    team_email = factory.LazyAttribute(lambda o: demo_content.team_email(o.ward_name))
    team_phone = "101"

    class Meta:
        model = NeighbourhoodPage


class PriorityFactory(factory.django.DjangoModelFactory):
    """Build priorities (unsaved) to pass in ``NeighbourhoodPageFactory(priorities=[...])``."""

    issue = "<p>Drug dealing in the stairwells of the estate.</p>"
    issue_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    action = ""
    action_date = None
    status = Priority.Status.OPEN
    categories = factory.LazyFunction(lambda: ["littering-drugs"])

    class Meta:
        model = Priority


class TeamMemberFactory(factory.django.DjangoModelFactory):
    role = NeighbourhoodTeamMember.Role.DWO
    name = ""

    class Meta:
        model = NeighbourhoodTeamMember


class MeetingFactory(factory.django.DjangoModelFactory):
    title = "Ward panel meeting"
    starts_at = factory.LazyFunction(lambda: _next_evening(days=14))
    place = "Community centre"
    address = ""
    details = "Step-free access. No need to book."

    class Meta:
        model = NeighbourhoodMeeting


class AdviceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Advice"
    slug = "advice"
    intro = demo_content.ADVICE_INTRO

    class Meta:
        model = AdviceIndexPage


class AdvicePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Advice {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Guidance about anti-social behaviour."
    body = factory.LazyFunction(lambda: list(demo_content.ADVICE_PAGES[0]["body"]))

    class Meta:
        model = AdvicePage


class InformationPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Information {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = ""
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>About this website.</p>"}]
    )

    class Meta:
        model = InformationPage


def _next_evening(*, days: int) -> dt.datetime:
    """7pm London time, ``days`` from today."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(19, 0), tzinfo=timezone.get_current_timezone())


def demo_neighbourhood_kwargs(spec: dict) -> dict:
    """Keyword arguments for NeighbourhoodPageFactory from a demo_content neighbourhood."""
    today = timezone.localdate()
    latitude, longitude = spec["centre"]
    return {
        "title": spec["title"],
        "slug": slugify(spec["title"]),
        "ward_name": spec["title"],
        "ward_code": spec["ward_code"],
        "intro": spec["intro"],
        "team_email": demo_content.team_email(spec["title"]),
        "centre_latitude": Decimal(f"{latitude:.6f}"),
        "centre_longitude": Decimal(f"{longitude:.6f}"),
        "team_members": [
            TeamMemberFactory.build(role=role, name=name) for role, name in demo_content.TEAM
        ],
        "meetings": [
            MeetingFactory.build(
                starts_at=_next_evening(days=days),
                place=f"{spec['title']} community centre",
            )
            for days in (12, 54)
        ],
        "priorities": [
            PriorityFactory.build(
                **demo_content.priority_values(priority, today), sort_order=position
            )
            for position, priority in enumerate(spec["priorities"])
        ],
    }
