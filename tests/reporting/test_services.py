"""submit_report and the outbox messages each step posts, apply_update, resident
information, anonymisation."""

import socket
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reporting import ids, messages
from reporting.drafts import ContactDetails
from reporting.models import (
    EqualityResponse,
    Report,
    ReportContact,
    ReportPhoto,
)
from reporting.outbox import services as outbox
from reporting.outbox.models import Audience, Message, State
from reporting.photos import clean_photo
from reporting.routing import OutsideLondon
from reporting.services import (
    add_resident_info,
    add_staff_note,
    apply_update,
    store_pending_upload,
    submit_report,
)
from tests.reporting.conftest import make_draft
from tests.reporting.test_ids_and_photos import image_bytes

pytestmark = pytest.mark.django_db


def submit(capture, **kwargs):
    with capture(execute=True):
        return submit_report(**kwargs)


def test_submit_writes_everything_in_one_go(
    hackney_central, django_capture_on_commit_callbacks, mailoutbox
):
    equality = {"age_band": "35_44", "ethnic_group": "white"}
    submitted = submit(django_capture_on_commit_callbacks, draft=make_draft(), equality=equality)
    report = submitted.report
    report.refresh_from_db()
    assert report.borough_code == "E09000012"
    assert report.neighbourhood_id == hackney_central.pk
    assert report.ward_code == "E05009372"
    assert report.team_name == "Hackney Central"
    assert ids.token_matches(submitted.token, report.token_hash)
    assert submitted.token not in (report.token_hash, report.tracking_nonce)
    assert report.contact.email_normalised == "ada@example.com"
    assert report.contact.phone_digits == "7700900123"
    assert list(report.events.values_list("kind", flat=True))[:2] == ["received", "sent"]
    assert report.status == "sent"
    # Equality monitoring is stored with borough and month only, never linked to the report.
    response = EqualityResponse.objects.get()
    assert (response.borough_code, response.month.day, response.age_band) == (
        "E09000012",
        1,
        "35_44",
    )
    assert not hasattr(response, "report")
    # Every recipient got a message and the rows prove it (the resident's address is
    # never stored with the message: it is looked up when the message is sent).
    posted = dict(report.outbox_messages.values_list("kind", "recipient"))
    borough_inbox = hackney_central.get_parent().specific.asb_inbox_email
    assert posted == {
        messages.BOROUGH_NEW_REPORT: borough_inbox,
        messages.TEAM_NEW_REPORT: hackney_central.team_email,
        messages.RESIDENT_CONFIRMATION: "",
    }
    assert all(
        m.state == State.DELIVERED and m.delivered_at and m.attempts == 1
        for m in report.outbox_messages.all()
    )
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([borough_inbox, hackney_central.team_email, "ada@example.com"])


def test_staff_emails_carry_no_personal_details(
    hackney_central, django_capture_on_commit_callbacks, mailoutbox
):
    submit(django_capture_on_commit_callbacks, draft=make_draft())
    staff_mail = [m for m in mailoutbox if m.to != ["ada@example.com"]]
    assert len(staff_mail) == 2
    for message in staff_mail:
        assert "ada@example.com" not in message.body
        assert "Ada Resident" not in message.body
        assert "07700" not in message.body
        assert "/admin/asb-reports/" in message.body


def test_resident_confirmation_has_reference_and_private_link(
    hackney, django_capture_on_commit_callbacks, mailoutbox
):
    submitted = submit(django_capture_on_commit_callbacks, draft=make_draft())
    message = next(m for m in mailoutbox if m.to == ["ada@example.com"])
    assert submitted.report.reference in message.subject
    assert f"/report/track/{submitted.token}/" in message.body


def test_high_risk_is_flagged_urgent_for_the_borough(
    hackney, django_capture_on_commit_callbacks, mailoutbox
):
    draft = make_draft(screening={"unsafe_at_home": "yes", "targeted": ["religion"]})
    report = submit(django_capture_on_commit_callbacks, draft=draft).report
    assert report.risk_level == "high" and report.urgent_callback
    inbox = next(m for m in mailoutbox if m.to == [hackney.asb_inbox_email])
    assert inbox.subject.startswith("URGENT callback")


