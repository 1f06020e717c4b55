"""A borough ASB officer triages a report in the Wagtail admin."""

import pytest
from playwright.sync_api import expect

from reporting.models import AccessLog
from reporting.services import submit_report
from tests.accounts.helpers import sign_in
from tests.browser.conftest import SCREENSHOT_DIR
from tests.reporting.conftest import make_draft, staff_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_officer_triages_a_report(site_page, live_server, home_page, django_user_model):
    page = site_page
    officer = staff_user(django_user_model, "hackney-officer", "E09000012")
    officer.set_password("a-long-test-password")
    officer.save()
    report = submit_report(
        draft=make_draft(screening={"unsafe_at_home": "yes", "targeted": ["race"]})
    ).report
    other = submit_report(draft=make_draft(latitude=51.4613, longitude=-0.1156)).report  # Lambeth

    sign_in(page, live_server.url, "hackney-officer")  # password, then the app's code
    page.goto(live_server.url + "/admin/asb-reports/?risk=high")
    expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    expect(page.get_by_text(other.reference)).to_have_count(0)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "reporting-staff-list.png"), full_page=True)

    page.get_by_role("link", name=report.reference).click()
    expect(page.locator("#report-map.leaflet-container")).to_be_visible()
    expect(page.get_by_text("High risk: urgent callback.")).to_be_visible()
    expect(page.get_by_text("ada@example.com")).to_have_count(0)
    page.get_by_role("link", name="Show contact details").click()
    expect(page.get_by_text("ada@example.com")).to_be_visible()
    assert AccessLog.objects.filter(user=officer, report=report, what="contact").count() == 1

    page.get_by_label("New status").select_option("assigned")
    page.get_by_label("Message to the resident").fill("PC Jones will call you today.")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("status saved")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT_DIR / "reporting-staff-detail.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == "assigned"
