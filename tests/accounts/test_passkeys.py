"""Passkeys (django-otp-webauthn) as a second factor: its JSON API under /staff/passkeys/,
the pages that use it, and the two-step verification page where factors are managed.

A full WebAuthn ceremony needs an authenticator: the browser test
(tests/browser/test_staff_sign_in.py) does one with Chromium's virtual authenticator.
"""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.conftest import sign_in_with_password
from tests.accounts.helpers import login_verified, totp_device

pytestmark = pytest.mark.django_db

BEGIN_REGISTRATION = "/staff/passkeys/registration/begin/"
COMPLETE_REGISTRATION = "/staff/passkeys/registration/complete/"
BEGIN_AUTHENTICATION = "/staff/passkeys/authentication/begin/"
COMPLETE_AUTHENTICATION = "/staff/passkeys/authentication/complete/"


def passkey(user, n: int = 1) -> WebAuthnCredential:
    """A registered passkey as django-otp-webauthn stores one (its key is not a real one)."""
    return WebAuthnCredential.objects.create(
        user=user,
        name=f"Passkey {n}",
        credential_id=bytes([n]) * 16,
        public_key=b"not-a-real-public-key",
        sign_count=0,
        confirmed=True,
    )


def test_a_verified_person_gets_registration_options(client, officer):
    login_verified(client, officer)
    response = client.post(BEGIN_REGISTRATION, content_type="application/json")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"name": "London ASB portal", "id": "localhost"}
    assert options["user"]["name"] == "hackney-officer"
    assert options["challenge"]
    assert options["authenticatorSelection"]["residentKey"] == "preferred"  # 2nd factor only
    assert "otp_webauthn_register_state" in client.session


def test_a_verified_person_gets_authentication_options_for_their_passkeys(client, officer):
    passkey(officer)
    login_verified(client, officer)
    response = client.post(BEGIN_AUTHENTICATION, content_type="application/json")
    assert response.status_code == 200
    options = response.json()
    assert options["rpId"] == "localhost" and options["challenge"]
    assert len(options["allowCredentials"]) == 1


def test_password_only_with_a_factor_cannot_add_a_passkey_to_skip_it(client, officer):
    totp_device(officer)
    sign_in_with_password(client, "hackney-officer")
    response = client.post(BEGIN_REGISTRATION, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"


def test_at_first_sign_in_a_passkey_may_be_the_factor_set_up(client, officer):
    sign_in_with_password(client, "hackney-officer")
    assert client.post(BEGIN_REGISTRATION, content_type="application/json").status_code == 200


def test_a_passkey_never_replaces_the_password(client, officer):
    passkey(officer)
    response = client.post(BEGIN_AUTHENTICATION, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_completing_without_beginning_is_refused(client, officer):
    login_verified(client, officer)
    for url in (COMPLETE_REGISTRATION, COMPLETE_AUTHENTICATION):
        response = client.post(url, {}, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "invalid_state"


def test_set_up_and_verify_pages_load_the_packages_scripts(client, officer):
    sign_in_with_password(client, "hackney-officer")
    html = client.get("/staff/set-up/").content.decode()
    assert 'id="passkey-registration-available-template"' in html
    assert "/static/django_otp_webauthn/otp_webauthn_register.js" in html
    assert "/static/accounts/passkeys.js" in html
    assert 'id="otp_webauthn_config" type="application/json"' in html
    assert "<script>" not in html  # no inline script (CSP)
    passkey(officer)
    page = client.get("/admin/")
    assert page["Location"].startswith("/staff/verify/")  # a passkey is a second factor
    html = client.get(page["Location"]).content.decode()
    assert 'id="passkey-verification-available-template"' in html
    assert "/static/django_otp_webauthn/otp_webauthn_auth.js" in html
    assert 'name="code"' not in html  # no authenticator app: the passkey only
    assert "<script>" not in html


def test_the_two_step_page_lists_and_adds_factors(client, officer):
    passkey(officer)
    login_verified(client, officer)
    html = client.get("/admin/two-step-verification/").content.decode()
    assert "Authenticator app" in html and "Move to a new phone or app" in html
    assert "Passkey 1" in html and "Add a passkey" in html
    assert "0 recovery codes left" in html
    assert "/admin/two-step-verification/" in client.get("/admin/account/").content.decode()


def test_the_last_second_factor_cannot_be_removed(client, officer):
    key = passkey(officer)
    login_verified(client, officer)
    client.post("/admin/two-step-verification/authenticator/remove/")
    assert not TOTPDevice.objects.filter(user=officer).exists()  # the passkey remains
    assert client.get("/admin/").status_code == 200  # still verified, by the passkey now
    client.post(f"/admin/two-step-verification/passkeys/{key.pk}/remove/")
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()  # the only one left
    second = passkey(officer, 2)
    client.post(f"/admin/two-step-verification/passkeys/{key.pk}/remove/")
    assert list(WebAuthnCredential.objects.filter(user=officer)) == [second]


def test_nobody_removes_another_persons_passkey(client, officer, django_user_model):
    other = django_user_model.objects.create_user("other", password="pw-for-tests")
    theirs = passkey(other)
    passkey(other, 2)
    login_verified(client, officer)
    client.post(f"/admin/two-step-verification/passkeys/{theirs.pk}/remove/")
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(client, officer):
    login_verified(client, officer)
    response = client.post("/staff/recovery-codes/", {"next": "/admin/two-step-verification/"})
    first = client.get(response["Location"]).context["codes"]
    response = client.post("/staff/recovery-codes/", {"next": "/admin/two-step-verification/"})
    second = client.get(response["Location"]).context["codes"]
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    assert "10 recovery codes left" in client.get("/admin/two-step-verification/").content.decode()
