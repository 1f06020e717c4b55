"""The officer's dashboard and the report list in a browser, on a phone (375 px) and a
desktop (1280 px): open reports due soonest first, and no serious accessibility issues."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reporting.models import Report
from reporting.services import submit_report
from tests.accounts.helpers import sign_in
from tests.browser.conftest import SCREENSHOT_DIR, assert_accessible
from tests.reporting.conftest import make_draft, staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": 375, "desktop": 1280}


@pytest.mark.parametrize("screen", WIDTHS)
def test_officer_sees_open_reports_due_soonest_first(
    site_page, live_server, home_page, django_user_model, screen
):
    page = site_page
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    officer = staff_user(django_user_model, "hackney-officer", "E09000012")
    officer.set_password("a-long-test-password")
    officer.save()
    late = submit_report(draft=make_draft(category="fireworks")).report
    Report.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=5))
    new = submit_report(draft=make_draft()).report
    closed = submit_report(draft=make_draft(category="begging-vagrancy")).report
    Report.objects.filter(pk=closed.pk).update(status="closed")

    sign_in(page, live_server.url, "hackney-officer")
    page.goto(live_server.url + "/admin/")
    panel = page.locator("#open-reports-section")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("2 open reports for Hackney")).to_be_visible()
    links = panel.get_by_role("link", name="ASB-")
    expect(links.first).to_have_text(late.reference)
    expect(panel.get_by_text("Overdue:")).to_be_visible()
    expect(page.get_by_text(closed.reference)).to_have_count(0)
    assert_accessible(page, name=f"staff-dashboard-{screen}")

    panel.get_by_role("link", name="See all 2 open reports").click()
    page.wait_for_url("**/admin/asb-reports/")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Due by")).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(late.reference)
    expect(rows.nth(1)).to_contain_text(new.reference)
    assert_accessible(page, name=f"staff-report-list-{screen}")
    page.get_by_role("region", name="ASB reports").screenshot(
        path=str(SCREENSHOT_DIR / f"staff-report-list-table-{screen}.png")
    )

    page.get_by_label("Show").select_option("all")
    page.get_by_role("button", name="Filter").click()
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").last).to_contain_text(closed.reference)


@pytest.mark.parametrize("screen", WIDTHS)
def test_an_sn_editor_lands_on_their_team_page_and_can_submit_it(
    site_page, live_server, home_page, django_user_model, screen
):
    from standards import factories, services
    from tests.standards.conftest import demo_neighbourhood, publish

    page = site_page
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    index = factories.BoroughIndexPageFactory(parent=home_page)
    hackney = publish(factories.BoroughPageFactory(parent=index, ons_code="E09000012"))
    team = demo_neighbourhood(hackney, "Hackney Central")
    services.setup_borough_editorial(borough_page=hackney)
    group = services.setup_neighbourhood_editor_group(neighbourhood_page=team)
    editor = django_user_model.objects.create_user("hackney-central-sn-editor")
    editor.set_password("a-long-test-password")
    editor.save()
    editor.groups.add(group)

    sign_in(page, live_server.url, "hackney-central-sn-editor")
    page.goto(live_server.url + "/admin/")
    panel = page.locator("#editor-pages-section")
    expect(panel.get_by_role("heading", name="Hackney Central")).to_be_visible()
    assert_accessible(page, name=f"sn-editor-home-{screen}")

    panel.get_by_role("link", name="Edit Hackney Central").click()
    page.wait_for_url(f"**/admin/pages/{team.pk}/edit/")
    submit = page.get_by_role("button", name="Submit to Hackney sign-off")
    expect(submit).to_be_visible()  # the main button, not hidden in the menu
    if screen == "desktop":
        expect(submit).to_be_in_viewport()  # Wagtail's footer stays in sight
    else:
        submit.scroll_into_view_if_needed()  # on a phone it ends the form
        expect(submit).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOT_DIR / f"sn-editor-edit-{screen}.png"))
