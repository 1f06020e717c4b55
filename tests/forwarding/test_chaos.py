"""The chaos test: 1,000 reports while the case system fails at random and workers are
killed mid-delivery; every report must reach the case system exactly once and every
update must land on the right timeline. The scenario runs in its own process
(tests/forwarding/chaos_run.py) against a database shared with real ``db_worker``
processes (a SQLite file, or a PostgreSQL database of its own when the suite runs on
PostgreSQL), a real reference case system and the portal under waitress."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = 1000


LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/asb_forwarding_chaos"


def _chaos_database(database_url: str) -> str:
    """PostgreSQL (a database of its own) when the suite runs on it or one is running here;
    '' for a SQLite file. CHAOS_DATABASE=sqlite forces the SQLite file.

    On SQLite the scenario is just as correct but several processes queue for its single
    write lock: on a busy 2-core machine it takes ~20 minutes instead of a few."""
    if os.environ.get("CHAOS_DATABASE") == "sqlite":
        return ""
    if database_url.startswith("postgres"):
        return database_url.rsplit("?", 1)[0] + "_chaos"
    try:
        import psycopg

        psycopg.connect(LOCAL_POSTGRES.rsplit("/", 1)[0] + "/postgres", connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - no server: the SQLite file it is
        return ""
    return LOCAL_POSTGRES


def test_every_report_reaches_its_case_system_exactly_once(tmp_path):
    env = {
        **os.environ,
        "CHAOS_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.forwarding.chaos_settings",
    }
    chaos_database = _chaos_database(env.pop("DATABASE_URL", ""))
    if chaos_database:
        env["CHAOS_DATABASE_URL"] = chaos_database
    completed = subprocess.run(
        [sys.executable, "-m", "tests.forwarding.chaos_run", "--reports", str(REPORTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    print(json.dumps(result, indent=2))

    # the chaos really happened
    assert result["worker_kills"] >= 5
    assert result["attempts_failed"] > 50
    assert result["receipts_at_case_system"] > result["cases"]  # re-sends reached it
    assert result["duplicated_update_acks"] > 0
    # zero lost, zero duplicated, counted at the case system
    assert result["reports"] == result["reports_filed"] == REPORTS
    assert result["deliveries"] == result["delivered"] == REPORTS
    assert result["cases"] == REPORTS
    assert result["distinct_references_at_case_system"] == REPORTS
    assert result["references_with_more_than_one_case"] == 0
    assert result["reports_without_a_case"] == 0
    assert result["case_id_mismatch"] == 0
    # every update on the right timeline, once
    assert result["case_updates"] >= 2 * REPORTS
    assert result["updates_missing_from_timelines"] == 0
    assert result["case_events_on_timelines"] == result["case_updates"]
    assert result["reports_closed"] == REPORTS
    assert result["callback_surveys"] == REPORTS
