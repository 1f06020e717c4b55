"""Staff triage: who sees which reports, personal details and the audit log."""

import pytest
from django.core.exceptions import PermissionDenied

from reporting import selectors
from reporting.models import AccessLog
from reporting.services import submit_report
from tests.accounts.helpers import login_verified
from tests.reporting.conftest import BRIXTON, make_draft

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    """Wagtail turns PermissionDenied in admin views into a redirect to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.fixture
def hackney_report(hackney_central):
    return submit_report(draft=make_draft()).report


@pytest.fixture
def lambeth_report(lambeth):
    draft = make_draft(
        latitude=BRIXTON[0],
        longitude=BRIXTON[1],
        category="fireworks",
        screening={"unsafe_at_home": "yes", "targeted": ["race"]},
    )
    return submit_report(draft=draft).report


def test_staff_list_only_their_boroughs_reports(
    client, hackney_officer, hackney_report, lambeth_report
):
    login_verified(client, hackney_officer)
    body = client.get("/admin/asb-reports/").content.decode()
    assert hackney_report.reference in body
    assert lambeth_report.reference not in body


def test_staff_cannot_open_another_boroughs_report(client, hackney_officer, lambeth_report):
    login_verified(client, hackney_officer)
    assert denied(client.get(f"/admin/asb-reports/{lambeth_report.pk}/"))
    assert denied(client.get(f"/admin/asb-reports/{lambeth_report.pk}/?contact=1"))
    response = client.post(
        f"/admin/asb-reports/{lambeth_report.pk}/",
        {"action": "status", "status": "closed", "message": "x"},
    )
    assert denied(response)
    lambeth_report.refresh_from_db()
    assert lambeth_report.status != "closed"
    assert not AccessLog.objects.exists()


def test_contact_for_checks_the_borough(hackney_officer, lambeth_officer, hackney_report):
    with pytest.raises(PermissionDenied):
        selectors.contact_for(hackney_report, lambeth_officer)
    assert not AccessLog.objects.exists()
    contact = selectors.contact_for(hackney_report, hackney_officer, purpose="callback")
    assert contact.email == "ada@example.com"
    log = AccessLog.objects.get()
    assert (log.user, log.username, log.report, log.purpose) == (
        hackney_officer,
        "hackney-officer",
        hackney_report,
        "callback",
    )


def test_users_without_a_borough_see_nothing(client, django_user_model, hackney_report):
    from tests.reporting.conftest import staff_user

    editor = staff_user(django_user_model, "editor")  # admin access, no borough
    login_verified(client, editor)
    assert denied(client.get("/admin/asb-reports/"))
    assert denied(client.get(f"/admin/asb-reports/{hackney_report.pk}/"))
    with pytest.raises(PermissionDenied):
        selectors.contact_for(hackney_report, editor)


def test_anonymous_visitors_are_sent_to_log_in(client, hackney_report):
    response = client.get(f"/admin/asb-reports/{hackney_report.pk}/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_detail_hides_personal_details_until_asked_and_logs_each_view(
    client, hackney_officer, hackney_report
):
    login_verified(client, hackney_officer)
    body = client.get(f"/admin/asb-reports/{hackney_report.pk}/").content.decode()
    assert hackney_report.reference in body
    assert "ada@example.com" not in body
    assert "Show contact details" in body
    (viewed,) = AccessLog.objects.all()
    assert (viewed.user, viewed.report, viewed.what) == (hackney_officer, hackney_report, "report")
    for _ in range(2):
        body = client.get(f"/admin/asb-reports/{hackney_report.pk}/?contact=1").content.decode()
        assert "ada@example.com" in body and "Ada Resident" in body
    contact_reads = AccessLog.objects.filter(user=hackney_officer, what="contact")
    assert contact_reads.filter(report=hackney_report).count() == 2


def test_detail_lists_the_reports_messages_without_the_residents_address(
    client, hackney_officer, hackney_report
):
    """Every message the report caused is listed with where it went; the resident is
    "the resident", never their address."""
    login_verified(client, hackney_officer)
    response = client.get(f"/admin/asb-reports/{hackney_report.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "New report to the borough&#x27;s ASB inbox" in body
    assert "New report to the Safer Neighbourhoods team" in body
    assert "Acknowledgement to the resident" in body and "The resident" in body
    assert "ada@example.com" not in body
    assert not AccessLog.objects.filter(what="contact").exists()


def test_detail_shows_map_answers_repeats_and_timeline(client, hackney_officer, hackney_report):
    repeat = submit_report(draft=make_draft()).report
    login_verified(client, hackney_officer)
    body = client.get(f"/admin/asb-reports/{repeat.pk}/").content.decode()
    assert 'id="report-map"' in body
    assert "How often has this happened?" in body and "Every week or more often" in body
    assert hackney_report.reference in body  # linked earlier report
    assert "Same contact details" in body and "Same place" in body
    assert "Received" in body


def test_linked_reports_of_another_borough_show_nothing(
    client, hackney_officer, lambeth_report, hackney_central
):
    """The same resident reported in Lambeth before: Hackney sees nothing of it."""
    repeat = submit_report(draft=make_draft()).report
    assert repeat.repeat_links.filter(earlier=lambeth_report).exists()
    login_verified(client, hackney_officer)
    body = client.get(f"/admin/asb-reports/{repeat.pk}/").content.decode()
    assert lambeth_report.reference not in body
    assert f"/admin/asb-reports/{lambeth_report.pk}/" not in body
    assert "No earlier or later reports" in body


def test_status_change_and_note(client, hackney_officer, hackney_report, mailoutbox):
    from reporting.outbox import services as outbox

    login_verified(client, hackney_officer)
    url = f"/admin/asb-reports/{hackney_report.pk}/"
    response = client.post(url, {"action": "status", "status": "closed", "message": ""})
    assert response.status_code == 200
    assert "Say what the outcome was" in response.content.decode()
    response = client.post(url, {"action": "status", "status": "assigned", "message": "PC Jones"})
    assert response.status_code == 302
    # What the kick after the commit does. (The report's own messages were posted outside
    # any captured commit, so within this test no kick runs by itself.)
    outbox.drain_now()
    hackney_report.refresh_from_db()
    assert hackney_report.status == "assigned"
    assert hackney_report.events.get(kind="assigned").created_by == hackney_officer
    assert any(m.to == ["ada@example.com"] for m in mailoutbox)
    # Saving the same status with no message saves nothing and says why (never a 500).
    events = hackney_report.events.count()
    response = client.post(url, {"action": "status", "status": "assigned", "message": ""})
    assert response.status_code == 200
    assert "The report already has this status" in response.content.decode()
    assert hackney_report.events.count() == events
    client.post(url, {"action": "note", "note": "Spoke to housing."})
    note = hackney_report.events.get(kind="staff_note")
    assert not note.is_public and note.message == "Spoke to housing."


def test_filters(client, hackney_officer, hackney_report):
    high = submit_report(
        draft=make_draft(
            category="fireworks", screening={"unsafe_at_home": "yes", "targeted": ["race"]}
        )
    ).report
    login_verified(client, hackney_officer)
    body = client.get("/admin/asb-reports/?risk=high").content.decode()
    assert high.reference in body and hackney_report.reference not in body
    body = client.get("/admin/asb-reports/?category=noise").content.decode()
    assert hackney_report.reference in body and high.reference not in body
    body = client.get("/admin/asb-reports/?team=E05009372&status=received").content.decode()
    assert hackney_report.reference in body
    body = client.get("/admin/asb-reports/?team=none").content.decode()
    assert hackney_report.reference not in body
    body = client.get(
        "/admin/asb-reports/?date_from=2000-01-01&date_to=2000-12-31"
    ).content.decode()
    assert hackney_report.reference not in body


def test_superusers_see_every_borough_and_are_audited(
    client, admin_user, hackney_report, lambeth_report
):
    login_verified(client, admin_user)
    body = client.get("/admin/asb-reports/").content.decode()
    assert hackney_report.reference in body and lambeth_report.reference in body
    client.get(f"/admin/asb-reports/{lambeth_report.pk}/?contact=1")
    assert AccessLog.objects.filter(user=admin_user, report=lambeth_report).count() == 1


def test_photos_only_for_the_boroughs_staff(
    client, hackney_officer, lambeth_officer, hackney_central
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.photos import clean_photo
    from reporting.services import store_pending_upload
    from tests.reporting.test_ids_and_photos import image_bytes

    pending = store_pending_upload(photo=clean_photo(SimpleUploadedFile("a.jpg", image_bytes())))
    report = submit_report(draft=make_draft(), photo_keys=[pending.key]).report
    photo = report.photos.get()
    url = f"/admin/asb-reports/{report.pk}/photos/{photo.pk}/"
    login_verified(client, lambeth_officer)
    assert denied(client.get(url))
    assert not AccessLog.objects.filter(what="photo").exists()  # refused: nothing seen
    login_verified(client, hackney_officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    log = AccessLog.objects.get(what="photo")
    assert (log.user, log.report, log.object_id) == (hackney_officer, report, str(photo.pk))


def _lead(django_user_model, username, *boroughs):
    from django.contrib.auth.models import Permission

    from tests.reporting.conftest import staff_user

    lead = staff_user(django_user_model, username, *boroughs)
    lead.user_permissions.add(
        Permission.objects.get(content_type__app_label="reporting", codename="view_accesslog")
    )
    return lead


def test_borough_leads_read_their_boroughs_access_log_and_nobody_edits_it(
    client, django_user_model, hackney_officer, lambeth_officer, hackney_report, lambeth_report
):
    login_verified(client, hackney_officer)
    client.get(f"/admin/asb-reports/{hackney_report.pk}/?contact=1")
    login_verified(client, lambeth_officer)
    client.get(f"/admin/asb-reports/{lambeth_report.pk}/")
    assert denied(client.get("/admin/asb-reports/access-log/"))  # officers: no
    login_verified(client, _lead(django_user_model, "hackney-lead", "E09000012"))
    response = client.get("/admin/asb-reports/access-log/")
    body = response.content.decode()
    assert response.status_code == 200
    assert hackney_report.reference in body and "hackney-officer" in body
    assert "Contact details" in body
    assert lambeth_report.reference not in body and "lambeth-officer" not in body
    filtered = client.get("/admin/asb-reports/access-log/", {"username": "nobody"})
    assert hackney_report.reference not in filtered.content.decode()
    before = AccessLog.objects.count()
    assert client.post("/admin/asb-reports/access-log/", {"username": "x"}).status_code == 405
    assert AccessLog.objects.count() == before
    assert "/admin/asb-reports/access-log/" in client.get("/admin/").content.decode()


def test_menu_item_only_for_reporting_staff(client, hackney_officer, django_user_model):
    from tests.reporting.conftest import staff_user

    login_verified(client, hackney_officer)
    assert "/admin/asb-reports/" in client.get("/admin/").content.decode()
    login_verified(client, staff_user(django_user_model, "editor"))
    assert "/admin/asb-reports/" not in client.get("/admin/").content.decode()


# --- the officer's dashboard and the report list: open reports, due soonest first -------


def age(report, **delta):
    """Make a report older, as if received ``delta`` ago."""
    from datetime import timedelta

    from django.utils import timezone

    from reporting.models import Report

    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(**delta))
    report.refresh_from_db()
    return report


def close(report):
    from reporting.models import Report

    Report.objects.filter(pk=report.pk).update(status="closed")


@pytest.fixture
def three_reports(hackney_central):
    """An overdue report, a new one and a closed one, in Hackney."""
    overdue = age(submit_report(draft=make_draft(category="fireworks")).report, days=10)
    new = submit_report(draft=make_draft(category="noise")).report
    closed = age(submit_report(draft=make_draft(category="begging-vagrancy")).report, days=3)
    close(closed)
    return overdue, new, closed


def test_the_dashboard_lists_open_reports_due_soonest_first(client, hackney_officer, three_reports):
    overdue, new, closed = three_reports
    login_verified(client, hackney_officer)
    response = client.get("/admin/")
    body = response.content.decode()
    assert 'id="open-reports-section"' in body
    assert "2 open reports for Hackney" in body and "1 overdue" in body
    assert body.index(overdue.reference) < body.index(new.reference)  # overdue first
    assert closed.reference not in body
    assert "Overdue:" in body and "First contact" in body
    assert f'href="/admin/asb-reports/{overdue.pk}/"' in body
    # nothing personal: the panel is not a look at anyone's details
    assert "Ada Resident" not in body and "ada@example.com" not in body
    assert not AccessLog.objects.exists()


def test_the_dashboard_says_when_there_is_nothing_open(client, hackney_officer, hackney_central):
    login_verified(client, hackney_officer)
    body = client.get("/admin/").content.decode()
    assert "No open reports for Hackney" in body


def test_the_dashboard_panel_is_for_reporting_staff_only(client, django_user_model, three_reports):
    from tests.reporting.conftest import staff_user

    editor = staff_user(django_user_model, "editor")  # admin access, no borough
    login_verified(client, editor)
    body = client.get("/admin/").content.decode()
    assert 'id="open-reports-section"' not in body
    assert three_reports[0].reference not in body


def test_the_list_shows_open_reports_with_due_by_first(client, hackney_officer, three_reports):
    overdue, new, closed = three_reports
    login_verified(client, hackney_officer)
    body = client.get("/admin/asb-reports/").content.decode()
    assert ">Due by" in body and 'aria-sort="ascending"' in body
    assert overdue.reference in body and new.reference in body
    assert closed.reference not in body  # open reports unless asked otherwise
    assert body.index(overdue.reference) < body.index(new.reference)
    assert "2 reports: open reports, due soonest first." in body
    assert "Overdue:" in body


def test_the_list_filters_to_all_or_closed_reports(client, hackney_officer, three_reports):
    overdue, new, closed = three_reports
    login_verified(client, hackney_officer)
    body = client.get("/admin/asb-reports/?show=all").content.decode()
    assert all(r.reference in body for r in three_reports)
    assert body.index(new.reference) < body.index(closed.reference)  # closed ones last
    body = client.get("/admin/asb-reports/?show=closed").content.decode()
    assert closed.reference in body and overdue.reference not in body
    # a status chosen is more specific than "Show"
    body = client.get("/admin/asb-reports/?status=closed").content.decode()
    assert closed.reference in body and new.reference not in body
    # newest first, by the "Received" heading
    body = client.get("/admin/asb-reports/?sort=-received").content.decode()
    assert body.index(new.reference) < body.index(overdue.reference)
    # nonsense in the query string is a page, not an error
    response = client.get("/admin/asb-reports/?show=everything&sort=sideways&p=x")
    assert response.status_code == 200


def test_a_report_linked_twice_is_listed_once(client, hackney_officer, hackney_report):
    """The same resident at the same place: linked by contact and by place, one row."""
    repeat = submit_report(draft=make_draft()).report
    assert repeat.repeat_links.filter(earlier=hackney_report).count() == 2
    login_verified(client, hackney_officer)
    body = client.get(f"/admin/asb-reports/{repeat.pk}/").content.decode()
    assert body.count(f'href="/admin/asb-reports/{hackney_report.pk}/"') == 1
    assert "Same contact details; Same place (within 50 m)" in body
    # and the earlier report lists the later one once too
    body = client.get(f"/admin/asb-reports/{hackney_report.pk}/").content.decode()
    assert body.count(f'href="/admin/asb-reports/{repeat.pk}/"') == 1
    assert "(later)" in body
