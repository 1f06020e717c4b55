"""The outbox as staff and monitoring see it: the admin pages at /admin/outbox/ (scoped to
the user's boroughs), the dashboard panel, /healthz, ``manage.py outbox_status`` and
``sweep_outbox``; the one rule for contacting a resident; and the data migration that
turned the old deliveries and notifications into outbox messages."""

from __future__ import annotations

import html
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting import messages, selectors
from reporting.models import AccessLog
from reporting.outbox import services as outbox
from reporting.outbox.models import Attempt, Audience, Message, State
from tests.accounts.helpers import login_verified
from tests.local_services import HACKNEY, LAMBETH, submit
from tests.reporting.conftest import staff_user

pytestmark = pytest.mark.django_db

HOME = "/admin/"
PANEL = "Messages that need you"


def officer(django_user_model, username: str, *boroughs: str, perms=("view_message",)):
    """A borough's staff member (admin access, BoroughStaff) with these outbox permissions."""
    user = staff_user(django_user_model, username, *boroughs)
    for codename in perms:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="outbox", codename=codename)
        )
    return user


def set_state(message: Message, state: str, **values) -> Message:
    """Put a message in a state as the engine would leave it."""
    now = timezone.now()
    defaults = {
        State.DEAD: {"dead_at": now, "attempts": 1, "last_status": 550},
        State.DELIVERED: {"delivered_at": now, "attempts": 1, "last_status": 250},
        State.RETRYING: {"attempts": 1, "next_attempt_at": now + timedelta(minutes=5)},
        State.SENDING: {"attempts": 1, "lease_until": now + timedelta(minutes=2)},
    }.get(state, {})
    Message.objects.filter(pk=message.pk).update(state=state, **{**defaults, **values})
    message.refresh_from_db()
    return message


def inbox_message(report) -> Message:
    return report.outbox_messages.get(kind=messages.BOROUGH_NEW_REPORT)


def listed(response) -> set[int]:
    return {message.pk for message in response.context["page_obj"].object_list}


@pytest.fixture
def hackney_report(db):
    return submit(HACKNEY)


@pytest.fixture
def lambeth_report(db):
    return submit(LAMBETH)


# --- the outbox pages -------------------------------------------------------------------


