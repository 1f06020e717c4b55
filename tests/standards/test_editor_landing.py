"""An editor's landing in the admin: their own pages first, with "Edit" links, and on the
edit page "Submit to <the borough's sign-off>" as the main button when they cannot publish
(request tests, signed in with a second factor as staff must be)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from standards import admin_home, services
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def sn_editor(hackney, hackney_central):
    services.setup_borough_editorial(borough_page=hackney)
    group = services.setup_neighbourhood_editor_group(neighbourhood_page=hackney_central)
    user = User.objects.create_user("hackney-central-sn-editor", password="x")  # noqa: S106
    user.groups.add(group)
    return user


@pytest.fixture
def hackney_people(hackney):
    team = services.setup_borough_editorial(borough_page=hackney)
    editor = User.objects.create_user("hackney-editor", password="x")  # noqa: S106
    editor.groups.add(team.editors)
    lead = User.objects.create_user("hackney-asb-lead", password="x")  # noqa: S106
    lead.groups.add(team.asb_leads)
    return editor, lead


def main_action(response) -> str:
    """The name of the edit page's main button: Wagtail's action menu renders its default
    item as the button, the others in the menu behind the arrow."""
    assert response.status_code == 200
    return response.context["action_menu"].default_item.name


def other_actions(response) -> list[str]:
    return [item.name for item in response.context["action_menu"].menu_items]


def test_an_sn_editor_lands_on_their_team_page(client, sn_editor, hackney_central, hackney_downs):
    login_verified(client, sn_editor)
    body = client.get("/admin/").content.decode()
    assert 'id="editor-pages-section"' in body and "Your pages" in body
    assert f'href="/admin/pages/{hackney_central.pk}/edit/"' in body
    assert f"Edit {hackney_central.title}" in body
    assert "Submit to Hackney sign-off" in body  # how a change goes live, in words
    assert hackney_downs.title not in body  # another team's page is not theirs
    # their current priorities, as the page has them now
    for priority in hackney_central.current_priorities():
        assert priority.get_status_display() in body


def test_the_panel_comes_first(client, sn_editor):
    login_verified(client, sn_editor)
    panels = client.get("/admin/").context["panels"]
    assert isinstance(panels[0], admin_home.EditorPagesPanel)


def test_submit_is_the_main_button_for_an_sn_editor(client, sn_editor, hackney_central):
    login_verified(client, sn_editor)
    response = client.get(f"/admin/pages/{hackney_central.pk}/edit/")
    assert main_action(response) == "action-submit"
    assert "action-save-draft" in other_actions(response)  # still there, behind the arrow
    assert "action-publish" not in other_actions(response)
    body = response.content.decode()
    # the button comes before the menu's toggle, so it is in sight at the foot of the page
    button = body.index('name="action-submit" value="Submit to Hackney sign-off"')
    assert button < body.index("Save draft")


def test_a_borough_editor_gets_submit_and_a_lead_keeps_publish(client, hackney, hackney_people):
    editor, lead = hackney_people
    login_verified(client, editor)
    body = client.get("/admin/").content.decode()
    assert f'href="/admin/pages/{hackney.pk}/edit/"' in body
    assert main_action(client.get(f"/admin/pages/{hackney.pk}/edit/")) == "action-submit"
    client.logout()
    login_verified(client, lead)
    lead_edit = client.get(f"/admin/pages/{hackney.pk}/edit/")
    assert main_action(lead_edit) == "action-save-draft"  # Wagtail's own order for publishers
    assert "action-publish" in other_actions(lead_edit)


def test_superusers_and_people_without_pages_get_no_panel(admin_client, django_user_model):
    assert 'id="editor-pages-section"' not in admin_client.get("/admin/").content.decode()
    nobody = django_user_model.objects.create_user("nobody", password="x")  # noqa: S106
    assert admin_home.editable_pages(nobody) == []


def test_the_panel_says_where_a_page_stands(sn_editor, hackney_central):
    (item,) = admin_home.editable_pages(sn_editor)
    assert item.page.pk == hackney_central.pk
    assert item.state == "Live"
    assert item.workflow_name == "Hackney sign-off"
    assert item.can_publish is False
    hackney_central.save_revision(user=sn_editor)
    (item,) = admin_home.editable_pages(sn_editor)
    assert item.state == "Live, with draft changes not yet submitted"
