from io import StringIO

import pytest

from reporting import demo
from reporting.models import BoroughStaff, RepeatLink, Report

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_keeps_the_password(settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-password").write_text("kept-secret\n")
    demo.load(stdout=StringIO())
    out = StringIO()
    demo.load(stdout=out)
    assert "already exist" in out.getvalue()
    assert (tmp_path / "demo-password").read_text() == "kept-secret\n"
    officer = django_user_model.objects.get(username="hackney-asb-officer")
    assert officer.check_password("kept-secret")
    assert officer.has_perm("wagtailadmin.access_admin")
    assert set(BoroughStaff.objects.values_list("user__username", "borough_code")) == {
        ("hackney-asb-officer", "E09000012"),
        ("lambeth-asb-officer", "E09000022"),
        ("hackney-asb-lead", "E09000012"),
    }
    lead = django_user_model.objects.get(username="hackney-asb-lead")
    assert lead.has_perm("reporting.view_accesslog") and lead.has_perm("outbox.retry_message")
    assert not officer.has_perm("reporting.view_accesslog")
    assert Report.objects.count() == 4
    assert Report.objects.filter(risk_level="high").exists()
    assert RepeatLink.objects.filter(reason="same_contact").exists()
    assert set(Report.objects.values_list("borough_code", flat=True)) == {"E09000012", "E09000022"}