def test_no_email_to_a_resident_who_says_it_is_not_safe(
    hackney, django_capture_on_commit_callbacks, mailoutbox
):
    contact = ContactDetails(
        email="ada@example.com", safe_to_contact=False, safety_notes="Lives with him"
    )
    report = submit(django_capture_on_commit_callbacks, draft=make_draft(contact=contact)).report
    assert not report.outbox_messages.filter(audience=Audience.RESIDENT).exists()
    assert all(m.to != ["ada@example.com"] for m in mailoutbox)
    apply_update(report=report, status="in_progress")
    apply_update(report=report, status="closed", message="Done.")
    outbox.drain_now()
    assert not report.outbox_messages.filter(audience=Audience.RESIDENT).exists()
    assert all(m.to != ["ada@example.com"] for m in mailoutbox)


def test_anonymous_reports_have_no_contact_row(django_capture_on_commit_callbacks):
    report = submit(django_capture_on_commit_callbacks, draft=make_draft(contact=None)).report
    assert report.anonymous
    assert not ReportContact.objects.filter(report=report).exists()
    # No borough page: the fallback inbox still gets it, so nothing is lost.
    message = report.outbox_messages.get()
    assert (message.kind, message.recipient) == (
        messages.BOROUGH_NEW_REPORT,
        "asb-reports@london.invalid",
    )
    assert message.state == State.DELIVERED


def test_a_described_place_routes_by_the_chosen_borough(django_capture_on_commit_callbacks):
    draft = make_draft(
        latitude=None,
        longitude=None,
        location_source="description",
        location_description="Behind the library",
        borough_code="E09000022",
    )
    report = submit(django_capture_on_commit_callbacks, draft=draft).report
    assert report.borough_code == "E09000022"
    assert report.latitude is None


def test_outside_london_is_refused_and_nothing_is_stored():
    with pytest.raises(OutsideLondon):
        submit_report(draft=make_draft(latitude=51.6565, longitude=-0.3903))
    assert Report.objects.count() == 0


def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_a_failing_email_is_recorded_and_the_report_kept(
    hackney, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()  # mail server down
    report = submit(django_capture_on_commit_callbacks, draft=make_draft()).report
    message = report.outbox_messages.get(kind=messages.BOROUGH_NEW_REPORT)
    assert message.state == State.RETRYING and message.delivered_at is None
    assert message.attempts == 1
    assert "Could not talk to the mail server" in message.last_error
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert Report.objects.filter(pk=report.pk).exists()
    assert report.status == "received"  # not sent to the borough yet, and not lost


def test_an_unreachable_queue_never_loses_the_report(
    hackney, django_capture_on_commit_callbacks, monkeypatch, mailoutbox
):
    from django_tasks.backends.immediate import ImmediateBackend

    def queue_down(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(ImmediateBackend, "enqueue", queue_down)
        report = submit(django_capture_on_commit_callbacks, draft=make_draft()).report
        assert Report.objects.filter(pk=report.pk).exists()
        assert report.outbox_messages.filter(state=State.QUEUED).count() == 2
        assert mailoutbox == []
    # The queue is back: the sweep (every 30 s from the scheduler) starts the drain.
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "drain started: yes" in out.getvalue()
    assert report.outbox_messages.filter(state=State.DELIVERED).count() == 2
    assert len(mailoutbox) == 2


def test_the_sweep_sends_what_failed_once_the_mail_server_is_back(
    hackney, django_capture_on_commit_callbacks, smtp_sink
):
    smtp_sink.chaos.update({"temp_fail_rate": 1.0})
    report = submit(django_capture_on_commit_callbacks, draft=make_draft()).report
    waiting = report.outbox_messages.filter(state=State.RETRYING)
    assert waiting.count() == 2  # the inbox and the resident
    assert {m.last_status for m in waiting} == {451}
    smtp_sink.chaos.update({"temp_fail_rate": 0.0})
    Message.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))  # time passes
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "due: yes" in out.getvalue()
    assert report.outbox_messages.filter(state=State.DELIVERED, attempts=2).count() == 2
    assert sorted(m["rcpt"] for m in smtp_sink.store.messages()) == sorted(
        ["ada@example.com", hackney.asb_inbox_email]
    )


