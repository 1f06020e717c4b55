"""The local SMTP sink (devtools/smtp_sink.py), over real SMTP and HTTP on loopback.

No mocks: the sink is started in-process on free ports and spoken to with Python's smtplib,
with Django's SMTP email backend and with urllib; the management command runs as its own
process."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import smtplib
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.message import EmailMessage as PyEmailMessage
from pathlib import Path

import pytest
from django.core.mail import EmailMessage, get_connection

ROOT = Path(__file__).resolve().parents[2]


# --- helpers -------------------------------------------------------------------------


def make_message(
    subject: str = "Noise report LB-123",
    body: str = "Café noise at night.\nSecond line.",
    message_id: str = "<report-1@portal.test>",
    to: str = "borough@lambeth.test",
) -> PyEmailMessage:
    message = PyEmailMessage()
    message["From"] = "portal@portal.test"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    return message


def send(sink, rcpts: list[str], message: PyEmailMessage | None = None) -> dict:
    """One message over a fresh connection; returns smtplib's refused-recipients dict."""
    message = message or make_message()
    with smtplib.SMTP("127.0.0.1", sink.smtp_port, local_hostname="client.test", timeout=5) as c:
        return c.send_message(message, from_addr="portal@portal.test", to_addrs=rcpts)


def django_connection(sink):
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host="127.0.0.1",
        port=sink.smtp_port,
        timeout=5,
    )


def django_send(sink, to: list[str], **kwargs) -> int:
    message = EmailMessage(
        subject=kwargs.pop("subject", "Your report LB-123"),
        body=kwargs.pop("body", "Thank you. We have sent your report to Lambeth."),
        from_email="portal@portal.test",
        to=to,
        connection=django_connection(sink),
        **kwargs,
    )
    return message.send()


