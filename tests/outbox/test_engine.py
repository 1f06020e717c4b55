"""The one outbox: rows posted with their cause, exactly one per (kind, report, recipient),
claims, leases, backoff, dead letters, cancelling, sending again, the sweep.

Email goes to a real SMTP server on loopback (the devtools sink); case systems are the
reference case system on loopback. Nothing of the outbox is mocked."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from reporting import messages
from reporting.models import Report, Status
from reporting.outbox import engine
from reporting.outbox import services as outbox
from reporting.outbox.adapters.base import DeliveryError
from reporting.outbox.models import Attempt, Audience, Message, State
from reporting.outbox.services import Outgoing
from reporting.routing import route_borough
from tests.local_services import HACKNEY, LAMBETH, make_draft, submit

pytestmark = pytest.mark.django_db


def kinds(report: Report) -> dict[str, Message]:
    return {m.kind: m for m in Message.objects.filter(report=report)}


# --- posting ----------------------------------------------------------------------------


def test_a_report_posts_one_message_per_recipient_in_its_transaction(open311_config):
    report = submit(LAMBETH)
    posted = kinds(report)
    assert set(posted) == {
        messages.CASE_REPORT,
        messages.BOROUGH_NEW_REPORT,
        messages.RESIDENT_CONFIRMATION,
    }
    case = posted[messages.CASE_REPORT]
    assert case.audience == Audience.CASE_SYSTEM and case.channel == "open311"
    assert case.config == open311_config and case.destination == f"case:{open311_config.pk}"
    inbox = posted[messages.BOROUGH_NEW_REPORT]
    assert inbox.recipient == "asb-reports@london.invalid"  # no borough page: fallback inbox
    resident = posted[messages.RESIDENT_CONFIRMATION]
    assert resident.recipient == ""  # addressed only when sent
    assert all(m.state == State.QUEUED for m in posted.values())


def test_nothing_is_posted_when_the_report_is_rolled_back(open311_config):
    from reporting.services import submit_report

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        submit_report(draft=make_draft(LAMBETH))
        assert Message.objects.count() == 3
        raise Boom
    assert not Report.objects.exists() and not Message.objects.exists()


def test_posting_the_same_message_twice_writes_one_row(db):
    report = submit(HACKNEY)
    again = messages.for_new_report(report, route_borough(HACKNEY))
    outbox.post(again)
    outbox.post(again)
    assert Message.objects.filter(report=report, kind=messages.BOROUGH_NEW_REPORT).count() == 1


def test_the_drain_starts_only_once_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            submit(HACKNEY)
            submit(HACKNEY)
    assert len(callbacks) == 1, "one kick per transaction, however many messages"
    assert Message.objects.filter(state=State.QUEUED).count() == 4
    callbacks[0]()
    assert Message.objects.filter(state=State.DELIVERED).count() == 4
    assert len(mail.outbox) == 4


def test_nobody_is_emailed_who_may_not_be_contacted(db):
    from reporting.drafts import ContactDetails

    anonymous = submit(HACKNEY, contact=None)
    unsafe = submit(
        HACKNEY, contact=ContactDetails(name="A", email="a@example.org", safe_to_contact=False)
    )
    phone_only = submit(HACKNEY, contact=ContactDetails(name="B", phone="07700 900000"))
    for report in (anonymous, unsafe, phone_only):
        assert messages.RESIDENT_CONFIRMATION not in kinds(report)


def test_urgent_reports_go_first(db):
    ordinary = submit(HACKNEY)
    urgent = submit(HACKNEY, high_risk=True)
    assert urgent.urgent_callback
    first = engine.claim_next(worker="test")
    assert first.report_id == urgent.pk and first.priority == 0
    assert ordinary.pk != first.report_id


# --- claiming and delivering ------------------------------------------------------------


def test_a_claim_is_exclusive_and_only_when_due(db):
    submit(HACKNEY, contact=None)  # one message: the borough inbox
    now = timezone.now()
    claimed = engine.claim_next(worker="a", now=now)
    assert claimed.state == State.SENDING and claimed.attempts == 1
    assert claimed.claimed_by == "a" and claimed.lease_until > now
    assert engine.claim_next(worker="b", now=now) is None
    Message.objects.filter(pk=claimed.pk).update(
        state=State.RETRYING, next_attempt_at=now + timedelta(minutes=5)
    )
    assert engine.claim_next(worker="b", now=now) is None
    assert engine.claim_next(worker="b", now=now + timedelta(minutes=6)).pk == claimed.pk


def test_a_batch_is_claimed_in_order_with_its_reports_and_its_leases_can_be_renewed(
    db, django_assert_num_queries
):
    ordinary = submit(HACKNEY)
    urgent = submit(HACKNEY, high_risk=True)
    batch = engine.claim_batch(worker="w", limit=3)
    assert [m.report_id for m in batch] == [urgent.pk, urgent.pk, ordinary.pk]
    assert all(m.state == State.SENDING and m.attempts == 1 for m in batch)
    with django_assert_num_queries(0):
        assert batch[0].report.reference == urgent.reference  # already read with the batch
    assert engine.claim_batch(worker="other", limit=3)[0].report_id == ordinary.pk
    asked = timezone.now()
    assert engine.renew_leases(messages=batch[1:], worker="w") == 2
    assert engine.renew_leases(messages=batch[1:], worker="someone else") == 0
    renewed = Message.objects.get(pk=batch[2].pk).lease_until
    assert renewed >= asked + timedelta(seconds=engine.lease_seconds())  # a fresh lease


def test_everything_posted_for_a_report_is_delivered_once(
    open311_config, case_system, smtp_sink, file_report
):
    report = file_report(LAMBETH)
    posted = kinds(report)
    assert {m.state for m in posted.values()} == {State.DELIVERED}
    case = posted[messages.CASE_REPORT]
    assert case.external_id.startswith("CS-")
    assert case_system.stats()["cases"] == 1
    received = smtp_sink.store.messages()
    assert sorted(r["rcpt"] for r in received) == ["ada@example.org", "asb-reports@london.invalid"]
    by_rcpt = {r["rcpt"]: r for r in received}
    assert (
        by_rcpt["ada@example.org"]["message_id"]
        == posted[messages.RESIDENT_CONFIRMATION].message_id
    )
    report.refresh_from_db()
    assert report.status == Status.SENT
    texts = list(report.events.values_list("message", flat=True))
    assert any(case.external_id in text for text in texts)
    assert report.events.filter(kind="sent").count() == 1


def test_a_temporary_smtp_failure_is_retried_with_backoff_and_the_same_message_id(
    db, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.chaos.update({"temp_fail_rate": 1.0})
    report = submit(HACKNEY, contact=None)
    outbox.drain_now()
    message = Message.objects.get(report=report)
    assert message.state == State.RETRYING
    assert message.last_status == 451 and "451" in message.last_error
    assert message.next_attempt_at > timezone.now()
    smtp_sink.chaos.update({"temp_fail_rate": 0.0})
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.drain_now()
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.attempts == 2
    (received,) = smtp_sink.store.messages()
    assert received["message_id"] == message.message_id
    assert list(message.attempt_log.values_list("outcome", flat=True)) == ["failed", "delivered"]


def test_a_dropped_connection_is_retried(db, smtp_sink):
    smtp_sink.chaos.update({"drop_rate": 1.0})
    report = submit(HACKNEY, contact=None)
    outbox.drain_now()
    message = Message.objects.get(report=report)
    assert message.state == State.RETRYING
    assert "closed the connection" in message.last_error
    assert smtp_sink.store.stats()["messages"] == 0


def test_a_5xx_answer_dead_letters_at_once_and_tells_staff_and_the_resident(
    db, smtp_sink, settings
):
    settings.OUTBOX_ALERT_EMAILS = ["duty@asb.london.invalid"]
    smtp_sink.chaos.update({"reject_pattern": r"^asb-reports@"})
    report = submit(HACKNEY)
    outbox.drain_now()
    inbox = Message.objects.get(report=report, kind=messages.BOROUGH_NEW_REPORT)
    assert inbox.state == State.DEAD and inbox.attempts == 1
    assert inbox.last_status == 550 and "mailbox unavailable" in inbox.last_error
    alerts = Message.objects.filter(kind=messages.STAFF_DEAD_LETTER_ALERT, about=inbox)
    # the dead inbox itself is not told; the duty address is
    assert list(alerts.values_list("recipient", flat=True)) == ["duty@asb.london.invalid"]
    apology = Message.objects.get(report=report, kind=messages.RESIDENT_APOLOGY)
    assert apology.state == State.DELIVERED
    (alert,) = smtp_sink.store.messages(to="duty@asb.london.invalid")
    assert "could not be sent" in alert["subject"]
    assert "mailbox unavailable" in alert["body"]
    to_resident = [r["subject"] for r in smtp_sink.store.messages(to="ada@example.org")]
    assert len(to_resident) == 2  # the acknowledgement, then the apology
    assert "has not reached the council yet" in to_resident[1]


def test_a_resident_address_never_reaches_the_stored_reason(db, smtp_sink):
    smtp_sink.chaos.update({"reject_pattern": r"^ada@"})
    report = submit(HACKNEY)
    outbox.drain_now()
    confirmation = Message.objects.get(report=report, kind=messages.RESIDENT_CONFIRMATION)
    assert confirmation.state == State.DEAD
    assert "ada@example.org" not in confirmation.last_error
    assert "<the resident's address>" in confirmation.last_error
    assert not Attempt.objects.filter(error__contains="ada@example.org").exists()
    # a resident's bounce tells no one by email (it is on the dashboard), and no apology
    assert not Message.objects.filter(kind=messages.STAFF_DEAD_LETTER_ALERT).exists()


def test_a_message_whose_resident_can_no_longer_be_contacted_is_cancelled(db):
    from reporting.services import anonymise_report

    report = submit(HACKNEY)
    anonymise_report(report=report)
    outbox.drain_now()
    confirmation = Message.objects.get(report=report, kind=messages.RESIDENT_CONFIRMATION)
    assert confirmation.state == State.CANCELLED
    assert confirmation.last_error == "The resident's details have been removed."
    assert [m.to for m in mail.outbox] == [["asb-reports@london.invalid"]]


@override_settings(OUTBOX_BACKOFF_BASE_SECONDS=10, OUTBOX_BACKOFF_MAX_SECONDS=1000)
def test_backoff_grows_with_jitter_and_temporary_failures_give_up_after_the_retry_window(db):
    submit(HACKNEY, contact=None)
    rng = random.Random(1)
    waits = []
    for attempt in (1, 2, 3):
        claimed = engine.claim_next(worker="t", now=timezone.now() + timedelta(hours=attempt))
        assert claimed.attempts == attempt
        info = engine.AttemptInfo(started_at=timezone.now(), duration_ms=3, worker="t")
        state, when = engine.record_failed(
            message=claimed, error=DeliveryError("451 later"), info=info, kind=None, rng=rng
        )
        assert state == State.RETRYING
        waits.append((when - timezone.now()).total_seconds())
    assert 4 <= waits[0] <= 10 and 9 <= waits[1] <= 20 and 19 <= waits[2] <= 40
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=4))
    claimed = engine.claim_next(worker="t", now=timezone.now() + timedelta(hours=5))
    info = engine.AttemptInfo(started_at=timezone.now(), duration_ms=3, worker="t")
    state, _ = engine.record_failed(
        message=claimed, error=DeliveryError("451 later"), info=info, kind=None
    )
    assert state == State.DEAD
    assert Message.objects.get().last_error.startswith("Gave up after 72")


def test_a_worker_killed_mid_send_is_replaced_and_resends_the_same_message_id(db, smtp_sink):
    report = submit(HACKNEY, contact=None)
    message = engine.claim_next(worker="doomed")
    # The doomed worker got as far as the server accepting, then died before recording.
    from reporting.outbox.adapters import AdapterPool
    from reporting.outbox.kinds import kind_for

    pool = AdapterPool()
    pool.for_channel("email").send(
        kind_for(message.kind).compose(message), message_id=message.message_id
    )
    pool.close()
    assert outbox.sweep().requeued_stalled == 0  # its lease has not run out yet
    later = timezone.now() + timedelta(seconds=engine.lease_seconds() + 1)
    result = outbox.sweep(now=later)
    assert result.requeued_stalled == 1
    message.refresh_from_db()
    assert message.state == State.RETRYING and "worker stopped" in message.last_error
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.drain_now()
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.attempts == 2
    copies = smtp_sink.store.messages(to="asb-reports@london.invalid")
    assert len(copies) == 2
    assert {c["message_id"] for c in copies} == {message.message_id}
    outcomes = list(message.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["interrupted", "delivered"]
    assert report.pk == message.report_id


def test_a_late_record_from_a_replaced_worker_changes_nothing(db):
    submit(HACKNEY, contact=None)
    first = engine.claim_next(worker="first")
    later = timezone.now() + timedelta(seconds=engine.lease_seconds() + 1)
    outbox.sweep(now=later)
    second = engine.claim_next(worker="second", now=later)
    assert second.attempts == 2
    info = engine.AttemptInfo(started_at=timezone.now(), duration_ms=1, worker="first")
    engine.record_failed(message=first, error=DeliveryError("late"), info=info, kind=None)
    assert Message.objects.get().state == State.SENDING  # the second worker still holds it


def test_send_again_after_a_dead_letter(db, smtp_sink):
    smtp_sink.chaos.update({"reject_pattern": r"^asb-reports@"})
    report = submit(HACKNEY, contact=None)
    outbox.drain_now()
    message = Message.objects.get(report=report, kind=messages.BOROUGH_NEW_REPORT)
    assert message.state == State.DEAD
    smtp_sink.chaos.update({"reject_pattern": ""})
    assert outbox.retry_now(message=message)
    outbox.drain_now()
    message.refresh_from_db()
    assert message.state == State.DELIVERED and message.dead_at is None
    assert not outbox.retry_now(message=message)  # delivered: nothing to send again
    report.refresh_from_db()
    assert report.status == Status.SENT


def test_a_recovered_destination_gets_its_backlog_at_once(db):
    for _ in range(3):
        submit(HACKNEY, contact=None)
    later = timezone.now() + timedelta(minutes=30)
    Message.objects.update(state=State.RETRYING, next_attempt_at=later)
    assert engine.flush_destination(destination="email") == 3
    assert Message.objects.filter(next_attempt_at__lte=timezone.now()).count() == 3


def test_the_sweep_tries_a_destination_that_only_has_long_backed_off_messages(db, mailoutbox):
    for _ in range(3):
        submit(HACKNEY, contact=None)
    later = timezone.now() + timedelta(minutes=30)
    Message.objects.update(state=State.RETRYING, next_attempt_at=later)
    first = Message.objects.order_by("id").first()
    Message.objects.filter(pk=first.pk).update(next_attempt_at=later - timedelta(minutes=1))
    assert engine.probe_destinations() == ["email"]
    assert list(Message.objects.filter(next_attempt_at__lte=timezone.now())) == [first]
    assert engine.probe_destinations() == []  # one probe is under way: nothing more
    # The probe gets through, so the drain brings the rest for that destination forward.
    from reporting.outbox import drain

    slot = engine.take_slot(holder="me", ttl=60, count=1)
    result = drain.run(
        slot=slot, holder="me", kick=lambda: None, continue_=lambda *a: False, wake_at=print
    )
    assert result == "idle after 3" and len(mailoutbox) == 3


def test_no_probe_while_a_retry_is_due_soon_anyway(db):
    submit(HACKNEY, contact=None)
    Message.objects.update(
        state=State.RETRYING, next_attempt_at=timezone.now() + timedelta(seconds=10)
    )
    assert outbox.sweep().probed == ()


def test_an_unknown_kind_is_retried_not_lost(db):
    outbox.post([Outgoing(kind=messages.BOROUGH_NEW_REPORT, recipient="x@council.invalid")])
    Message.objects.update(kind="no_such_kind")
    outbox.drain_now()
    message = Message.objects.get()
    assert message.state == State.RETRYING and "no_such_kind" in message.last_error


# --- drain slots ------------------------------------------------------------------------


def test_drain_slots_are_held_by_one_drainer_each_until_released_or_expired(db):
    taken = [engine.take_slot(holder=f"h{n}", ttl=60, count=2) for n in range(3)]
    assert taken == [0, 1, None]
    engine.release_slot(slot=0, holder="someone else")
    assert engine.take_slot(holder="h3", ttl=60, count=2) is None
    engine.release_slot(slot=0, holder="h0")
    assert engine.take_slot(holder="h3", ttl=60, count=2) == 0
    assert not engine.hold_slot(slot=1, holder="h3", ttl=60)  # h1 holds it
    assert engine.take_slot(holder="h4", ttl=-1, count=3) == 2  # a lease that already ran out
    assert engine.hold_slot(slot=2, holder="h5", ttl=60)  # so anyone may take it back


def test_the_drain_loop_delivers_everything_due_and_lets_its_slot_go(db):
    from reporting.outbox import drain

    for _ in range(3):
        submit(HACKNEY)
    slot = engine.take_slot(holder="me", ttl=60, count=1)
    kicks, wakes = [], []
    result = drain.run(
        slot=slot,
        holder="me",
        kick=lambda: kicks.append(1),
        continue_=lambda *args: False,
        wake_at=wakes.append,
    )
    assert result == "idle after 6"
    assert Message.objects.filter(state=State.DELIVERED).count() == 6
    assert engine.take_slot(holder="next", ttl=60, count=1) == 0  # released


@override_settings(OUTBOX_DRAIN_SECONDS=0, OUTBOX_CLAIM_BATCH=1)
def test_a_drain_hands_its_slot_to_a_new_task_after_its_turn(db):
    from reporting.outbox import drain

    submit(HACKNEY)
    submit(HACKNEY)
    slot = engine.take_slot(holder="me", ttl=60, count=1)
    continued = []
    result = drain.run(
        slot=slot,
        holder="me",
        kick=lambda: None,
        continue_=lambda s, h: continued.append((s, h)) or True,
        wake_at=lambda when: None,
    )
    assert result == "continued after 1"
    assert continued == [(0, "me")]
    assert engine.take_slot(holder="other", ttl=60, count=1) is None  # still held for it
    assert Message.objects.filter(state=State.QUEUED).count() == 3


def test_a_superseded_drain_does_nothing(db):
    from reporting.outbox import drain

    submit(HACKNEY)
    engine.take_slot(holder="newer", ttl=60, count=1)
    result = drain.run(
        slot=0,
        holder="older",
        kick=None,
        continue_=None,
        wake_at=None,  # type: ignore[arg-type]
    )
    assert result == "superseded"
    assert not Message.objects.filter(state=State.DELIVERED).exists()


def test_kick_starts_a_drain_in_the_first_free_slot_only(db, settings):
    from reporting.outbox import tasks

    settings.OUTBOX_DRAINERS = 1
    submit(HACKNEY, contact=None)
    engine.take_slot(holder="busy", ttl=60, count=1)
    assert tasks.kick() is False  # the one slot is draining: nothing more to start
    assert Message.objects.get().state == State.QUEUED
    engine.release_slot(slot=0, holder="busy")
    assert tasks.kick() is True  # ImmediateBackend: the drain runs now
    assert Message.objects.get().state == State.DELIVERED


def test_the_sweep_starts_a_drain_for_messages_whose_kick_was_lost(db):
    submit(HACKNEY, contact=None)  # on_commit never ran here: no drain was started
    result = outbox.sweep()
    assert result.due and result.kicked
    assert Message.objects.get().state == State.DELIVERED
