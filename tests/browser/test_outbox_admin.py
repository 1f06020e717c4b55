"""Borough staff find a message that could not be sent, read why, and send it again, in
the Wagtail admin's Outbox, on a phone and on a desktop screen."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from reporting import messages
from reporting.outbox import services as outbox
from reporting.outbox.models import Message, State
from tests.accounts.helpers import sign_in
from tests.browser.conftest import assert_accessible
from tests.local_services import HACKNEY, LAMBETH, submit
from tests.reporting.conftest import staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1280])
def test_staff_see_a_dead_letter_and_send_it_again(
    site_page, live_server, home_page, django_user_model, smtp_sink, width
):
    page = site_page
    page.set_viewport_size({"width": width, "height": 900})
    officer = staff_user(django_user_model, f"officer-{width}", HACKNEY)
    officer.set_password("a-long-test-password")
    officer.save()
    for codename in ("view_message", "retry_message"):
        officer.user_permissions.add(Permission.objects.get(codename=codename))
    smtp_sink.chaos.update({"reject_pattern": r"^asb-reports@"})
    report = submit(HACKNEY)
    other = submit(LAMBETH)
    outbox.drain_now()
    dead = Message.objects.get(report=report, kind=messages.BOROUGH_NEW_REPORT)
    assert dead.state == State.DEAD

    sign_in(page, live_server.url, officer.username)  # password, then the app's code
    expect(page.get_by_role("heading", name="Messages that need you")).to_be_visible()
    page.get_by_role("link", name="See the outbox").click()
    expect(page.get_by_role("row", name="Hackney")).to_be_visible()
    expect(page.get_by_text(other.reference)).to_have_count(0)  # another borough's
    expect(page.get_by_text("ada@example.org")).to_have_count(0)  # never a resident's address
    assert_accessible(page, name=f"outbox-dead-{width}")

    page.get_by_role(
        "link", name=dead.created_at.astimezone().strftime("%-d %b %Y %H:%M")
    ).first.click()
    expect(page.get_by_text("mailbox unavailable").first).to_be_visible()
    assert_accessible(page, name=f"outbox-message-{width}")

    smtp_sink.chaos.update({"reject_pattern": ""})  # the borough fixed its inbox
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("will be sent again now")).to_be_visible()
    dead.refresh_from_db()
    assert dead.state == State.DELIVERED  # ImmediateBackend: the drain ran on commit
    page.reload()
    expect(page.get_by_role("button", name="Send again")).to_have_count(0)
    assert len(smtp_sink.store.messages(to="asb-reports@london.invalid")) == 1
