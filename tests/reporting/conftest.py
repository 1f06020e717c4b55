"""Fixtures for the reporting tests: boroughs and teams from the standards factories,
drafts, staff users, and a client that walks the whole report flow."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from reporting.drafts import ContactDetails, ReportDraft
from reporting.models import BoroughStaff
from standards import demo_content, factories

HACKNEY = "E09000012"
LAMBETH = "E09000022"
MARE_STREET = (51.5450, -0.0553)  # Hackney, in the Hackney Central team's area
BRIXTON = (51.4613, -0.1156)  # Lambeth


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def borough_index(home_page):
    return factories.BoroughIndexPageFactory(parent=home_page)


@pytest.fixture
def hackney(borough_index):
    return publish(factories.BoroughPageFactory(parent=borough_index, ons_code=HACKNEY))


@pytest.fixture
def lambeth(borough_index):
    return publish(factories.BoroughPageFactory(parent=borough_index, ons_code=LAMBETH))


@pytest.fixture
def hackney_central(hackney):
    spec = next(s for s in demo_content.NEIGHBOURHOODS[HACKNEY] if s["title"] == "Hackney Central")
    return publish(
        factories.NeighbourhoodPageFactory(
            parent=hackney, **factories.demo_neighbourhood_kwargs(spec)
        )
    )


def make_draft(**overrides) -> ReportDraft:
    values = {
        "category": "noise",
        "qualifier": "personal",
        "description": "Loud music from the flat above every night until 3am.",
        "latitude": MARE_STREET[0],
        "longitude": MARE_STREET[1],
        "location_source": "map",
        "screening": {
            "how_often": "weekly",
            "reported_before": "no",
            "effects": ["sleep"],
            "unsafe_at_home": "no",
            "targeted": ["no"],
            "health_worsened": "no",
            "vulnerable_people": "no",
        },
        "contact": ContactDetails(
            name="Ada Resident",
            email="ada@example.com",
            phone="07700 900123",
            preferred_method="email",
            safe_to_contact=True,
        ),
    }
    values.update(overrides)
    return ReportDraft(**values)


@pytest.fixture
def draft_factory():
    return make_draft


def staff_user(django_user_model, username: str, *boroughs: str):
    user = django_user_model.objects.create_user(username=username, password="x")  # noqa: S106
    group, _ = Group.objects.get_or_create(name="ASB officers (test)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    for code in boroughs:
        BoroughStaff.objects.create(user=user, borough_code=code)
    return user


@pytest.fixture
def hackney_officer(db, django_user_model):
    return staff_user(django_user_model, "hackney-officer", HACKNEY)


@pytest.fixture
def lambeth_officer(db, django_user_model):
    return staff_user(django_user_model, "lambeth-officer", LAMBETH)


# The answers a resident gives on each step, as the browser would post them.
FLOW_ANSWERS: dict[str, dict] = {
    "safety": {"danger": "no"},
    "category": {"category": "noise"},
    "qualifier": {"qualifier": "personal"},
    "where": {
        "action": "continue",
        "latitude": str(MARE_STREET[0]),
        "longitude": str(MARE_STREET[1]),
        "location_source": "map",
    },
    "when": {"when": "ongoing"},
    "history": {"how_often": "weekly", "reported_before": "no"},
    "details": {"description": "Loud music from the flat above every night until 3am."},
    "photos": {"action": "continue"},
    "impact": {"effects": ["sleep"], "unsafe_at_home": "no"},
    "vulnerability": {"targeted": ["no"], "health_worsened": "no", "vulnerable_people": "no"},
    "contact": {
        "contact_me": "yes",
        "name": "Ada Resident",
        "email": "ada@example.com",
        "phone": "",
        "preferred_method": "email",
        "safe_to_contact": "yes",
    },
    "equality": {},
}


def fill_flow(client, answers: dict | None = None, until: str | None = None) -> None:
    """Post every step's answers in order (stopping before ``until``)."""
    from reporting.wizard import STEPS

    merged = {**FLOW_ANSWERS, **(answers or {})}
    for step in STEPS:
        if step.slug == until:
            return
        response = client.post(f"/report/step/{step.slug}/", merged[step.slug])
        assert response.status_code == 302, (step.slug, response.content.decode()[:3000])


@pytest.fixture
def filled_client(client, hackney_central):
    fill_flow(client)
    return client
