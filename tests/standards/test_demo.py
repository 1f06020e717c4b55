import io

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import GroupPagePermission, Page, Site, Workflow

from geography import boundaries
from portal.models import HomePage
from standards import demo
from standards.models import (
    AdvicePage,
    BoroughPage,
    LondonStandardsPage,
    NeighbourhoodPage,
    Priority,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    return tmp_path


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "boroughs": BoroughPage.objects.count(),
        "neighbourhoods": NeighbourhoodPage.objects.count(),
        "priorities": Priority.objects.count(),
        "advice": AdvicePage.objects.count(),
        "users": User.objects.count(),
        "groups": Group.objects.count(),
        "permissions": GroupPagePermission.objects.count(),
        "workflows": Workflow.objects.count(),
    }


def test_demo_loader_builds_the_tree_and_is_idempotent(var_dir):
    out = io.StringIO()
    demo.load(stdout=out)
    first = counts()
    password = (var_dir / "demo-password").read_text().strip()
    demo.load(stdout=io.StringIO())
    assert counts() == first
    assert (var_dir / "demo-password").read_text().strip() == password

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()
    assert LondonStandardsPage.objects.live().count() == 1
    assert first["boroughs"] == 33
    assert first["advice"] >= 3
    assert first["workflows"] >= 33
    assert sorted(BoroughPage.objects.values_list("ons_code", flat=True)) == [
        f"E090000{n:02d}" for n in range(1, 34)
    ]
    for page in BoroughPage.objects.all():
        assert page.title == boundaries.borough_name(page.ons_code)
        assert page.commitment_for("first_contact") is not None
        assert page.live
    for name in ("Hackney", "Harrow", "Lambeth", "Richmond upon Thames"):
        borough = BoroughPage.objects.get(title=name)
        neighbourhoods = list(borough.neighbourhoods())
        assert neighbourhoods
        for page in neighbourhoods:
            assert boundaries.borough_for(*page.centre) == borough.ons_code
        assert any(page.current_priorities() for page in neighbourhoods)
        assert any(page.past_priorities() for page in neighbourhoods)


def test_demo_targets_vary_between_boroughs(var_dir):
    demo.load(stdout=io.StringIO())
    first_contact = {
        page.commitment_for("first_contact").target_text for page in BoroughPage.objects.all()
    }
    high_risk = {
        page.commitment_for("visit_high_risk").target_text for page in BoroughPage.objects.all()
    }
    assert {"within 24 hours", "within 1 working day"} <= first_contact
    assert high_risk == {"within 24 hours", "within 48 hours"}


def test_demo_accounts_and_password(var_dir):
    (var_dir / "demo-password").write_text("chosen-password\n")
    demo.load(stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("chosen-password")
    for username in (
        "hackney-editor",
        "hackney-asb-lead",
        "hackney-central-sn-editor",
        "lambeth-editor",
        "lambeth-asb-lead",
        "coldharbour-sn-editor",
    ):
        user = User.objects.get(username=username)
        assert user.check_password("chosen-password")
        assert user.groups.exists()

    # A second run with a different password file never resets existing passwords.
    (var_dir / "demo-password").write_text("another-password\n")
    demo.load(stdout=io.StringIO())
    assert User.objects.get(username="hackney-editor").check_password("chosen-password")


def test_demo_generates_a_password_when_none_exists(var_dir):
    demo.load(stdout=io.StringIO())
    password = (var_dir / "demo-password").read_text().strip()
    assert len(password) >= 12
    assert User.objects.get(username="admin").check_password(password)