def test_a_borough_officer_sees_their_boroughs_table_and_messages_only(
    client, django_user_model, hackney_report, lambeth_report
):
    login_verified(client, officer(django_user_model, "hackney-lead", HACKNEY))
    response = client.get(reverse("outbox_admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "By borough" in body
    summary = response.context["summary"]
    assert [(row.borough_code, row.borough_name, row.queued) for row in summary] == [
        (HACKNEY, "Hackney", 2)
    ]
    assert hackney_report.reference in body
    assert lambeth_report.reference not in body
    assert listed(response) == set(hackney_report.outbox_messages.values_list("pk", flat=True))
    mine = client.get(reverse("outbox_admin:message", args=[inbox_message(hackney_report).pk]))
    assert mine.status_code == 200 and hackney_report.reference in mine.content.decode()
    theirs = inbox_message(lambeth_report)
    assert client.get(reverse("outbox_admin:message", args=[theirs.pk])).status_code == 404


def test_without_the_permission_the_outbox_is_refused(client, django_user_model, hackney_report):
    login_verified(client, officer(django_user_model, "hackney-officer", HACKNEY, perms=()))
    message = inbox_message(hackney_report)
    for response in (
        client.get(reverse("outbox_admin:index")),
        client.get(reverse("outbox_admin:message", args=[message.pk])),
        client.post(reverse("outbox_admin:retry", args=[message.pk])),
    ):
        # Wagtail turns PermissionDenied in admin views into a redirect to the dashboard
        assert (response.status_code, response.url) == (302, HOME)
    ajax = client.get(reverse("outbox_admin:index"), headers={"x-requested-with": "XMLHttpRequest"})
    assert ajax.status_code == 403
    dashboard = client.get(HOME).content.decode()
    assert reverse("outbox_admin:index") not in dashboard  # no menu item either
    login_verified(client, officer(django_user_model, "hackney-lead", HACKNEY))
    assert reverse("outbox_admin:index") in client.get(HOME).content.decode()


def test_a_residents_message_shows_the_resident_never_their_address(
    client, django_user_model, smtp_sink
):
    smtp_sink.chaos.update({"reject_pattern": r"^ada@"})
    report = submit(HACKNEY)
    outbox.drain_now()
    confirmation = report.outbox_messages.get(kind=messages.RESIDENT_CONFIRMATION)
    assert confirmation.state == State.DEAD  # the resident's mail server refused it
    login_verified(client, officer(django_user_model, "hackney-lead", HACKNEY))
    pages = [
        client.get(reverse("outbox_admin:index")),
        client.get(reverse("outbox_admin:index"), {"audience": Audience.RESIDENT}),
        client.get(reverse("outbox_admin:message", args=[confirmation.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        body = html.unescape(page.content.decode())
        assert "The resident" in body
        assert "ada@example.org" not in body and "Ada Lovelace" not in body
    detail = html.unescape(pages[2].content.decode())
    assert "Why it failed" in detail and "<the resident's address>" in detail
    assert not AccessLog.objects.filter(user__isnull=False).exists()  # staff read nothing


def test_send_again_needs_the_retry_permission(client, django_user_model, hackney_report):
    dead = set_state(inbox_message(hackney_report), State.DEAD, last_error="550 no mailbox")
    url = reverse("outbox_admin:message", args=[dead.pk])
    login_verified(client, officer(django_user_model, "hackney-viewer", HACKNEY))
    page = client.get(url)
    assert page.context["can_retry"] is False and b"Send again" not in page.content
    refused = client.post(reverse("outbox_admin:retry", args=[dead.pk]))
    assert (refused.status_code, refused.url) == (302, HOME)
    dead.refresh_from_db()
    assert dead.state == State.DEAD
    login_verified(
        client,
        officer(
            django_user_model, "hackney-lead", HACKNEY, perms=("view_message", "retry_message")
        ),
    )
    page = client.get(url)
    assert page.context["can_retry"] is True and b"Send again" in page.content
    response = client.post(reverse("outbox_admin:retry", args=[dead.pk]), follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert f"Message {dead.pk} will be sent again now." in response.content.decode()
    dead.refresh_from_db()
    assert (dead.state, dead.dead_at) == (State.QUEUED, None)


@pytest.mark.parametrize(
    ("state", "sent_again"),
    [
        (State.DEAD, True),
        (State.RETRYING, True),
        (State.QUEUED, False),
        (State.SENDING, False),
        (State.DELIVERED, False),
        (State.CANCELLED, False),
    ],
)
def test_send_again_only_for_dead_or_retrying_messages(
    client, django_user_model, hackney_report, state, sent_again
):
    message = set_state(inbox_message(hackney_report), state)
    login_verified(
        client,
        officer(
            django_user_model, "hackney-lead", HACKNEY, perms=("view_message", "retry_message")
        ),
    )
    page = client.get(reverse("outbox_admin:message", args=[message.pk]))
    assert page.context["can_retry"] is sent_again
    response = client.post(reverse("outbox_admin:retry", args=[message.pk]), follow=True)
    body = response.content.decode()
    message.refresh_from_db()
    if sent_again:
        assert message.state == State.QUEUED
        assert "will be sent again now" in body
    else:
        assert message.state == state
        assert "is not waiting to be sent again" in body


def test_the_filter_form_filters_by_borough_state_and_audience(
    client, django_user_model, hackney_report, lambeth_report
):
    dead = set_state(inbox_message(lambeth_report), State.DEAD)
    set_state(inbox_message(hackney_report), State.DELIVERED)
    login_verified(client, officer(django_user_model, "two-boroughs", HACKNEY, LAMBETH))
    url = reverse("outbox_admin:index")
    every = set(Message.objects.values_list("pk", flat=True))
    assert listed(client.get(url)) == every
    lambeth = set(lambeth_report.outbox_messages.values_list("pk", flat=True))
    assert listed(client.get(url, {"borough": LAMBETH})) == lambeth
    assert listed(client.get(url, {"state": "dead"})) == {dead.pk}
    residents = set(Message.objects.filter(audience="resident").values_list("pk", flat=True))
    assert len(residents) == 2
    assert listed(client.get(url, {"audience": "resident"})) == residents
    both = client.get(url, {"borough": HACKNEY, "state": "delivered", "audience": "borough"})
    assert listed(both) == {inbox_message(hackney_report).pk}
    assert listed(client.get(url, {"borough": HACKNEY, "state": "dead"})) == set()
    assert "No messages." in client.get(url, {"borough": HACKNEY, "state": "dead"}).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"state": "exploded"},
        {"audience": "<script>alert(1)</script>"},
        {"borough": LAMBETH},  # not one of the officer's boroughs
        {"borough": "E0900"},
        {"p": "abc"},
        {"p": "9999"},
        {"state": "dead", "audience": "nobody", "borough": "x", "p": "-1"},
    ],
)
def test_bad_filter_values_show_every_message_never_an_error(
    client, django_user_model, hackney_report, lambeth_report, query
):
    set_state(inbox_message(hackney_report), State.DEAD)
    login_verified(client, officer(django_user_model, "hackney-lead", HACKNEY))
    response = client.get(reverse("outbox_admin:index"), query)
    assert response.status_code == 200
    assert listed(response) == set(hackney_report.outbox_messages.values_list("pk", flat=True))
    assert lambeth_report.reference not in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- the dashboard panel ----------------------------------------------------------------


def open_reports_panel(home: str) -> str:
    """The dashboard's "Open reports" panel (reporting staff see their open reports)."""
    start = home.find('id="open-reports-section"')
    return "" if start < 0 else home[start : home.index("</section>", start)]


def test_a_dead_letter_is_on_the_dashboard_of_its_boroughs_staff_only(
    client, django_user_model, hackney_report
):
    set_state(inbox_message(hackney_report), State.DEAD, last_error="550 mailbox unavailable")
    hackney_lead = officer(django_user_model, "hackney-lead", HACKNEY)
    lambeth_lead = officer(django_user_model, "lambeth-lead", LAMBETH)
    hackney_officer = officer(django_user_model, "hackney-officer", HACKNEY, perms=())
    login_verified(client, hackney_lead)
    home = client.get(HOME).content.decode()
    assert PANEL in home and 'id="outbox-attention-section"' in home
    assert hackney_report.reference in home and "550 mailbox unavailable" in home
    assert "could not be sent" in home
    assert "Outbox (1 failed)" in home
    for other in (lambeth_lead, hackney_officer):
        login_verified(client, other)
        home = client.get(HOME).content.decode()
        assert PANEL not in home
        assert hackney_report.reference not in home.replace(open_reports_panel(home), "")


def test_a_message_older_than_the_boroughs_first_contact_target_is_on_the_dashboard(
    client, django_user_model, hackney, hackney_report, lambeth_report
):
    commitment = hackney.commitment_for("first_contact")
    assert commitment is not None and commitment.has_target
    now = timezone.now()
    old = now - timedelta(days=10)
    overdue = set_state(
        inbox_message(hackney_report), State.RETRYING, created_at=old, last_error="451 later"
    )
    assert commitment.due_by(old) < now
    young = submit(HACKNEY, contact=None)
    Message.objects.filter(report=young).update(created_at=now - timedelta(hours=2))
    # a resident's message or a delivered one, however old, is not the borough waiting
    Message.objects.filter(report=hackney_report, audience=Audience.RESIDENT).update(created_at=old)
    delivered = submit(HACKNEY, contact=None)
    set_state(inbox_message(delivered), State.DELIVERED, created_at=old)
    Message.objects.filter(report=lambeth_report).update(created_at=old)

    login_verified(client, officer(django_user_model, "hackney-lead", HACKNEY))
    home = client.get(HOME).content.decode()
    assert PANEL in home
    assert "has not reached its borough or team" in home
    assert hackney_report.reference in home and "451 later" in home
    outbox_part = home.replace(open_reports_panel(home), "")  # open reports are listed there
    assert young.reference not in outbox_part and delivered.reference not in outbox_part
    assert lambeth_report.reference not in home  # another borough's, and not theirs to see
    assert [item.message.pk for item in selectors.overdue_to_boroughs({HACKNEY})] == [overdue.pk]
    page = client.get(reverse("outbox_admin:index")).content.decode()
    assert "not arrived in time" in page and commitment.target_text in page

    login_verified(client, officer(django_user_model, "lambeth-viewer", LAMBETH, perms=()))
    assert PANEL not in client.get(HOME).content.decode()


def test_the_boroughs_own_target_decides_when_a_message_is_overdue(hackney, db):
    """Hackney promises first contact within 48 hours: a message 30 hours old is not yet
    late there, though it would be under the London-wide 24 hours."""
    commitment = hackney.commitment_for("first_contact")
    hours = commitment.target_hours
    assert hours > 26, "the demo standards give Hackney a longer promise than 24 hours"
    report = submit(HACKNEY, contact=None)
    message = inbox_message(report)
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(hours=hours - 2))
    assert selectors.overdue_to_boroughs(None, now=now) == []
    Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(hours=hours + 2))
    (item,) = selectors.overdue_to_boroughs(None, now=now)
    assert item.message.pk == message.pk and item.target_text == commitment.target_text
    # no borough page: the London-wide 24 hours
    lambeth = submit(LAMBETH, contact=None)
    Message.objects.filter(report=lambeth).update(created_at=now - timedelta(hours=25))
    late = {i.message.borough_code: i.target_text for i in selectors.overdue_to_boroughs(None)}
    assert late == {HACKNEY: commitment.target_text, LAMBETH: "within 24 hours"}
    assert not [i for i in selectors.overdue_to_boroughs(None) if i.message.audience == "resident"]


# --- /healthz ---------------------------------------------------------------------------


def _health(client) -> tuple[dict, str]:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    text = response.content.decode()
    return json.loads(text), text


def _nothing_personal(text: str, *reports) -> None:
    for report in reports:
        assert report.reference not in text
    for personal in ("ada@example.org", "Ada", "Lovelace", "020 7946"):
        assert personal not in text


def test_healthz_is_ok_with_counts_when_all_is_well(client, hackney_report, lambeth_report):
    set_state(inbox_message(lambeth_report), State.DELIVERED)
    set_state(inbox_message(hackney_report), State.SENDING)
    body, text = _health(client)
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["outbox"]["queued"] == 2  # the two residents' acknowledgements
    assert body["outbox"]["in_flight"] == 1
    assert body["outbox"]["dead"] == 0
    assert 0 <= body["outbox"]["oldest_waiting_seconds"] < 60
    assert (body["outbox"]["overdue_to_boroughs"], body["outbox"]["overdue_boroughs"]) == (0, [])
    _nothing_personal(text, hackney_report, lambeth_report)


def test_healthz_asks_for_attention_when_a_borough_bound_message_is_overdue(
    client, hackney_report, lambeth_report
):
    Message.objects.filter(pk=inbox_message(hackney_report).pk).update(
        state=State.RETRYING, created_at=timezone.now() - timedelta(days=2)
    )
    body, text = _health(client)
    assert body["status"] == "attention"
    assert body["outbox"]["overdue_to_boroughs"] == 1
    assert body["outbox"]["overdue_boroughs"] == [HACKNEY]
    assert body["outbox"]["dead"] == 0
    assert body["outbox"]["oldest_waiting_seconds"] >= 2 * 24 * 3600 - 5
    _nothing_personal(text, hackney_report, lambeth_report)


def test_healthz_asks_for_attention_when_there_is_a_dead_letter(
    client, hackney_report, lambeth_report
):
    confirmation = lambeth_report.outbox_messages.get(kind=messages.RESIDENT_CONFIRMATION)
    set_state(confirmation, State.DEAD, last_error="550 <the resident's address> unknown")
    body, text = _health(client)
    assert body["status"] == "attention"
    assert body["outbox"]["dead"] == 1
    assert body["outbox"]["overdue_to_boroughs"] == 0  # a resident's: not borough-bound
    assert "550" not in text  # reasons are for the admin, not for monitoring
    _nothing_personal(text, hackney_report, lambeth_report)


# --- the commands -----------------------------------------------------------------------


def _rows(output: str) -> dict[str, list[str]]:
    """The status table by borough name: queued, in flight, delivered, dead, oldest."""
    lines = output.splitlines()
    assert lines[0].split() == [
        "borough",
        "queued",
        "in",
        "flight",
        "delivered",
        "dead",
        "oldest",
        "waiting",
    ]
    rows = {}
    for line in lines[1:]:
        if line.startswith(("(", "dead #")):
            continue
        name, values = line[:26].strip(), line[26:].split()
        rows[name] = values
    return rows


def test_outbox_status_prints_a_row_per_borough_and_a_total(hackney_report, lambeth_report):
    # Hackney: inbox dead, confirmation sending, and one more queued 3 hours ago;
    # Lambeth: inbox delivered, confirmation retrying
    set_state(inbox_message(hackney_report), State.DEAD, last_error="550 mailbox unavailable")
    set_state(hackney_report.outbox_messages.get(kind=messages.RESIDENT_CONFIRMATION), "sending")
    earlier = submit(HACKNEY, contact=None)
    Message.objects.filter(report=earlier).update(created_at=timezone.now() - timedelta(hours=3))
    set_state(inbox_message(lambeth_report), State.DELIVERED)
    set_state(lambeth_report.outbox_messages.get(kind=messages.RESIDENT_CONFIRMATION), "retrying")
    out = StringIO()
    call_command("outbox_status", stdout=out)
    rows = _rows(out.getvalue())
    assert list(rows) == ["Hackney", "Lambeth", "All boroughs"]
    assert rows["Hackney"] == ["1", "1", "0", "1", "3h"]
    assert rows["Lambeth"][:4] == ["1", "0", "1", "0"] and rows["Lambeth"][4].endswith("s")
    assert rows["All boroughs"] == ["2", "1", "1", "1", "3h"]
    assert "dead #" not in out.getvalue()

    out = StringIO()
    call_command("outbox_status", "--borough", LAMBETH, stdout=out)
    assert list(_rows(out.getvalue())) == ["Lambeth", "All boroughs"]


def test_outbox_status_lists_dead_letters_with_their_reason(hackney_report, lambeth_report):
    dead = set_state(
        inbox_message(hackney_report), State.DEAD, last_error="550 5.1.1 mailbox unavailable"
    )
    set_state(
        lambeth_report.outbox_messages.get(kind=messages.RESIDENT_CONFIRMATION),
        State.CANCELLED,
        last_error="The resident's details have been removed.",
    )
    out = StringIO()
    call_command("outbox_status", "--dead", stdout=out)
    text = out.getvalue()
    (line,) = [line for line in text.splitlines() if line.startswith("dead #")]
    assert line == (
        f"dead #{dead.pk} {messages.BOROUGH_NEW_REPORT} {hackney_report.reference} "
        f"{HACKNEY}: 550 5.1.1 mailbox unavailable"
    )
    assert "(1 not sent: nothing to send any more)" in text


def test_sweep_outbox_takes_back_an_expired_lease_and_sends_it(mailoutbox):
    report = submit(HACKNEY, contact=None)  # one message: the borough's inbox
    message = inbox_message(report)
    now = timezone.now()
    set_state(
        message, State.SENDING, claimed_by="dead-worker", lease_until=now + timedelta(minutes=1)
    )
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert out.getvalue().strip() == (
        "taken back from stopped workers: 0; destinations tried again: none; due: no; "
        "drain started: no"
    )  # its lease has not run out: the worker may still be sending it
    message.refresh_from_db()
    assert message.state == State.SENDING and mailoutbox == []
    Message.objects.filter(pk=message.pk).update(lease_until=now - timedelta(seconds=1))
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert out.getvalue().strip() == (
        "taken back from stopped workers: 1; destinations tried again: none; due: yes; "
        "drain started: yes"
    )
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.attempts == 2
    interrupted = message.attempt_log.get(outcome=Attempt.Outcome.INTERRUPTED)
    assert (interrupted.number, interrupted.worker) == (1, "dead-worker")
    assert [m.to for m in mailoutbox] == [[message.recipient]]
    assert mailoutbox[0].extra_headers["Message-ID"] == message.message_id


# --- the one rule for contacting a resident ---------------------------------------------


def _report_with(kind: str):
    from reporting.drafts import ContactDetails
    from reporting.factories import ReportFactory
    from reporting.services import anonymise_report

    if kind == "anonymous":
        return submit(HACKNEY, contact=None)
    if kind == "anonymised":
        report = submit(HACKNEY)
        anonymise_report(report=report)
        report.refresh_from_db()
        return report
    if kind == "no contact":
        return ReportFactory(anonymous=False)
    if kind == "not safe":
        return submit(
            HACKNEY,
            contact=ContactDetails(
                name="Ada Lovelace", email="ada@example.org", safe_to_contact=False
            ),
        )
    if kind == "no email":
        return submit(HACKNEY, contact=ContactDetails(name="Ada Lovelace", phone="020 7946 0000"))
    return submit(HACKNEY)


@pytest.mark.parametrize(
    ("kind", "may_contact", "has_email", "reason", "logged"),
    [
        ("anonymous", False, False, "The resident reported anonymously.", False),
        ("anonymised", False, False, "The resident's details have been removed.", False),
        ("no contact", False, False, "The resident gave no contact details.", False),
        ("not safe", False, False, "The resident said it is not safe to contact them.", True),
        ("no email", True, False, "", True),
        ("allowed", True, True, "", True),
    ],
)
def test_contact_route_is_the_one_rule_for_contacting_a_resident(
    kind, may_contact, has_email, reason, logged
):
    report = _report_with(kind)
    AccessLog.objects.all().delete()

    quiet = selectors.contact_route(report, purpose="check", reveal=False)
    assert (quiet.may_contact, quiet.has_email, quiet.reason) == (may_contact, has_email, reason)
    assert quiet.may_email is (may_contact and has_email)
    assert (quiet.email, quiet.details) == ("", None)  # nothing personal without reveal
    assert not AccessLog.objects.exists()

    purpose = "email: resident_confirmation " + "x" * 100
    route = selectors.contact_route(report, purpose=purpose)
    assert (route.may_contact, route.has_email, route.reason) == (may_contact, has_email, reason)
    if logged:  # the details were read: exactly one row, by the portal itself
        log = AccessLog.objects.get()
        assert (log.user, log.username, log.report_id) == (None, "system:portal", report.pk)
        assert log.purpose == purpose[:64]
    else:
        assert not AccessLog.objects.exists()
    if kind == "allowed":
        assert route.may_email and route.email == "ada@example.org"
        assert (route.details.name, route.details.phone) == ("Ada Lovelace", "020 7946 0000")
    elif kind == "no email":
        assert not route.may_email and route.email == ""
        assert route.details.phone == "020 7946 0000"  # a case system may still phone them
    else:
        assert (route.email, route.details) == ("", None)


# --- the data migration of the old rows -------------------------------------------------

OLD_TARGETS = [("reporting", "0001_initial"), ("forwarding", "0001_initial"), ("outbox", None)]
OLD_NODES = [
    ("reporting", "0001_initial"),
    ("forwarding", "0001_initial"),
    ("contenttypes", "0002_remove_content_type_name"),  # applied all along
]


def _old_rows(apps) -> dict:
    """What a database written by the old code holds, made with the historical models."""
    from reporting import ids

    Report = apps.get_model("reporting", "Report")
    ReportEvent = apps.get_model("reporting", "ReportEvent")
    Notification = apps.get_model("reporting", "Notification")
    CaseSystemConfig = apps.get_model("forwarding", "CaseSystemConfig")
    Delivery = apps.get_model("forwarding", "Delivery")
    DeliveryAttempt = apps.get_model("forwarding", "DeliveryAttempt")
    CallbackSurvey = apps.get_model("forwarding", "CallbackSurvey")
    ContentType = apps.get_model("contenttypes", "ContentType")
    now = timezone.now().replace(microsecond=0)

    def report(n: int, **values):
        nonce = ids.new_nonce()
        return Report.objects.create(
            reference=f"ASB-MGR8-000{n}",
            token_hash=ids.hash_token(ids.tracking_token(nonce)),
            tracking_nonce=nonce,
            category="noise",
            qualifier="nuisance",
            location_source="map",
            borough_code=LAMBETH,
            description=f"Old report {n}",
            **values,
        )

    # The old database's content types name the forwarding app.
    moved = {}
    for app_label, model in (("outbox", "casesystemconfig"), ("reporting", "callbacksurvey")):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        ContentType.objects.filter(pk=content_type.pk).update(app_label="forwarding")
        moved[(app_label, model)] = content_type.pk

    config = CaseSystemConfig.objects.create(
        borough_code=LAMBETH,
        kind="open311",
        endpoint_url="http://127.0.0.1:9/open311/v2/",
        jurisdiction_id="lambeth",
        service_codes={"noise": "ASB-NOISE"},
        credential_env="LAMBETH_OPEN311_KEY",
        poll_updates=True,
    )
    deliveries = {}
    for n, (state, attempts) in enumerate(
        [("pending", 0), ("sending", 1), ("retrying", 2), ("delivered", 1), ("dead", 1)], start=1
    ):
        values = {"urgent_callback": True, "risk_level": "high"} if state == "dead" else {}
        delivery = Delivery.objects.create(
            report=report(n, **values),
            config=config,
            borough_code=LAMBETH,
            kind="open311",
            state=state,
            attempts=attempts,
            next_attempt_at=now + timedelta(minutes=n),
            lease_until=now + timedelta(minutes=2) if state == "sending" else None,
            last_error="HTTP 503 from the case system" if state == "retrying" else "",
            external_id="CS-1234" if state == "delivered" else "",
            token="tok-5678" if state == "delivered" else "",
            delivered_at=now if state == "delivered" else None,
            dead_at=now if state == "dead" else None,
        )
        if state == "dead":
            Delivery.objects.filter(pk=delivery.pk).update(last_error="HTTP 403: Invalid api_key")
        for number in range(1, attempts + 1):
            last = number == attempts
            outcome = {"delivered": "delivered", "dead": "rejected"}.get(state, "failed")
            DeliveryAttempt.objects.create(
                delivery=delivery,
                number=number,
                started_at=now - timedelta(minutes=10 - number),
                duration_ms=40 + number,
                outcome=outcome if last else "failed",
                http_status={"delivered": 201, "dead": 403}.get(state, 503) if last else 503,
                error="" if state == "delivered" and last else f"attempt {number} failed",
            )
        deliveries[state] = Delivery.objects.get(pk=delivery.pk)

    emailed = report(6)
    event = ReportEvent.objects.create(
        report=emailed, kind="assigned", status="assigned", message="PC Jones has it."
    )
    notifications = {
        "inbox sent": Notification.objects.create(
            report=emailed,
            channel="borough_inbox",
            purpose="new_report",
            recipient="asb@lambeth.invalid",
            sent_at=now,
            attempts=1,
        ),
        "resident unsent": Notification.objects.create(
            report=emailed,
            channel="resident",
            purpose="confirmation",
            recipient="ada@example.org",
            attempts=2,
            last_error="451 try again later",
        ),
        "team given up": Notification.objects.create(
            report=emailed,
            channel="sn_team",
            purpose="new_report",
            recipient="Team@Met.invalid",
            attempts=5,
            last_error="550 no such mailbox",
        ),
        "status sent": Notification.objects.create(
            report=emailed,
            channel="resident",
            purpose="status_change",
            recipient="ada@example.org",
            event=event,
            sent_at=now,
            attempts=1,
        ),
    }

    surveys = {}
    for n, (name, emailed_at, answered_at) in enumerate(
        [("emailed", now, None), ("not emailed", None, None), ("answered", None, now)], start=7
    ):
        nonce = ids.new_nonce(16)
        surveys[name] = CallbackSurvey.objects.create(
            report=report(n, status="closed", closed_at=now),
            borough_code=LAMBETH,
            nonce=nonce,
            token_hash=ids.hash_token(ids.survey_token(nonce)),
            emailed_at=emailed_at,
            answered_at=answered_at,
            satisfaction="very_satisfied" if answered_at else "",
        )
    return {
        "config": config,
        "deliveries": deliveries,
        "attempts": {
            state: list(
                DeliveryAttempt.objects.filter(delivery=d)
                .order_by("number")
                .values_list("number", "outcome", "http_status", "error", "duration_ms")
            )
            for state, d in deliveries.items()
        },
        "event": event,
        "notifications": notifications,
        "surveys": surveys,
        "content_types": moved,
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_deliveries_notifications_and_surveys_into_messages():
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(OLD_TARGETS)
        executor = MigrationExecutor(connection)
        assert not [key for key in executor.loader.applied_migrations if key[0] == "outbox"]
        old = _old_rows(executor.loader.project_state(OLD_NODES).apps)
        executor.migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)  # the next tests need today's schema
        ContentType.objects.clear_cache()

    from reporting.ids import survey_token
    from reporting.models import CallbackSurvey, Report, ReportEvent
    from reporting.outbox.models import CaseSystemConfig
    from reporting.outbox.services import Outgoing, dedupe_key

    tables = set(connection.introspection.table_names())
    assert {"outbox_message", "outbox_attempt", "outbox_casesystemconfig"} <= tables
    gone = {"forwarding_delivery", "forwarding_deliveryattempt", "reporting_notification"}
    assert not gone & tables
    assert "forwarding_casesystemconfig" not in tables

    # The case system configuration is kept, with its pk, as outbox.CaseSystemConfig.
    config = CaseSystemConfig.objects.get()
    assert config.pk == old["config"].pk
    assert (config.borough_code, config.kind, config.endpoint_url) == (
        LAMBETH,
        "open311",
        "http://127.0.0.1:9/open311/v2/",
    )
    assert (config.credential_env, config.service_codes, config.poll_updates) == (
        "LAMBETH_OPEN311_KEY",
        {"noise": "ASB-NOISE"},
        True,
    )
    config_type = ContentType.objects.get_for_model(CaseSystemConfig)
    assert config_type.pk == old["content_types"][("outbox", "casesystemconfig")]
    assert Permission.objects.filter(content_type=config_type).exists()

    # Every delivery is a case-report message: its state, attempts and key kept.
    expected_states = {
        "pending": State.QUEUED,
        "sending": State.RETRYING,  # whoever held it is gone: due again
        "retrying": State.RETRYING,
        "delivered": State.DELIVERED,
        "dead": State.DEAD,
    }
    assert Message.objects.filter(kind=messages.CASE_REPORT).count() == 5
    for state, delivery in old["deliveries"].items():
        message = Message.objects.get(kind=messages.CASE_REPORT, report_id=delivery.report_id)
        report = Report.objects.get(pk=delivery.report_id)
        assert message.state == expected_states[state], state
        assert message.idempotency_key == delivery.idempotency_key
        assert (message.audience, message.channel) == (Audience.CASE_SYSTEM, "open311")
        assert (message.config_id, message.destination) == (config.pk, f"case:{config.pk}")
        assert message.borough_code == LAMBETH
        assert message.attempts == delivery.attempts
        assert message.next_attempt_at == delivery.next_attempt_at
        assert (message.last_error, message.external_id, message.token) == (
            delivery.last_error,
            delivery.external_id,
            delivery.token,
        )
        assert (message.created_at, message.delivered_at, message.dead_at) == (
            delivery.created_at,
            delivery.delivered_at,
            delivery.dead_at,
        )
        assert message.lease_until is None
        assert message.priority == (0 if report.urgent_callback else 5)
        # the key a new post of the same report would have: a replay adds no second one
        assert message.dedupe_key == dedupe_key(
            Outgoing(kind=messages.CASE_REPORT, report=report, config=config)
        )
        attempts = list(
            message.attempt_log.order_by("number").values_list(
                "number", "outcome", "status_code", "error", "duration_ms"
            )
        )
        assert attempts == old["attempts"][state], state
    dead = Message.objects.get(kind=messages.CASE_REPORT, state=State.DEAD)
    assert dead.last_error == "HTTP 403: Invalid api_key"

    # Notifications: sent ones delivered, unsent ones queued, given-up ones dead letters.
    emailed = old["notifications"]["inbox sent"].report_id
    by_kind = {m.kind: m for m in Message.objects.filter(report_id=emailed)}
    assert set(by_kind) == {
        messages.BOROUGH_NEW_REPORT,
        messages.RESIDENT_CONFIRMATION,
        messages.TEAM_NEW_REPORT,
        messages.RESIDENT_STATUS_UPDATE,
    }
    inbox = by_kind[messages.BOROUGH_NEW_REPORT]
    assert (inbox.state, inbox.attempts, inbox.recipient) == (
        State.DELIVERED,
        1,
        "asb@lambeth.invalid",
    )
    assert inbox.delivered_at == old["notifications"]["inbox sent"].sent_at
    assert inbox.audience == Audience.BOROUGH
    confirmation = by_kind[messages.RESIDENT_CONFIRMATION]
    assert (confirmation.state, confirmation.attempts) == (State.QUEUED, 2)
    assert confirmation.recipient == ""  # the resident is addressed when it is sent
    assert confirmation.last_error == "451 try again later"
    assert confirmation.audience == Audience.RESIDENT
    team = by_kind[messages.TEAM_NEW_REPORT]
    assert (team.state, team.attempts, team.audience) == (State.DEAD, 5, Audience.TEAM)
    assert team.last_error == "Gave up after 5 attempts (before the outbox). 550 no such mailbox"
    assert team.dead_at is not None
    status = by_kind[messages.RESIDENT_STATUS_UPDATE]
    assert (status.state, status.event_id) == (State.DELIVERED, old["event"].pk)
    report = Report.objects.get(pk=emailed)
    event = ReportEvent.objects.get(pk=old["event"].pk)
    for message, item in [
        (
            inbox,
            Outgoing(kind=messages.BOROUGH_NEW_REPORT, report=report, recipient=inbox.recipient),
        ),
        (
            team,
            Outgoing(kind=messages.TEAM_NEW_REPORT, report=report, recipient="Team@Met.invalid"),
        ),
        (confirmation, Outgoing(kind=messages.RESIDENT_CONFIRMATION, report=report)),
        (
            status,
            Outgoing(
                kind=messages.RESIDENT_STATUS_UPDATE,
                report=report,
                event=event,
                discriminator=str(event.pk),
            ),
        ),
    ]:
        assert message.dedupe_key == dedupe_key(item), message.kind
    assert not Message.objects.filter(recipient__icontains="ada@").exists()

    # The call-back surveys are kept as reporting.CallbackSurvey; invitations are messages.
    survey_type = ContentType.objects.get_for_model(CallbackSurvey)
    assert survey_type.pk == old["content_types"][("reporting", "callbacksurvey")]
    assert CallbackSurvey.objects.count() == 3
    for name, before in old["surveys"].items():
        survey = CallbackSurvey.objects.get(pk=before.pk)
        assert (survey.report_id, survey.nonce, survey.token_hash) == (
            before.report_id,
            before.nonce,
            before.token_hash,
        )
        assert selectors.survey_for_token(survey_token(survey.nonce)) == survey  # links work
        invitations = Message.objects.filter(
            report_id=survey.report_id, kind=messages.RESIDENT_CALLBACK_INVITATION
        )
        if name == "emailed":
            (invitation,) = invitations
            assert (invitation.state, invitation.attempts) == (State.DELIVERED, 1)
            assert invitation.delivered_at == before.emailed_at
        elif name == "not emailed":
            (invitation,) = invitations
            assert (invitation.state, invitation.attempts) == (State.QUEUED, 0)
            assert invitation.recipient == "" and invitation.audience == Audience.RESIDENT
        else:
            assert not invitations.exists()  # answered from the tracking page: nothing to send
    answered = CallbackSurvey.objects.get(pk=old["surveys"]["answered"].pk)
    assert answered.answered_at is not None and answered.satisfaction == "very_satisfied"
    assert not hasattr(answered, "emailed_at")