def http(sink, path: str, body: bytes | None = None) -> tuple[int, str, str]:
    """(status, content type, text) of a GET, or a POST when body is given."""
    request = urllib.request.Request(
        sink.http_url + path, data=body, method="POST" if body is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def get_json(sink, path: str):
    status, content_type, text = http(sink, path)
    assert status == 200
    assert content_type.startswith("application/json")
    return json.loads(text)


def control(sink, values) -> tuple[int, str]:
    status, _, text = http(sink, "/control", json.dumps(values).encode())
    return status, text


# --- accepting and storing ---------------------------------------------------------------


def test_a_message_is_stored_once_per_recipient(sink):
    refused = send(sink, ["borough@lambeth.test", "team@sn.test"])

    assert refused == {}
    rows = sink.store.messages()
    assert [row["rcpt"] for row in rows] == ["borough@lambeth.test", "team@sn.test"]
    for row in rows:
        assert row["message_id"] == "<report-1@portal.test>"
        assert row["mail_from"] == "portal@portal.test"
        assert row["subject"] == "Noise report LB-123"
        assert row["body"] == "Café noise at night.\nSecond line.\n"
        assert ["Subject", "Noise report LB-123"] in row["headers"]
        assert row["received_at"].endswith("Z")
        assert "raw" not in row
    assert b"Message-ID: <report-1@portal.test>" in sink.store.raw(rows[0]["id"])
    assert [row["rcpt"] for row in sink.store.messages(to="TEAM@sn.test")] == ["team@sn.test"]
    assert len(sink.store.messages(message_id="<report-1@portal.test>")) == 2
    assert sink.store.messages(message_id="<other@portal.test>") == []
    assert sink.store.stats() == {
        "messages": 2,
        "distinct_message_ids": 1,
        "duplicate_message_ids": 0,
        "temp_failed": 0,
        "dropped": 0,
        "rejected": 0,
    }


def test_django_smtp_backend_delivers_to_the_sink(sink):
    sent = django_send(
        sink,
        ["resident@example.test"],
        cc=["team@sn.test"],
        headers={"Message-ID": "<ack-7@portal.test>"},
        subject="Votre signalement – reçu",
    )

    assert sent == 1
    rows = sink.store.messages()
    assert sorted(row["rcpt"] for row in rows) == ["resident@example.test", "team@sn.test"]
    assert {row["message_id"] for row in rows} == {"<ack-7@portal.test>"}
    assert {row["subject"] for row in rows} == {"Votre signalement – reçu"}
    assert rows[0]["body"].startswith("Thank you. We have sent your report to Lambeth.")


def test_the_same_message_id_accepted_twice_is_a_duplicate(sink):
    send(sink, ["borough@lambeth.test"])
    send(sink, ["borough@lambeth.test"])  # a re-send after an unclear failure
    send(sink, ["other@lambeth.test"])  # the same id to someone else is not a duplicate
    send(sink, ["borough@lambeth.test"], make_message(message_id="<report-2@portal.test>"))

    stats = sink.store.stats()
    assert stats["messages"] == 4
    assert stats["distinct_message_ids"] == 2
    assert stats["duplicate_message_ids"] == 1


# --- failure modes -----------------------------------------------------------------------


def test_temp_fail_answers_451_and_stores_nothing(sink):
    sink.chaos.update({"temp_fail_rate": 1})

    with pytest.raises(smtplib.SMTPDataError) as raised:
        send(sink, ["borough@lambeth.test"])
    assert raised.value.smtp_code == 451
    assert raised.value.smtp_error.startswith(b"4.3.0")
    with pytest.raises(smtplib.SMTPDataError) as raised:
        django_send(sink, ["resident@example.test"])
    assert raised.value.smtp_code == 451

    assert sink.store.messages() == []
    assert sink.store.stats()["temp_failed"] == 2
    assert sink.store.stats()["messages"] == 0


def test_drop_closes_the_connection_and_the_next_one_works(sink):
    sink.chaos.update({"drop_rate": 1})

    with pytest.raises(smtplib.SMTPServerDisconnected):
        send(sink, ["borough@lambeth.test"])
    with pytest.raises(smtplib.SMTPServerDisconnected):
        django_send(sink, ["resident@example.test"])
    assert sink.store.messages() == []
    assert sink.store.stats()["dropped"] == 2

    # The server itself is fine: a new connection is greeted and answers commands...
    with smtplib.SMTP("127.0.0.1", sink.smtp_port, local_hostname="client.test", timeout=5) as c:
        assert c.noop()[0] == 250
    # ...and, with the drops turned off, delivers.
    sink.chaos.update({"drop_rate": 0})
    assert send(sink, ["borough@lambeth.test"]) == {}
    assert django_send(sink, ["resident@example.test"]) == 1
    assert sink.store.stats()["messages"] == 2


def test_reject_pattern_refuses_matching_recipients_only(sink):
    sink.chaos.update({"reject_pattern": r"^blocked@|@gone\.test$"})

    refused = send(sink, ["Blocked@lambeth.test", "borough@lambeth.test"])
    assert refused == {
        "Blocked@lambeth.test": (550, b"5.1.1 <Blocked@lambeth.test>: mailbox unavailable")
    }
    assert [row["rcpt"] for row in sink.store.messages()] == ["borough@lambeth.test"]

    with pytest.raises(smtplib.SMTPRecipientsRefused) as raised:
        send(sink, ["someone@GONE.test"])
    assert raised.value.recipients["someone@GONE.test"][0] == 550
    with pytest.raises(smtplib.SMTPRecipientsRefused) as raised:
        django_send(sink, ["blocked@example.test"])
    assert raised.value.recipients["blocked@example.test"][0] == 550

    assert sink.store.stats()["rejected"] == 3
    assert sink.store.stats()["messages"] == 1


def test_slow_answers_late_without_blocking_other_connections(sink):
    sink.chaos.update({"slow_rate": 1, "slow_seconds": 0.6})
    outcome: dict = {}

    def slow_send() -> None:
        started = time.monotonic()
        outcome["refused"] = send(sink, ["borough@lambeth.test"])
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow_send)
    thread.start()
    deadline = time.monotonic() + 5
    while not sink.store.messages() and time.monotonic() < deadline:  # stored, answer pending
        time.sleep(0.01)
    assert sink.store.messages(), "the slow message was not stored"

    # Meanwhile another connection is served at once.
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", sink.smtp_port, local_hostname="client.test", timeout=5) as c:
        assert c.noop()[0] == 250
        assert c.ehlo()[0] == 250
    assert thread.is_alive(), "the other connection waited for the slow one"
    assert time.monotonic() - started < 0.3  # not the rest of the 0.6 s wait

    thread.join(5)
    assert outcome["refused"] == {}
    assert outcome["seconds"] >= 0.4
    assert sink.store.stats()["messages"] == 1


def test_rates_are_deterministic_for_a_seed(sink):
    def outcomes() -> list[str]:
        results = []
        for _ in range(12):
            try:
                send(sink, ["borough@lambeth.test"])
                results.append("ok")
            except smtplib.SMTPDataError:
                results.append("451")
        return results

    sink.chaos.update({"temp_fail_rate": 0.5, "seed": 42})
    first = outcomes()
    sink.chaos.update({"seed": 42})
    assert outcomes() == first
    assert "ok" in first and "451" in first


