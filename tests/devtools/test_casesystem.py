"""The reference case system: cases move on credibly, and its admin pages keep residents'
details out of the list (a real server on loopback, its own SQLite file)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request

import pytest

from devtools import case_progress
from devtools.casesystem import Chaos, Config, Store, make_server

RESIDENT = {"name": "Grace Hopper", "email": "grace@example.org", "phone": "07700 900123"}
DESCRIPTION = "Shouting in the stairwell every night."


@pytest.fixture
def running(tmp_path):
    server, system = make_server(
        "127.0.0.1", 0, Config(db_path=str(tmp_path / "cases.sqlite3")), Chaos()
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    system.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield system
    system.stop()
    server.shutdown()
    server.server_close()


def receive(system, *, category="noise", high_risk=False, contact=True, **extra):
    number = len(system.store.cases()) + 1
    payload = {
        "reference": f"ASB-TEST-{number:04d}",
        "category": category,
        "category_label": extra.pop("label", "Noise"),
        "borough_name": "Hackney",
        "description": DESCRIPTION,
        "contact": RESIDENT if contact else None,
        **extra,
    }
    case, _ = system.store.receive(
        idempotency_key=f"key-{number}",
        channel="webhook",
        reference=payload["reference"],
        service_code=category,
        jurisdiction_id="E09000012",
        high_risk=high_risk,
        payload=payload,
        token_mode=False,
    )
    return case


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# --- the outcomes ---------------------------------------------------------------------


def test_outcomes_are_fixed_by_the_case_and_fit_its_category_and_risk():
    noise = {
        case_progress.choose_outcome(number=n, category="noise", high_risk=False) for n in range(8)
    }
    assert {o.code for o in noise} == {
        "advice_given",
        "warning_letter",
        "mediation",
        "acceptable_behaviour_contract",
    }
    # a case system's own service code still finds its group
    assert case_progress.choose_outcome(number=3, category="ASB-NEIGHBOURS", high_risk=False) == (
        case_progress.choose_outcome(number=3, category="rowdy-neighbours", high_risk=False)
    )
    drinking = case_progress.choose_outcome(number=0, category="street-drinking", high_risk=False)
    assert drinking.label == "Community protection warning issued"
    risky = {
        case_progress.choose_outcome(number=n, category="noise", high_risk=True) for n in range(4)
    }
    assert {o.label for o in risky} == {
        "Referred to the police",
        "Community protection warning issued",
        "Community protection notice served",
    }
    # the same case always ends the same way
    assert case_progress.choose_outcome(number=5, category="noise", high_risk=False).code == (
        "warning_letter"
    )


def test_the_outcomes_are_the_ones_asb_teams_use():
    labels = {o.label for o in case_progress.OUTCOMES.values()}
    assert {
        "Advice given to the resident",
        "Warning letter sent to the person responsible",
        "Acceptable behaviour contract agreed",
        "Community protection warning issued",
        "Community protection notice served",
        "Referred to mediation",
        "No further action: the person responsible could not be identified",
    } <= labels
    grouped = {code for _, codes in case_progress.OUTCOMES_BY_CATEGORY for code in codes}
    chosen = grouped | set(case_progress.DEFAULT_OUTCOMES) | set(case_progress.HIGH_RISK_OUTCOMES)
    assert chosen == set(case_progress.OUTCOMES)  # every outcome can happen, none is unknown


def test_every_update_is_in_plain_words():
    for outcome in case_progress.OUTCOMES.values():
        for step in (*case_progress.STANDARD_STEPS, *case_progress.HIGH_RISK_STEPS):
            for contact in (True, False):
                update = case_progress.planned_update(
                    step, case_id="CS-1", outcome=outcome, contact_given=contact
                )
                assert update.text and update.text[0].isupper() and update.text.endswith(".")
                assert "_" not in update.text and "{" not in update.text
                assert update.status in ("received", "in_progress", "closed")


# --- moving on --------------------------------------------------------------------------


def test_at_real_pace_a_case_is_acknowledged_at_once_and_then_waits(running):
    running.chaos.pace = 1
    case = receive(running)
    assert running.progress() == 1
    assert running.progress() == 0  # the officer is assigned within the hour, not now
    updates = running.store.case_updates(case["case_id"])
    assert [u["external_status_code"] for u in updates] == ["acknowledged"]
    assert case["case_id"] in updates[0]["description"]
    due = running.step_due_at(running.store.case(case["case_id"]))
    assert 40 * 60 <= due - time.time() <= 60 * 60


def test_a_case_goes_through_every_step_to_its_outcome(running):
    case = receive(running)
    outcome = case_progress.choose_outcome(number=case["id"], category="noise", high_risk=False)
    running.chaos.pace = 10_000_000  # 74 hours in under 30 ms
    time.sleep(0.1)
    for _ in range(10):
        running.progress()
    updates = running.store.case_updates(case["case_id"])
    assert [(u["status"], u["external_status_code"]) for u in updates] == [
        ("received", "acknowledged"),
        ("in_progress", "assigned"),
        ("in_progress", "investigating"),
        ("in_progress", "action_scheduled"),
        ("closed", outcome.code),
    ]
    assert updates[2]["description"] == case_progress.CONTACTED
    assert updates[3]["description"] == outcome.action
    assert updates[4]["description"] == outcome.closing
    assert running.store.case(case["case_id"])["outcome"] == outcome.label


def test_high_risk_cases_go_faster_and_to_the_police_or_a_warning(running):
    running.chaos.pace = 1
    case = receive(running, high_risk=True, contact=False)
    running.progress()
    due = running.step_due_at(running.store.case(case["case_id"]))
    assert due - time.time() <= 15 * 60
    running.chaos.pace = 10_000_000
    time.sleep(0.05)
    for _ in range(6):
        running.progress()
    updates = running.store.case_updates(case["case_id"])
    assert updates[2]["description"] == case_progress.NOT_CONTACTED  # no contact details
    assert updates[-1]["external_status_code"] in case_progress.HIGH_RISK_OUTCOMES


def test_fast_mode_keeps_two_steps(running):
    running.chaos.auto_progress_seconds = 0.5
    running.chaos.pace = 1  # the fast mode wins
    case = receive(running)
    time.sleep(1.1)
    running.progress()
    time.sleep(1.1)
    running.progress()
    updates = running.store.case_updates(case["case_id"])
    assert [u["status"] for u in updates] == ["in_progress", "closed"]
    assert updates[1]["external_status_code"] in case_progress.OUTCOMES


def test_a_case_file_of_the_old_shape_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE cases (id INTEGER PRIMARY KEY AUTOINCREMENT, case_id TEXT NOT NULL UNIQUE,"
        " idempotency_key TEXT NOT NULL UNIQUE, channel TEXT NOT NULL, reference TEXT NOT NULL"
        " DEFAULT '', service_code TEXT NOT NULL DEFAULT '', jurisdiction_id TEXT NOT NULL"
        " DEFAULT '', high_risk INTEGER NOT NULL DEFAULT 0, token TEXT NOT NULL DEFAULT '',"
        " payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'received', created_at TEXT NOT"
        " NULL, updated_at TEXT NOT NULL, receive_count INTEGER NOT NULL DEFAULT 1)"
    )
    db.commit()
    db.close()
    store = Store(str(path))
    columns = {row["name"] for row in store.db.execute("PRAGMA table_info(cases)")}
    assert {"step", "outcome"} <= columns


# --- the admin pages --------------------------------------------------------------------


def test_the_case_list_is_a_table_without_personal_data(running):
    receive(running, label="<script>alert(1)</script>")
    status, page = get(f"{running.url}/admin/cases")
    assert status == 200
    assert "<table>" in page and '<th scope="col">Outcome</th>' in page
    assert "ASB-TEST-0001" in page and "Hackney" in page
    for secret in (*RESIDENT.values(), DESCRIPTION, "Grace", "Hopper"):
        assert secret not in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    # the same list for scripts, in full
    status, body = get(f"{running.url}/admin/cases.json")
    assert status == 200 and json.loads(body)[0]["payload"]["contact"]["email"] == RESIDENT["email"]


def test_a_case_page_shows_the_description_but_masks_contact_details(running):
    case = receive(running)
    status, page = get(f"{running.url}/admin/cases/{case['case_id']}")
    assert status == 200
    assert DESCRIPTION in page
    assert "name given, email given, phone given" in page
    for secret in RESIDENT.values():
        assert secret not in page
    assert get(f"{running.url}/admin/cases/CS-NOPE")[0] == 404


def test_staff_can_take_the_next_step_from_the_case_page(running):
    case = receive(running)
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{running.url}/admin/cases/{case['case_id']}/advance", data=b"", method="POST"
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - redirected
        page = response.read().decode()
    assert response.url.endswith(f"/admin/cases/{case['case_id']}")
    assert "We have received your report" in page
    assert [u["external_status_code"] for u in running.store.case_updates(case["case_id"])] == [
        "acknowledged"
    ]
