"""Fixtures for the staff sign-in tests: a Hackney officer (password only, no second
factor yet) and a Hackney report with a resident's personal details."""

from __future__ import annotations

import pytest
from django.test import Client

from reporting.services import submit_report
from tests.accounts.helpers import PASSWORD
from tests.reporting.conftest import (  # noqa: F401 - fixtures
    borough_index,
    hackney,
    hackney_central,
    make_draft,
    staff_user,
)

RESIDENT_EMAIL = "ada@example.com"  # in make_draft's contact details


@pytest.fixture
def officer(db, django_user_model):
    user = staff_user(django_user_model, "hackney-officer", "E09000012")
    user.set_password(PASSWORD)
    user.email = "officer@hackney.invalid"
    user.save()
    return user


@pytest.fixture
def report(hackney_central):  # noqa: F811 - the fixture imported above
    return submit_report(draft=make_draft()).report


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD, **extra):
    """Wagtail's own sign-in form, as a browser posts it."""
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )
