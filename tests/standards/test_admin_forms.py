"""The neighbourhood page editor: validation and creation through the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group, User
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from standards import services
from standards.models import NeighbourhoodPage
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "title": "Dalston",
        "slug": "dalston",
        "ward_name": "Dalston",
        "ward_code": "E05009370",
        "intro": "Kingsland High Street and Ridley Road market.",
        "team_email": "dalston.snt@met.police.invalid",
        "team_phone": "101",
        "team_phone_notes": "",
        "social_media_url": "",
        "centre_latitude": "51.5465",
        "centre_longitude": "-0.0750",
        "boundary": "",
        "team_members": inline_formset([{"role": "sergeant", "name": "Sgt Lee"}]),
        "meetings": inline_formset([]),
        "priorities": inline_formset(
            [
                {
                    "issue": rich_text("<p>Drug dealing around Ridley Road market</p>"),
                    "issue_date": "2025-05-01",
                    "action": rich_text(""),
                    "action_date": "",
                    "status": "open",
                    "categories": ["littering-drugs", "rowdy-inconsiderate"],
                }
            ]
        ),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(overrides)
    flat = nested_form_data(data)
    # A browser sends a multi-select as one key repeated, not as numbered keys.
    for key in [k for k in flat if "-categories-" in k]:
        name = key.rsplit("-", 1)[0]
        flat.setdefault(name, []).append(flat.pop(key))
    return flat


@pytest.fixture
def hackney_editor(hackney):
    editorial = services.setup_borough_editorial(borough_page=hackney)
    user = User.objects.create_user(username="hackney-editor", password="x")
    user.groups.add(editorial.editors)
    return user


def add_url(parent) -> str:
    return f"/admin/pages/add/standards/neighbourhoodpage/{parent.pk}/"


def test_borough_editor_creates_a_neighbourhood_and_submits_it(client, hackney, hackney_editor):
    login_verified(client, hackney_editor)
    response = client.post(add_url(hackney), {**form_data(), "action-submit": "Submit"})
    assert response.status_code == 302, response.context["form"].errors
    page = NeighbourhoodPage.objects.get(ward_code="E05009370")
    assert not page.live
    assert page.current_workflow_state is not None
    draft = page.get_latest_revision_as_object()
    assert [p.categories for p in draft.priorities.all()] == [
        ["littering-drugs", "rowdy-inconsiderate"]
    ]
    # The SN team editors group exists as soon as the page does.
    assert Group.objects.filter(name="Dalston (E05009370) SN team editors").exists()


def errors_for(client, hackney, hackney_editor, **overrides) -> dict:
    login_verified(client, hackney_editor)
    response = client.post(add_url(hackney), {**form_data(**overrides), "action-submit": "Submit"})
    assert response.status_code == 200
    assert not NeighbourhoodPage.objects.filter(slug="dalston").exists()
    form = response.context["form"]
    errors = dict(form.errors)
    for name, formset in form.formsets.items():
        for child in formset.forms:
            for field, messages in child.errors.items():
                errors[f"{name}.{field}"] = messages
    return errors


def test_centre_must_be_in_the_parent_borough(client, hackney, hackney_editor):
    errors = errors_for(
        client, hackney, hackney_editor, centre_latitude="51.4613", centre_longitude="-0.1156"
    )
    assert "not in Hackney" in str(errors["centre_latitude"])


def test_no_personal_phone_numbers(client, hackney, hackney_editor):
    errors = errors_for(
        client,
        hackney,
        hackney_editor,
        team_phone="07700 900123",
        team_members=inline_formset([{"role": "pc", "name": "PC Khan 07700 900123"}]),
    )
    assert "mobile" in str(errors["team_phone"])
    assert "phone numbers" in str(errors["team_members.name"])


def test_ward_code_is_checked_and_unique(client, hackney, hackney_editor, hackney_central):
    assert "ward code" in str(
        errors_for(client, hackney, hackney_editor, ward_code="E0500")["ward_code"]
    )
    errors = errors_for(client, hackney, hackney_editor, ward_code=hackney_central.ward_code)
    assert "already" in str(errors["ward_code"])


def test_boundary_must_be_geojson(client, hackney, hackney_editor):
    errors = errors_for(client, hackney, hackney_editor, boundary='{"type": "Point"}')
    assert "Polygon" in str(errors["boundary"])


def test_resolved_priority_needs_an_action(client, hackney, hackney_editor):
    priorities = inline_formset(
        [
            {
                "issue": rich_text("<p>Noise</p>"),
                "issue_date": "2025-05-01",
                "action": rich_text(""),
                "action_date": "",
                "status": "resolved",
                "categories": ["noise"],
            }
        ]
    )
    errors = errors_for(client, hackney, hackney_editor, priorities=priorities)
    assert "priorities.action" in errors


def test_every_page_type_opens_in_the_editor(admin_client, home_page, hackney, hackney_central):
    from standards import factories
    from tests.standards.conftest import publish

    london = publish(factories.LondonStandardsPageFactory(parent=home_page))
    advice_index = publish(factories.AdviceIndexPageFactory(parent=home_page))
    advice = publish(factories.AdvicePageFactory(parent=advice_index))
    for page in (london, hackney.get_parent(), hackney, hackney_central, advice_index, advice):
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    for model, parent in (
        ("boroughpage", hackney.get_parent()),
        ("neighbourhoodpage", hackney),
        ("advicepage", advice_index),
    ):
        assert (
            admin_client.get(f"/admin/pages/add/standards/{model}/{parent.pk}/").status_code == 200
        )
