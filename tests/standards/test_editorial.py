"""Who can edit what, and how changes are approved (Wagtail permissions and workflows)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Workflow, WorkflowState

from standards import factories, services
from standards.models import NeighbourhoodPage
from tests.accounts.helpers import login_verified

pytestmark = pytest.mark.django_db


def user_in(group, username):
    user = User.objects.create_user(username=username, password="x")
    user.groups.add(group)
    return user


@pytest.fixture
def people(hackney, lambeth, hackney_central, hackney_downs, coldharbour):
    hackney_team = services.setup_borough_editorial(borough_page=hackney)
    lambeth_team = services.setup_borough_editorial(borough_page=lambeth)
    sn_group = services.setup_neighbourhood_editor_group(neighbourhood_page=hackney_central)
    return {
        "hackney_editor": user_in(hackney_team.editors, "hackney-editor"),
        "hackney_lead": user_in(hackney_team.asb_leads, "hackney-asb-lead"),
        "lambeth_editor": user_in(lambeth_team.editors, "lambeth-editor"),
        "lambeth_lead": user_in(lambeth_team.asb_leads, "lambeth-asb-lead"),
        "sn_editor": user_in(sn_group, "hackney-central-sn-editor"),
    }


def can_edit(page, user) -> bool:
    return page.permissions_for_user(user).can_edit()


def test_setup_is_idempotent(hackney):
    first = services.setup_borough_editorial(borough_page=hackney)
    again = services.setup_borough_editorial(borough_page=hackney)
    assert first == again
    assert Workflow.objects.filter(name="Hackney sign-off").count() == 1
    assert list(first.approval_task.groups.all()) == [first.asb_leads]
    assert hackney.get_workflow() == first.workflow
    assert first.editors.page_permissions.count() == 2
    assert first.asb_leads.page_permissions.filter(permission__codename="publish_page").exists()
    assert not first.editors.page_permissions.filter(permission__codename="publish_page").exists()


def test_publishing_a_new_borough_sets_up_its_editorial(borough_index):
    from tests.standards.conftest import publish

    camden = publish(factories.BoroughPageFactory(parent=borough_index, ons_code="E09000007"))
    assert camden.get_workflow().name == "Camden sign-off"
    assert GroupApprovalTask.objects.filter(groups__name="Camden (E09000007) ASB leads").exists()


def test_neighbourhood_pages_use_their_boroughs_workflow(people, hackney, hackney_central):
    assert hackney_central.get_workflow() == hackney.get_workflow()
    assert hackney_central.get_workflow().name == "Hackney sign-off"


def test_borough_editor_edits_only_their_borough(
    people, hackney, lambeth, hackney_central, coldharbour
):
    editor = people["hackney_editor"]
    assert can_edit(hackney, editor) and can_edit(hackney_central, editor)
    assert not can_edit(lambeth, editor) and not can_edit(coldharbour, editor)
    assert not hackney.permissions_for_user(editor).can_publish()
    assert hackney.permissions_for_user(editor).can_add_subpage()
    lambeth_editor = people["lambeth_editor"]
    assert can_edit(coldharbour, lambeth_editor) and not can_edit(hackney_central, lambeth_editor)


def test_admin_refuses_another_boroughs_edit_page(client, people, hackney, lambeth):
    login_verified(client, people["hackney_editor"])
    assert client.get(f"/admin/pages/{hackney.pk}/edit/").status_code == 200
    response = client.get(f"/admin/pages/{lambeth.pk}/edit/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert f"/admin/pages/{lambeth.pk}/edit/" not in response["Location"]


def test_sn_editor_edits_only_their_neighbourhood(people, hackney, hackney_central, hackney_downs):
    sn_editor = people["sn_editor"]
    assert can_edit(hackney_central, sn_editor)
    assert not can_edit(hackney_downs, sn_editor)
    assert not can_edit(hackney, sn_editor)
    permissions = hackney_central.permissions_for_user(sn_editor)
    assert not permissions.can_publish()
    assert not permissions.can_unpublish()
    assert permissions.can_submit_for_moderation()
    assert not hackney.permissions_for_user(sn_editor).can_add_subpage()


def test_sn_editor_is_offered_submit_not_publish(client, people, hackney_central, hackney_downs):
    login_verified(client, people["sn_editor"])
    response = client.get(f"/admin/pages/{hackney_central.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html
    assert client.get(f"/admin/pages/{hackney_downs.pk}/edit/").status_code in (302, 403)


def test_sn_editor_submits_and_the_boroughs_asb_lead_approves(people, hackney_central):
    sn_editor, hackney_lead, lambeth_lead = (
        people["sn_editor"],
        people["hackney_lead"],
        people["lambeth_lead"],
    )
    draft = hackney_central.get_latest_revision_as_object()
    draft.priorities.add(
        factories.PriorityFactory.build(issue="<p>Cycling on the pavement on Mare Street</p>")
    )
    draft.save_revision(user=sn_editor)
    workflow = hackney_central.get_workflow()
    workflow_state = workflow.start(hackney_central, sn_editor)
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    live = NeighbourhoodPage.objects.get(pk=hackney_central.pk)
    assert "Cycling on the pavement" not in str(live.priorities_feed())

    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(hackney_central, lambeth_lead) == []
    assert task.get_actions(hackney_central, sn_editor) == []
    assert "approve" in [name for name, *_ in task.get_actions(hackney_central, hackney_lead)]

    task.on_action(task_state, hackney_lead, "approve")
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    live = NeighbourhoodPage.objects.get(pk=hackney_central.pk)
    assert any("Cycling on the pavement" in item["issue"] for item in live.priorities_feed())
    # Every step is kept in the page's revision history.
    assert hackney_central.revisions.count() >= 2


def test_asb_lead_can_reject(people, hackney_central):
    workflow_state = hackney_central.get_workflow().start(hackney_central, people["sn_editor"])
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, people["hackney_lead"], "reject")
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_scheduled_publishing(hackney):
    page = factories.NeighbourhoodPageFactory(parent=hackney, live=False)
    page.go_live_at = timezone.now() + dt.timedelta(days=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    # Time passes: the scheduled moment is now in the past.
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
