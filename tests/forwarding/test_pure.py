"""Backoff, signatures, status mapping and how failures are read: plain functions."""

import random
import smtplib
import socket

import pytest

from reporting.forwarding.statuses import portal_status
from reporting.outbox.adapters import signing
from reporting.outbox.adapters.base import DeliveryError
from reporting.outbox.adapters.email import classify
from reporting.outbox.backoff import backoff_seconds


def test_backoff_grows_exponentially_within_jitter_and_is_capped():
    rng = random.Random(4)
    for attempt, ceiling in [(1, 30), (2, 60), (3, 120), (4, 240)]:
        delays = [backoff_seconds(attempt, base=30, cap=3600, rng=rng) for _ in range(200)]
        assert min(delays) >= ceiling / 2
        assert max(delays) <= ceiling
        assert len({round(d, 3) for d in delays}) > 150  # jittered, not one fixed value
    assert backoff_seconds(40, base=30, cap=3600, rng=rng) <= 3600


def test_backoff_refuses_attempt_zero():
    with pytest.raises(ValueError):
        backoff_seconds(0, base=1, cap=10)


def test_signature_round_trip_and_rejections():
    body = b'{"update_id": "1"}'
    headers = signing.signed_headers("s3cret", body, now=1_000_000)
    ts, sig = headers[signing.TIMESTAMP_HEADER], headers[signing.SIGNATURE_HEADER]
    assert sig.startswith("sha256=")
    assert signing.verify("s3cret", ts, body, sig, max_skew=300, now=1_000_100)
    assert not signing.verify("other", ts, body, sig, max_skew=300, now=1_000_100)
    assert not signing.verify("s3cret", ts, body + b" ", sig, max_skew=300, now=1_000_100)
    assert not signing.verify("s3cret", ts, body, sig, max_skew=300, now=1_000_301)
    assert not signing.verify("s3cret", "not-a-number", body, sig, max_skew=300)
    assert not signing.verify("", ts, body, sig, max_skew=300, now=1_000_000)
    assert not signing.verify("s3cret", ts, body, "sha256=é☃", max_skew=300, now=1_000_000)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        ("open", "", "sent"),
        ("OPEN", "investigating", "in_progress"),
        ("open", "action_scheduled", "in_progress"),
        ("closed", "", "closed"),
        ("closed", "not_councils_responsibility", "closed"),
        ("assigned", "", "assigned"),
        ("In progress", "", "in_progress"),
        ("open", "no-such-code", "sent"),
        ("weird", "", None),
    ],
)
def test_external_statuses_map_onto_portal_statuses(status, code, expected):
    assert portal_status(status, code) == expected


def test_network_errors_never_carry_the_api_key():
    from reporting.outbox.adapters import http

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(DeliveryError) as caught:
        http.request(
            "GET", f"http://127.0.0.1:{port}/updates.json", params={"api_key": "s3cret-key"}
        )
    assert "s3cret-key" not in str(caught.value)
    assert "api_key=[hidden]" in str(caught.value)
    assert not caught.value.permanent  # a case system that is down is tried again


@pytest.mark.parametrize(
    ("error", "permanent", "status"),
    [
        (smtplib.SMTPRecipientsRefused({"a@x.invalid": (550, b"no such user")}), True, 550),
        (smtplib.SMTPRecipientsRefused({"a@x.invalid": (451, b"greylisted")}), False, 451),
        (smtplib.SMTPDataError(554, b"rejected as spam"), True, 554),
        (smtplib.SMTPDataError(452, b"mailbox full, try later"), False, 452),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), False, 535),
        (smtplib.SMTPServerDisconnected("gone"), False, None),
        (TimeoutError("timed out"), False, None),
        (ConnectionRefusedError(111, "Connection refused"), False, None),
    ],
)
def test_smtp_answers_are_permanent_only_when_5xx(error, permanent, status):
    """RFC 5321: a 5xx answer will not change by trying again; everything else may. The
    portal's own login failing is retried: every message would fail alike until fixed."""
    classified = classify(error)
    assert classified.permanent is permanent
    assert classified.status_code == status
    assert str(classified)