# --- HTTP control and inspection ---------------------------------------------------------


def test_control_changes_chaos_at_run_time(sink):
    status, text = control(sink, {"temp_fail_rate": 1, "reject_pattern": "nobody"})
    assert status == 200
    assert json.loads(text)["temp_fail_rate"] == 1.0
    assert json.loads(text)["reject_pattern"] == "nobody"
    with pytest.raises(smtplib.SMTPDataError):
        send(sink, ["borough@lambeth.test"])

    status, text = control(sink, {"temp_fail_rate": 0})
    assert status == 200
    assert send(sink, ["borough@lambeth.test"]) == {}
    assert get_json(sink, "/control") == json.loads(text)
    assert get_json(sink, "/control")["reject_pattern"] == "nobody"


@pytest.mark.parametrize(
    "body",
    [
        b'{"no_such_setting": 1}',
        b'{"drop_rate": 2}',
        b'{"drop_rate": -0.1}',
        b'{"slow_seconds": "soon"}',
        b'{"slow_seconds": NaN}',
        b'{"temp_fail_rate": true}',
        b'{"reject_pattern": "("}',
        b'{"reject_pattern": 5}',
        b'{"seed": "x"}',
        b'{"drop_rate": 0.5, "bogus": 1}',
        b"[1, 2]",
        b"not json",
    ],
)
def test_control_rejects_bad_input_with_400(sink, body):
    before = sink.chaos.as_dict()

    status, content_type, text = http(sink, "/control", body)

    assert status == 400
    assert content_type.startswith("text/plain")
    assert text.strip()
    assert "Traceback" not in text
    assert sink.chaos.as_dict() == before  # all or nothing


def test_stats_messages_json_health_and_clear(sink):
    send(sink, ["borough@lambeth.test", "team@sn.test"])

    assert http(sink, "/healthz")[::2] == (200, "ok")
    assert get_json(sink, "/stats")["messages"] == 2
    rows = get_json(sink, "/messages.json?to=team%40sn.test")
    assert len(rows) == 1
    assert rows[0]["rcpt"] == "team@sn.test"
    assert rows[0]["message_id"] == "<report-1@portal.test>"
    assert "raw" not in rows[0]
    assert len(get_json(sink, "/messages.json")) == 2
    assert len(get_json(sink, "/messages.json?message_id=%3Creport-1%40portal.test%3E")) == 2
    assert http(sink, "/messages.json?limit=x")[0] == 400
    assert http(sink, "/nothing-here")[0] == 404

    status, _, text = http(sink, "/clear", b"")
    assert status == 200
    assert json.loads(text)["messages"] == 0
    assert get_json(sink, "/messages.json") == []


def test_the_html_page_lists_messages_escaped(sink):
    send(
        sink,
        ["borough@lambeth.test"],
        make_message(subject="<script>alert(1)</script> & more", body="Body <b>text</b>"),
    )

    status, content_type, page = http(sink, "/")

    assert status == 200
    assert content_type.startswith("text/html")
    assert '<html lang="en">' in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "&lt;report-1@portal.test&gt;" in page
    assert "borough@lambeth.test" in page
    assert re.search(r"<details>.*Body &lt;b&gt;text&lt;/b&gt;.*</details>", page, re.S)


# --- the management command --------------------------------------------------------------


def test_run_smtp_sink_command_serves_and_stops_on_sigterm(tmp_path):
    db = tmp_path / "new-folder" / "mail.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_smtp_sink",
            "--port",
            "0",
            "--http-port",
            "0",
            "--db",
            str(db),
            "--reject-recipients",
            "^blocked@",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stdout], daemon=True
    ).start()
    try:
        try:
            line = lines.get(timeout=15)
        except queue.Empty:
            pytest.fail(f"no start-up line; stderr: {process.stderr.read()}")
        smtp = re.search(r"smtp://127\.0\.0\.1:(\d+)", line)
        url = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        assert smtp and url, line
        assert db.parent.is_dir()

        with smtplib.SMTP("127.0.0.1", int(smtp[1]), local_hostname="client.test", timeout=5) as c:
            refused = c.send_message(
                make_message(), to_addrs=["borough@lambeth.test", "blocked@lambeth.test"]
            )
        assert list(refused) == ["blocked@lambeth.test"]
        with urllib.request.urlopen(url[1] + "/stats", timeout=5) as response:  # noqa: S310
            stats = json.load(response)
        assert stats["messages"] == 1
        assert stats["rejected"] == 1

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
