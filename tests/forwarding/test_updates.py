"""Updates coming back: the signed inbound endpoint, Open311 polling, and the call-back."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from reporting import messages
from reporting.forwarding.models import InboundUpdate
from reporting.forwarding.polling import poll_config
from reporting.models import CallbackSurvey, Report, ReportEvent, Status
from reporting.outbox import services as outbox
from reporting.outbox.adapters import signing
from reporting.outbox.models import Message, State
from tests.local_services import HACKNEY, INBOUND_SECRET, LAMBETH

pytestmark = pytest.mark.django_db


def _delivered():
    """Deliver what the step posted. (Within one test only the first captured commit
    starts a drain: Django's capture leaves that kick in the unfinished transaction's
    list, so later posts find one pending and add none.)"""
    outbox.drain_now()


def _post(client, borough, data, *, secret=INBOUND_SECRET, timestamp=None, headers=None):
    body = json.dumps(data).encode()
    signed = signing.signed_headers(secret, body, now=timestamp)
    extra = {
        "HTTP_X_SIGNATURE": signed[signing.SIGNATURE_HEADER],
        "HTTP_X_TIMESTAMP": signed[signing.TIMESTAMP_HEADER],
    }
    if headers is not None:
        extra = headers
    return client.post(
        reverse("forwarding:case_update", args=[borough]),
        data=body,
        content_type="application/json",
        **extra,
    )


def _update(report, update_id="U1", status="in_progress", **extra):
    return {
        "update_id": update_id,
        "reference": report.reference,
        "status": status,
        "description": extra.pop("description", "An officer is looking into it."),
        "updated_datetime": extra.pop("updated_datetime", datetime.now(UTC).isoformat()),
        **extra,
    }


def _case_id(report) -> str:
    return Message.objects.get(report=report, kind=messages.CASE_REPORT).external_id


def _invitations(report):
    return Message.objects.filter(report=report, kind=messages.RESIDENT_CALLBACK_INVITATION)


def _resident_emails(report):
    return [m for m in mail.outbox if m.to == ["ada@example.org"] and report.reference in m.subject]


def test_signed_update_lands_on_the_timeline_and_emails_the_resident(
    client, webhook_config, file_report
):
    report = file_report(HACKNEY)
    before = len(_resident_emails(report))
    response = _post(client, HACKNEY, _update(report))
    _delivered()
    assert response.status_code == 200, response.content
    assert response.json() == {
        "result": "applied",
        "reference": report.reference,
        "status": "in_progress",
    }
    report.refresh_from_db()
    assert report.status == Status.IN_PROGRESS
    event = report.events.get(external_id=f"case:{HACKNEY}:U1")
    assert event.message == "An officer is looking into it."
    assert len(_resident_emails(report)) == before + 1
    update = Message.objects.get(report=report, kind=messages.RESIDENT_STATUS_UPDATE)
    assert update.event == event and update.state == State.DELIVERED


def test_the_case_systems_acknowledgement_before_our_delivery_record_is_not_emailed(
    client, webhook_config, file_report
):
    """The case system says "received" before the portal recorded its delivery (the
    answer was lost): the report is "sent", as on delivery, and the resident is not
    emailed for it (their confirmation said so already)."""
    report = file_report(HACKNEY)
    Report.objects.filter(pk=report.pk).update(status=Status.RECEIVED)
    response = _post(client, HACKNEY, _update(report, status="received", description="Logged."))
    _delivered()
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.status == Status.SENT
    assert report.events.get(external_id=f"case:{HACKNEY}:U1").message == "Logged."
    assert not Message.objects.filter(report=report, kind=messages.RESIDENT_STATUS_UPDATE)


def test_the_same_update_twice_is_applied_once(client, webhook_config, file_report):
    report = file_report(HACKNEY)
    first = _post(client, HACKNEY, _update(report))
    second = _post(client, HACKNEY, _update(report))
    assert first.status_code == second.status_code == 200
    assert second.json()["result"] == "duplicate"
    assert ReportEvent.objects.filter(report=report, external_id__startswith="case:").count() == 1
    assert InboundUpdate.objects.count() == 1


def test_update_by_the_case_systems_own_id(client, webhook_config, file_report):
    report = file_report(HACKNEY)
    case_id = _case_id(report)
    assert case_id
    data = _update(report, reference="")
    data["service_request_id"] = case_id
    response = _post(client, HACKNEY, data)
    assert response.status_code == 200
    assert response.json()["reference"] == report.reference


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("wrong_secret", "bad_signature"),
        ("stale", "bad_signature"),
        ("non_ascii", "bad_signature"),  # was a TypeError (500)
        ("unsigned", "unsigned"),
    ],
)
def test_unauthenticated_updates_are_refused(client, webhook_config, file_report, kind, expected):
    report = file_report(HACKNEY)
    if kind == "wrong_secret":
        response = _post(client, HACKNEY, _update(report), secret="guess")
    elif kind == "stale":
        response = _post(client, HACKNEY, _update(report), timestamp=time.time() - 301)
    elif kind == "non_ascii":
        headers = {"HTTP_X_SIGNATURE": "sha256=é☃", "HTTP_X_TIMESTAMP": str(int(time.time()))}
        response = _post(client, HACKNEY, _update(report), headers=headers)
    else:
        response = _post(client, HACKNEY, _update(report), headers={})
    assert response.status_code == 401
    assert response.json()["error"] == expected
    assert not InboundUpdate.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_X_API_KEY": INBOUND_SECRET}, {"HTTP_AUTHORIZATION": f"Bearer {INBOUND_SECRET}"}],
)
def test_the_secret_itself_is_never_a_key(client, webhook_config, file_report, headers):
    """A request carrying the HMAC secret as a key (which skips the freshness check, so a
    captured one could be replayed forever) is refused: only a fresh signature opens."""
    report = file_report(HACKNEY)
    response = _post(client, HACKNEY, _update(report), headers=headers)
    assert response.status_code == 401 and response.json()["error"] == "unsigned"
    assert not InboundUpdate.objects.exists()


def test_unknown_report_is_refused_clearly_without_leaking(
    client, webhook_config, open311_config, file_report
):
    lambeth_report = file_report(LAMBETH)
    # A Lambeth report is "unknown" to Hackney: boroughs only reach their own reports.
    response = _post(client, HACKNEY, _update(lambeth_report))
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "unknown_report"
    assert "ada" not in json.dumps(body).lower()
    response = _post(
        client, HACKNEY, {"update_id": "X", "reference": "ASB-0000-0000", "status": "open"}
    )
    assert response.status_code == 404


def test_borough_without_inbound_secret_is_refused(client, email_config):
    response = _post(client, email_config.borough_code, {"update_id": "1"})
    assert response.status_code == 401
    assert response.json()["error"] == "not_configured"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"status": "open"}, "missing_fields"),
        (
            {
                "update_id": "1",
                "reference": "ASB-1111-1111",
                "status": "open",
                "updated_datetime": "yesterday",
            },
            "invalid_datetime",
        ),
        ([], "invalid_json"),
    ],
)
def test_malformed_updates_get_400(client, webhook_config, data, code):
    response = _post(client, HACKNEY, data)
    assert response.status_code == 400
    assert response.json()["error"] == code


def test_inbound_endpoint_is_post_only(client, webhook_config):
    assert client.get(reverse("forwarding:case_update", args=[HACKNEY])).status_code == 405


def test_an_older_update_arriving_late_does_not_turn_the_status_back(
    client, webhook_config, file_report
):
    report = file_report(HACKNEY)
    now = datetime.now(UTC)
    _post(
        client,
        HACKNEY,
        _update(
            report,
            "U2",
            "closed",
            description="Warning letter sent.",
            updated_datetime=now.isoformat(),
        ),
    )
    late = _update(
        report,
        "U1",
        "in_progress",
        description="Visiting tomorrow.",
        updated_datetime=(now - timedelta(hours=1)).isoformat(),
    )
    assert _post(client, HACKNEY, late).status_code == 200
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.events.filter(message="Visiting tomorrow.").exists()


def test_closing_asks_the_callback_questions_once(client, webhook_config, file_report):
    report = file_report(HACKNEY)
    _post(
        client,
        HACKNEY,
        _update(
            report, "U9", "closed", description="Warning letter sent.", external_status_code="fixed"
        ),
    )
    _delivered()
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.outcome == "Warning letter sent."
    survey = CallbackSurvey.objects.get(report=report)
    assert survey.borough_code == HACKNEY
    assert [m.state for m in _invitations(report)] == [State.DELIVERED]
    invitation = [m for m in mail.outbox if m.subject.startswith("How did we do?")]
    assert len(invitation) == 1 and invitation[0].to == ["ada@example.org"]
    link = next(line for line in invitation[0].body.splitlines() if "/report/feedback/" in line)
    path = link[link.index("/report/feedback/") :]
    page = client.get(path)
    assert page.status_code == 200
    assert b"How was your report handled?" in page.content
    # a re-opened and re-closed report is not asked twice
    _post(client, HACKNEY, _update(report, "U10", "open"))
    _post(client, HACKNEY, _update(report, "U11", "closed"))
    _delivered()
    assert CallbackSurvey.objects.filter(report=report).count() == 1
    assert _invitations(report).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("How did we do?")]) == 1


def test_anonymous_residents_are_not_emailed_but_the_survey_exists(
    client, webhook_config, file_report
):
    report = file_report(HACKNEY, contact=None)
    _post(client, HACKNEY, _update(report, "C", "closed"))
    _delivered()
    assert CallbackSurvey.objects.filter(report=report).exists()
    assert not _invitations(report).exists()  # nobody to invite: no message at all
    assert not [m for m in mail.outbox if m.subject.startswith("How did we do?")]


def test_polling_open311_updates_reaches_the_timeline_once(
    open311_config, case_system, file_report
):
    report = file_report(LAMBETH)
    case_id = _case_id(report)
    case_system.system.add_update(case_id, "in_progress", "Officer assigned.", "investigating")
    case_system.system.add_update(case_id, "closed", "Noise abatement notice served.", "fixed")
    result = poll_config(open311_config)
    _delivered()
    assert (result.fetched, result.applied, result.error) == (2, 2, "")
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.outcome == "Noise abatement notice served."
    assert list(
        report.events.filter(external_id__startswith="case:").values_list("message", flat=True)
    ) == ["Officer assigned.", "Noise abatement notice served."]
    assert CallbackSurvey.objects.filter(report=report).exists()
    to_resident = report.outbox_messages.filter(state=State.DELIVERED, audience="resident")
    assert sorted(to_resident.values_list("kind", flat=True)) == [
        messages.RESIDENT_CALLBACK_INVITATION,
        messages.RESIDENT_CONFIRMATION,
        messages.RESIDENT_STATUS_UPDATE,
        messages.RESIDENT_STATUS_UPDATE,
    ]
    open311_config.refresh_from_db()
    assert open311_config.poll_cursor is not None
    again = poll_config(open311_config)
    assert again.applied == 0 and again.duplicates == 2
    assert InboundUpdate.objects.filter(report=report, source="poll").count() == 2


def test_polling_failure_is_reported_not_raised(open311_config, case_system):
    open311_config.endpoint_url = "http://127.0.0.1:9/open311/v2/"
    open311_config.save()
    result = poll_config(open311_config)
    assert result.error
    assert result.applied == 0


def test_poll_command_prints_a_line_per_borough(open311_config, case_system):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("poll_case_updates", stdout=out)
    assert f"{LAMBETH}: fetched 0" in out.getvalue()
    assert Report.objects.count() == 0


def test_polling_reads_only_its_own_jurisdiction_and_moves_its_cursor(
    open311_config, webhook_config, case_system, file_report
):
    lambeth = file_report(LAMBETH)
    hackney = file_report(HACKNEY)
    _delivered()
    lambeth_case = _case_id(lambeth)
    hackney_case = _case_id(hackney)
    assert lambeth_case and hackney_case  # both in the one case system, as two jurisdictions
    case_system.system.add_update(hackney_case, "in_progress", "Hackney's own update.")
    case_system.system.add_update(lambeth_case, "in_progress", "Lambeth's update.")
    result = poll_config(open311_config)
    assert (result.fetched, result.applied, result.unknown) == (1, 1, 0)
    open311_config.refresh_from_db()
    assert open311_config.poll_cursor is not None
