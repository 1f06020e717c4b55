"""Logs at INFO hold no residents' details, private links or secrets.

A resident files a report with a name, email and phone through the real flow; the outbox
sends it to a real case system and emails over SMTP to a real sink (both on loopback);
the resident follows it and mistypes their private link. Every log line written meanwhile,
as the configured console handler writes it, must be free of all of them.
"""

from __future__ import annotations

import io
import logging
import sys

import pytest

from portal.log_privacy import HIDDEN, HidePrivateParts, redact
from reporting import ids
from reporting.models import Report
from tests.reporting.conftest import (  # noqa: F401 - fixtures used by name
    borough_index,
    fill_flow,
    hackney,
    hackney_central,
)

NAME = "Winifred Quaintance"
EMAIL = "winnie.q@example.org"
PHONE = "07700 900982"


@pytest.fixture
def console_output():
    """What the console handler of settings.LOGGING writes (it carries the privacy filter)."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, HidePrivateParts) for f in handler.filters)
    ]
    assert handlers, "LOGGING's console handler has lost its privacy filter"
    stream = io.StringIO()
    old = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, previous in zip(handlers, old, strict=True):
        handler.setStream(previous)


@pytest.mark.django_db(transaction=True)
def test_filing_and_following_a_report_logs_no_personal_data_or_token(
    client,
    hackney_central,  # noqa: F811
    webhook_config,
    smtp_sink,
    case_system,
    caplog,
    console_output,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.INFO)
    fill_flow(
        client,
        {
            "contact": {
                "contact_me": "yes",
                "name": NAME,
                "email": EMAIL,
                "phone": PHONE,
                "preferred_method": "email",
                "safe_to_contact": "yes",
            }
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/report/check/", {"website": ""})
    assert response.status_code == 302
    report = Report.objects.get()
    token = ids.tracking_token(report.tracking_nonce)

    # the report really went out: to the case system and to the resident by email
    assert case_system.cases(reference=report.reference)
    assert smtp_sink.store.messages(to=EMAIL)

    assert client.get(f"/report/track/{token}/").status_code == 200
    # a mistyped private link: Django logs the path of every 404 (django.request)
    assert client.get(f"/report/track/{token}x/").status_code == 404

    lines = [record.getMessage() for record in caplog.records] + [console_output.getvalue()]
    text = "\n".join(lines)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in (NAME, "Winifred", "Quaintance", EMAIL, PHONE, "900982", token):
        assert secret not in text, secret
    assert f"/report/track/{HIDDEN}/" in console_output.getvalue()


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        ("Not Found: /report/track/Abc-123_xyz/", "Abc-123_xyz"),
        ('"GET /report/feedback/s3cr3t-tok/ HTTP/1.1" 200', "s3cr3t-tok"),
        ("GET /report/photo/p4th-tok?size=2 404", "p4th-tok"),
        ("GET /admin/password_reset/reset/MQ/c1b2-a3f4d5/ 200", "c1b2-a3f4d5"),
        ("GET /open311/v2/requests.json?api_key=KEY123&x=1", "KEY123"),
        ("Push failed: https://h/x?signature=deadbeef", "deadbeef"),
        ("Sent to winnie.q@example.org", "winnie.q@example.org"),
    ],
)
def test_redact_hides_private_parts(line, gone):
    cleaned = redact(line)
    assert gone not in cleaned
    assert cleaned.split()[0] == line.split()[0]  # the rest of the line is kept


def test_redact_keeps_our_own_message_ids(settings):
    settings.OUTBOX_MESSAGE_ID_DOMAIN = "asb.london.invalid"
    line = "250 accepted <42.abc@asb.london.invalid> to 1 recipient(s)"
    assert redact(line) == line


def test_the_filter_rewrites_arguments_and_tracebacks():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/report/track/T0K/",),
        None,
    )
    try:
        raise ValueError("bad token in /report/track/T0K/")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert HidePrivateParts().filter(record) is True
    assert "T0K" not in record.getMessage()
    assert "T0K" not in record.exc_text