def test_photos_move_from_pending_to_the_report(django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pending = store_pending_upload(photo=clean_photo(SimpleUploadedFile("a.jpg", image_bytes())))
    report = submit(
        django_capture_on_commit_callbacks, draft=make_draft(), photo_keys=[pending.key]
    ).report
    photo = ReportPhoto.objects.get(report=report)
    assert photo.image.name.startswith(f"reporting/photos/{report.reference}/")
    assert (photo.width, photo.height) == (64, 48)
    from reporting.models import PendingUpload

    assert not PendingUpload.objects.exists()


class TestApplyUpdate:
    @pytest.fixture
    def report(self, hackney, django_capture_on_commit_callbacks):
        return submit(django_capture_on_commit_callbacks, draft=make_draft()).report

    def test_status_change_adds_a_public_event_and_emails_the_resident(
        self, report, django_capture_on_commit_callbacks, mailoutbox
    ):
        mailoutbox.clear()
        event = apply_update(report=report, status="assigned", message="PC Jones has your report.")
        outbox.drain_now()
        report.refresh_from_db()
        assert report.status == "assigned"
        assert (event.kind, event.status, event.is_public) == ("assigned", "assigned", True)
        message = report.outbox_messages.get(kind=messages.RESIDENT_STATUS_UPDATE)
        assert message.event == event and message.state == State.DELIVERED
        assert [m.to for m in mailoutbox] == [["ada@example.com"]]
        assert mailoutbox[0].subject.endswith("Assigned to an officer")
        assert "PC Jones has your report." in mailoutbox[0].body
        assert "/report/track/" in mailoutbox[0].body

    def test_idempotent_by_external_id(
        self, report, django_capture_on_commit_callbacks, mailoutbox
    ):
        mailoutbox.clear()
        first = apply_update(report=report, status="in_progress", external_id="case-1/upd-7")
        again = apply_update(report=report, status="in_progress", external_id="case-1/upd-7")
        outbox.drain_now()
        assert first.pk == again.pk
        assert report.events.filter(external_id="case-1/upd-7").count() == 1
        assert report.outbox_messages.filter(kind=messages.RESIDENT_STATUS_UPDATE).count() == 1
        assert len(mailoutbox) == 1

    def test_each_status_change_is_its_own_message(self, report, mailoutbox):
        mailoutbox.clear()
        apply_update(report=report, status="assigned")
        apply_update(report=report, status="in_progress")
        apply_update(report=report, status="in_progress", message="Visited today.")  # no change
        outbox.drain_now()
        updates = report.outbox_messages.filter(kind=messages.RESIDENT_STATUS_UPDATE)
        assert updates.count() == 2
        assert len({m.dedupe_key for m in updates}) == 2
        assert len(mailoutbox) == 2

    def test_staff_may_change_the_status_without_emailing(self, report):
        apply_update(report=report, status="assigned", notify_resident=False)
        assert not report.outbox_messages.filter(kind=messages.RESIDENT_STATUS_UPDATE).exists()

    def test_only_from_never_turns_a_newer_status_back(self, report):
        apply_update(report=report, status="in_progress")
        assert apply_update(report=report, status="sent", only_from="received") is None
        report.refresh_from_db()
        assert report.status == "in_progress"

    def test_closing_records_the_outcome(self, report):
        apply_update(
            report=report, status="closed", message="We spoke to the neighbour; the noise stopped."
        )
        report.refresh_from_db()
        assert report.closed_at is not None
        assert report.outcome == "We spoke to the neighbour; the noise stopped."
        assert not report.is_open

    def test_a_message_without_status_change_does_not_email(self, report, mailoutbox):
        mailoutbox.clear()
        event = apply_update(report=report, message="We visited the street today.")
        outbox.drain_now()
        assert event.kind == "update"
        assert not report.outbox_messages.filter(kind=messages.RESIDENT_STATUS_UPDATE).exists()
        assert mailoutbox == []

    def test_nonsense_is_refused(self, report):
        with pytest.raises(ValueError):
            apply_update(report=report, status="exploded")
        with pytest.raises(ValueError):
            apply_update(report=report)

    def test_staff_notes_are_internal(self, report, admin_user):
        note = add_staff_note(report=report, user=admin_user, note="Known address, see case 12.")
        assert not note.is_public

    def test_resident_information_tells_the_borough(self, report, hackney, mailoutbox):
        mailoutbox.clear()
        first = add_resident_info(report=report, text="It happened again last night.")
        add_resident_info(report=report, text="And again tonight.")
        outbox.drain_now()
        assert [m.to for m in mailoutbox] == [[hackney.asb_inbox_email]] * 2
        assert "It happened again last night." in mailoutbox[0].body
        assert "ada@example.com" not in mailoutbox[0].body
        info = report.outbox_messages.filter(kind=messages.BOROUGH_RESIDENT_INFO)
        assert info.count() == 2 and info.filter(event=first).exists()
        apply_update(report=report, status="closed", message="Done.")
        report.refresh_from_db()
        with pytest.raises(ValueError):
            add_resident_info(report=report, text="More")


def test_anonymise_command(hackney, django_capture_on_commit_callbacks, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pending = store_pending_upload(photo=clean_photo(SimpleUploadedFile("a.jpg", image_bytes())))
    old = submit(
        django_capture_on_commit_callbacks,
        draft=make_draft(people_involved="Tall man, red van AB12 CDE"),
        photo_keys=[pending.key],
    ).report
    recent = submit(django_capture_on_commit_callbacks, draft=make_draft()).report
    still_open = submit(django_capture_on_commit_callbacks, draft=make_draft()).report
    apply_update(report=old, status="closed", message="Resolved.")
    apply_update(report=recent, status="closed", message="Resolved.")
    Report.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    Report.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=800))

    out = StringIO()
    call_command("anonymise_reports", "--dry-run", stdout=out)
    assert "1 report" in out.getvalue() and "dry run" in out.getvalue().lower()
    assert ReportContact.objects.filter(report=old).exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("anonymise_reports", stdout=out)
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert not ReportContact.objects.filter(report=old).exists()
    assert old.people_involved == ""
    assert not old.photos.exists()
    assert old.description  # the content and statistics stay
    # No message of the report ever held the resident's address, and none can be sent
    # to them now: the one contact rule says their details are gone.
    assert not old.outbox_messages.filter(recipient__icontains="ada@example.com").exists()
    invitation = old.outbox_messages.get(kind=messages.RESIDENT_CALLBACK_INVITATION)
    outbox.drain_now()
    invitation.refresh_from_db()
    assert invitation.state == State.CANCELLED
    assert ReportContact.objects.filter(report=recent).exists()
    assert ReportContact.objects.filter(report=still_open).exists()
    # Run again: nothing left to do.
    out = StringIO()
    call_command("anonymise_reports", "--older-than-days", "365", stdout=out)
    assert "0 reports" in out.getvalue()


def test_purge_pending_uploads(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.models import PendingUpload

    fresh = store_pending_upload(photo=clean_photo(SimpleUploadedFile("a.jpg", image_bytes())))
    stale = store_pending_upload(photo=clean_photo(SimpleUploadedFile("b.jpg", image_bytes())))
    PendingUpload.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=30)
    )
    out = StringIO()
    call_command("purge_pending_uploads", stdout=out)
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert "1 pending photo" in out.getvalue()


def test_the_same_submission_key_files_one_report_once(hackney_central):
    """A "Send report" retried after an outage (stored, but the answer was lost) finds
    the report already stored: no second report, no second message."""
    first = submit_report(draft=make_draft(), submission_key="flow-1")
    messages_before = Message.objects.count()
    again = submit_report(draft=make_draft(), submission_key="flow-1")
    assert again.report.pk == first.report.pk and again.token == first.token
    assert Report.objects.count() == 1 and Message.objects.count() == messages_before
    other = submit_report(draft=make_draft(), submission_key="flow-2")
    assert other.report.pk != first.report.pk
