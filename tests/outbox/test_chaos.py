"""The outbox under chaos, with real processes on loopback (tests/outbox/chaos.py): a
mail server and a case system that fail on purpose, workers killed with SIGKILL, and the
counts taken at both ends.

Each scenario runs once per pass of the test command, on that pass's stack: on the SQLite
pass the embedded default (a SQLite file and the database task queue, ``db_worker``); on
the PostgreSQL pass the scale-out setup (PostgreSQL and RQ workers on Redis). So each
task backend, and each database, has the chaos run on it once."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 13  # this test's own database on the shared server: flushed before use

pytestmark = pytest.mark.slow


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def stack(tmp_path):
    """Environment for the scenario process: this pass's database and task backend."""
    env = {
        **os.environ,
        "CHAOS_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.outbox.chaos_settings",
    }
    database_url = env.pop("DATABASE_URL", "")
    redis = None
    if database_url.startswith("postgres"):
        env["CHAOS_DATABASE_URL"] = database_url.rsplit("?", 1)[0] + "_outbox_chaos"
        env["CHAOS_TASKS"] = "rq"
        port = 6379
        if not _redis_up(port):  # bin/test starts Redis; a private one otherwise
            binary = shutil.which("redis-server")
            assert binary, "The RQ pass needs Redis: run bin/test, which starts it"
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            redis = subprocess.Popen(
                [binary, "--port", str(port), "--save", "", "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
            )
            for _ in range(50):
                if _redis_up(port):
                    break
                time.sleep(0.1)
        env["RQ_REDIS_URL"] = f"redis://127.0.0.1:{port}/{REDIS_DB}"
        import redis as redis_client

        redis_client.Redis.from_url(env["RQ_REDIS_URL"]).flushdb()
    yield env
    if redis is not None:
        redis.terminate()
        redis.wait(timeout=10)


def run(env: dict, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.outbox.chaos", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=2))
    return result


def test_every_message_leaves_exactly_once_through_failures_and_killed_workers(stack):
    result = run(stack, "boroughs", "--reports", "200", "--kills", "3")
    expected_backend = "rq" if stack.get("CHAOS_TASKS") == "rq" else "database"
    assert result["tasks"] == expected_backend
    # the chaos really happened
    assert result["worker_kills"] == 3
    assert result["attempts_failed"] > 100
    assert result["case_receipts"] > result["cases"]  # resends reached the case system
    # every report filed, and it reached its borough exactly once
    assert result["reports"] == result["reports_filed"] == 200
    assert result["reports_missing_borough_inbox"] == 0
    assert result["case_reports"] == 80
    assert result["references_without_one_case"] == 0
    assert result["cases"] == 80
    # every email went: each once, a resend (same Message-ID) at most once per kill,
    # never a second message with a new Message-ID
    assert result["delivered_but_never_arrived"] == 0
    assert result["unknown_message_ids_at_sink"] == 0
    assert result["email_resends_same_message_id"] <= result["worker_kills"]
    assert (
        result["emails_accepted_at_sink"]
        == result["emails_delivered"] + result["email_resends_same_message_id"]
    )
    residents = result["resident_messages_delivered"]
    assert residents["resident_confirmation"] == 170  # 180 gave an email, 10 bounce
    assert residents["resident_status_update"] == 140  # in progress, closed: 70 of them
    assert residents["resident_callback_invitation"] == 70
    # every update from the case systems on the right timeline
    assert result["case_updates"] >= 160
    assert result["updates_missing_from_timelines"] == 0
    # nothing left waiting; the only dead letters are the injected 550s, all shown to staff
    assert result["left_waiting"] == 0
    assert result["dead"] == 40  # 10 bouncing residents x 4 messages each
    assert result["dead_not_injected"] == 0
    assert result["injected_not_dead"] == 0
    assert result["dead_not_shown_to_staff"] == 0


def test_camden_reports_all_reach_the_inbox_once_within_a_minute_of_the_mail_server_recovering(
    stack,
):
    # Production's backoff (30 s, doubling): the recovery must not wait for it.
    env = {**stack, "CHAOS_BACKOFF_BASE": "30", "CHAOS_BACKOFF_MAX": "1800"}
    result = run(env, "camden", "--reports", "60", "--kills", "1")
    assert result["worker_kills"] == 1
    assert result["attempts_failed"] > 5  # the mail server did refuse
    assert result["reports_filed"] == 60
    assert result["reports_missing_borough_inbox"] == 0  # 60 of 60, each once
    assert result["unknown_message_ids_at_sink"] == 0  # no second message for any report
    assert result["email_resends_same_message_id"] <= 1
    assert result["left_waiting"] == 0 and result["dead"] == 0
    assert result["seconds_after_recovery"] <= 60
