"""Staff sign in with a password and a second factor, on a phone and on a desktop screen:
first sign-in sets up an authenticator app and shows the recovery codes; the next sign-in
asks for the app's code; a passkey made with Chromium's virtual authenticator works as
the second factor."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reporting.services import submit_report
from tests.accounts.helpers import PASSWORD, code_for, key_code, totp_device
from tests.browser.conftest import assert_accessible
from tests.reporting.conftest import make_draft, staff_user

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback restores what migrations create (content types, the root page),
    # whichever transactional test ran before.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def officer_with_password(django_user_model, username: str):
    officer = staff_user(django_user_model, username, "E09000012")
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def enter_password(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [375, 1280])
def test_first_sign_in_sets_up_the_app_then_shows_the_recovery_codes(
    site_page, live_server, home_page, django_user_model, width
):
    page = site_page
    page.set_viewport_size({"width": width, "height": 900})
    officer = officer_with_password(django_user_model, f"officer-{width}")
    report = submit_report(draft=make_draft()).report

    page.goto(live_server.url + "/admin/asb-reports/")
    enter_password(page, officer.username)
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    assert "/staff/set-up/" in page.url
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page, name=f"accounts-set-up-{width}")

    secret = page.locator("#secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill(key_code(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator(".accounts-codes li")).to_have_count(10)
    assert_accessible(page, name=f"accounts-recovery-codes-{width}")

    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page.get_by_role("link", name=report.reference)).to_be_visible()
    assert page.url.endswith("/admin/asb-reports/")
    assert TOTPDevice.objects.get(user=officer).confirmed

    page.goto(live_server.url + "/admin/two-step-verification/")
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    expect(page.get_by_text("You have 10 recovery codes left.")).to_be_visible()
    assert_accessible(page, name=f"accounts-two-step-page-{width}")


@pytest.mark.parametrize("width", [375, 1280])
def test_next_sign_in_asks_for_the_apps_code(
    site_page, live_server, home_page, django_user_model, width
):
    page = site_page
    page.set_viewport_size({"width": width, "height": 900})
    officer = officer_with_password(django_user_model, f"officer-{width}")
    device = totp_device(officer)

    page.goto(live_server.url + "/admin/login/")
    enter_password(page, officer.username)
    expect(page.get_by_role("heading", name="Check it is you")).to_be_visible()
    assert_accessible(page, name=f"accounts-verify-{width}")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert_accessible(page, name=f"accounts-verify-error-{width}")

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # waited
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Check it is you")).to_have_count(0)


def test_a_passkey_is_set_up_and_then_signs_in(
    site_page, live_server, home_page, django_user_model, settings
):
    """A real WebAuthn ceremony, registration and authentication, with Chromium's virtual
    authenticator (the Chrome DevTools Protocol's WebAuthn domain)."""
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]  # http://localhost:<port>
    page = site_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    officer = officer_with_password(django_user_model, "passkey-officer")

    page.goto(live_server.url + "/admin/login/")
    enter_password(page, officer.username)
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    page.get_by_role("button", name="Create a passkey").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator(".accounts-codes li")).to_have_count(10)
    assert officer.webauthncredential_set.filter(confirmed=True).count() == 1
    page.get_by_role("link", name="I have saved my codes, continue").click()
    page.wait_for_url(live_server.url + "/admin/")

    # Signed out. First let the dashboard's own requests finish: each answer renews the
    # sliding staff session and would set its cookie again after the clearing.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(live_server.url + "/healthz?left=1")  # a page that sets no session
    assert not page.context.cookies(), page.context.cookies()
    page.goto(live_server.url + "/admin/login/")
    enter_password(page, officer.username)
    expect(page.get_by_role("heading", name="Check it is you")).to_be_visible()
    assert_accessible(page, name="accounts-verify-passkey")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Check it is you")).to_have_count(0)
