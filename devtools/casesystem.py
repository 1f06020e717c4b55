"""The reference case system: a small stand-in for a borough's case management tool.

Plain Python (``http.server`` + ``sqlite3``), no Django and not the portal's database, so it
behaves like a separate system. It is used for development, the demo, the tests and the
benchmark. Started by ``manage.py run_case_system``.

It accepts reports two ways and stores each as a case:

* Open311 GeoReport v2: ``POST /open311/v2/requests.json`` (form fields, ``api_key``),
  plus ``GET tokens/{token}.json``, ``GET requests/{id}.json`` and mySociety's
  ``GET servicerequestupdates.json`` for polling;
* a signed JSON webhook: ``POST /webhook/cases`` (HMAC-SHA256 over timestamp and body).

The idempotency key (``attribute[idempotency_key]`` or the ``Idempotency-Key`` header)
makes a repeat of the same delivery return the same case: that is how "filed exactly
once" is counted here (``GET /admin/stats``).

Staff of the "borough" (or a test) move cases on with ``POST /admin/cases/{id}/status``
(JSON ``{"status": ..., "description": ...}``); the update is kept for polling and, for
webhook cases, pushed to the portal's inbound endpoint, signed. Cases can also move on
by themselves:

* ``--pace X`` (the demo): each case goes through the steps of a borough's ASB team
  (``devtools/case_progress.py``): logged at once, an officer assigned within the hour,
  the resident contacted within a few hours, action within a day or so, closed after a few
  days with a fixed, plausible outcome. ``--pace 1`` is real time; ``--pace 60`` makes an
  hour a minute. ``POST /admin/cases/{id}/advance`` (a button on the case's page) takes
  the next step now.
* ``--auto-progress N`` (tests, benchmark): every case goes received -> in_progress ->
  closed, N seconds apart; it wins over ``--pace``.

The admin pages (``GET /admin/cases``, ``GET /admin/cases/{id}``) are HTML for a person:
cases in a table without residents' personal data (contact details are only said to be
"given"); ``GET /admin/cases.json`` has the full cases for scripts.

Failure modes (``--fail-rate`` etc., or at run time with ``POST /admin/control``):
``fail_rate`` answers HTTP 500 before storing; ``slow_rate`` stores the case but answers
only after ``slow_seconds`` (past the client's timeout); ``drop_rate`` stores the case then
closes the connection without answering; ``duplicate_ack_rate`` acknowledges a new case
twice back to the portal (the "received" update is sent twice with the same update id).
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import secrets
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET  # noqa: S405 - only used to write XML, never to parse
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from devtools import case_progress, casesystem_admin
from reporting.outbox.adapters import signing

logger = logging.getLogger("casesystem")

SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    service_code TEXT NOT NULL DEFAULT '',
    jurisdiction_id TEXT NOT NULL DEFAULT '',
    high_risk INTEGER NOT NULL DEFAULT 0,
    token TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'received',
    step INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS cases_reference ON cases (reference);
CREATE INDEX IF NOT EXISTS cases_token ON cases (token);
CREATE TABLE IF NOT EXISTS updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    status TEXT NOT NULL,
    external_status_code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    updated_datetime TEXT NOT NULL,
    pushed INTEGER NOT NULL DEFAULT 0,
    push_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS updates_time ON updates (updated_datetime);
CREATE TABLE IF NOT EXISTS receipts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL,
    at TEXT NOT NULL
);
"""

OPEN311_STATUS = {"received": "open", "in_progress": "open", "closed": "closed"}
# Columns added since the first version, for a case file made by an older one.
ADDED_COLUMNS = {
    "step": "INTEGER NOT NULL DEFAULT 0",
    "outcome": "TEXT NOT NULL DEFAULT ''",
}


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Chaos:
    fail_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 15.0
    drop_rate: float = 0.0
    duplicate_ack_rate: float = 0.0
    token_mode: bool = False
    auto_progress_seconds: float = 0.0
    pace: float = 0.0  # the demo's steps: 1 real time, 60 an hour a minute, 0 off

    def update(self, values: dict) -> None:
        for name, value in values.items():
            if not hasattr(self, name):
                raise ValueError(f"Unknown setting {name!r}")
            current = getattr(self, name)
            if isinstance(current, bool):
                setattr(self, name, bool(value))
            else:
                number = float(value)
                if name.endswith("_rate") and not 0 <= number <= 1:
                    raise ValueError(f"{name} must be between 0 and 1")
                setattr(self, name, number)


@dataclass
class Config:
    db_path: str
    open311_key: str = ""
    webhook_secret: str = ""
    # e.g. http://127.0.0.1:8000/api/case-updates/{borough}/ ({borough}: the case's
    # jurisdiction_id, which for webhook cases is the borough's ONS code)
    portal_inbound_url: str = ""
    portal_secret: str = ""
    push_timeout: float = 5.0
    seed: int | None = None


class Store:
    """The cases, behind one lock: sqlite3 with one connection shared by the threads."""

    def __init__(self, path: str) -> None:
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        have = {row["name"] for row in self.db.execute("PRAGMA table_info(cases)")}
        for name, definition in ADDED_COLUMNS.items():
            if name not in have:
                self.db.execute(f"ALTER TABLE cases ADD COLUMN {name} {definition}")

    def receive(
        self,
        *,
        idempotency_key: str,
        channel: str,
        reference: str,
        service_code: str,
        jurisdiction_id: str,
        high_risk: bool,
        payload: dict,
        token_mode: bool,
    ) -> tuple[sqlite3.Row, bool]:
        """Store a case unless this key was seen; returns (case, created)."""
        with self.lock:
            at = now_iso()
            self.db.execute(
                "INSERT INTO receipts (idempotency_key, at) VALUES (?, ?)", (idempotency_key, at)
            )
            row = self.db.execute(
                "SELECT * FROM cases WHERE idempotency_key = ?", (idempotency_key,)
            ).fetchone()
            if row is not None:
                self.db.execute(
                    "UPDATE cases SET receive_count = receive_count + 1 WHERE id = ?", (row["id"],)
                )
                return row, False
            case_id = f"CS-{secrets.token_hex(4).upper()}"
            token = secrets.token_hex(8) if token_mode else ""
            self.db.execute(
                "INSERT INTO cases (case_id, idempotency_key, channel, reference, service_code,"
                " jurisdiction_id, high_risk, token, payload, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    case_id,
                    idempotency_key,
                    channel,
                    reference,
                    service_code,
                    jurisdiction_id,
                    int(high_risk),
                    token,
                    json.dumps(payload),
                    at,
                    at,
                ),
            )
            row = self.db.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()
            return row, True

    def case(self, case_id: str) -> sqlite3.Row | None:
        with self.lock:
            return self.db.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()

    def by_token(self, token: str) -> sqlite3.Row | None:
        with self.lock:
            return self.db.execute("SELECT * FROM cases WHERE token = ?", (token,)).fetchone()

    def rows(self, *, reference: str = "", limit: int = 1000) -> list[sqlite3.Row]:
        with self.lock:
            if reference:
                return self.db.execute(
                    "SELECT * FROM cases WHERE reference = ? ORDER BY id", (reference,)
                ).fetchall()
            return self.db.execute(
                "SELECT * FROM cases ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()

    def cases(self, *, reference: str = "", limit: int = 1000) -> list[dict]:
        return [_case_json(row) for row in self.rows(reference=reference, limit=limit)]

    def case_updates(self, case_id: str) -> list[dict]:
        with self.lock:
            rows = self.db.execute(
                "SELECT * FROM updates WHERE case_id = ? ORDER BY id", (case_id,)
            ).fetchall()
        return [dict(row) for row in rows]

    def open_for_steps(self, steps: int) -> list[sqlite3.Row]:
        """Open cases with steps still to take (the oldest first)."""
        with self.lock:
            return self.db.execute(
                "SELECT * FROM cases WHERE status != 'closed' AND step < ? ORDER BY id LIMIT 2000",
                (steps,),
            ).fetchall()

    def set_step(self, case_id: str, step: int, outcome: str = "") -> None:
        with self.lock:
            self.db.execute(
                "UPDATE cases SET step = ?, outcome = CASE WHEN ? != '' THEN ? ELSE outcome END"
                " WHERE case_id = ?",
                (step, outcome, outcome, case_id),
            )

    def add_update(
        self, *, case_id: str, status: str, description: str, external_status_code: str = ""
    ) -> dict:
        with self.lock:
            at = now_iso()
            count = self.db.execute(
                "SELECT COUNT(*) FROM updates WHERE case_id = ?", (case_id,)
            ).fetchone()[0]
            update_id = f"{case_id}-U{count + 1}"
            self.db.execute(
                "INSERT INTO updates (update_id, case_id, status, external_status_code,"
                " description, updated_datetime) VALUES (?, ?, ?, ?, ?, ?)",
                (update_id, case_id, status, external_status_code, description, at),
            )
            self.db.execute(
                "UPDATE cases SET status = ?, updated_at = ? WHERE case_id = ?",
                (status, at, case_id),
            )
            row = self.db.execute(
                "SELECT * FROM updates WHERE update_id = ? ORDER BY id DESC", (update_id,)
            ).fetchone()
        return dict(row)

    def duplicate_update(self, update: dict) -> None:
        """The same update listed twice (a duplicate acknowledgement)."""
        with self.lock:
            self.db.execute(
                "INSERT INTO updates (update_id, case_id, status, external_status_code,"
                " description, updated_datetime) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    update["update_id"],
                    update["case_id"],
                    update["status"],
                    update["external_status_code"],
                    update["description"],
                    update["updated_datetime"],
                ),
            )

    def mark_pushed(self, row_id: int, error: str) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE updates SET pushed = ?, push_error = ? WHERE id = ?",
                (0 if error else 1, error[:500], row_id),
            )

    def updates(self, *, start: str = "", end: str = "", jurisdiction: str = "") -> list[dict]:
        query = "SELECT u.*, c.reference FROM updates u JOIN cases c USING (case_id) WHERE 1=1"
        params: list[str] = []
        if jurisdiction:
            query += " AND c.jurisdiction_id = ?"
            params.append(jurisdiction)
        if start:
            query += " AND u.updated_datetime >= ?"
            params.append(start)
        if end:
            query += " AND u.updated_datetime <= ?"
            params.append(end)
        with self.lock:
            rows = self.db.execute(query + " ORDER BY u.id", params).fetchall()
        return [dict(row) for row in rows]

    def unpushed(self) -> list[dict]:
        with self.lock:
            rows = self.db.execute(
                "SELECT u.*, c.reference, c.channel, c.jurisdiction_id"
                " FROM updates u JOIN cases c USING (case_id)"
                " WHERE u.pushed = 0 AND c.channel = 'webhook' ORDER BY u.id LIMIT 200"
            ).fetchall()
        return [dict(row) for row in rows]

    def due_for_progress(self, older_than: str) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(
                "SELECT * FROM cases WHERE status != 'closed' AND updated_at <= ? LIMIT 500",
                (older_than,),
            ).fetchall()

    def stats(self) -> dict:
        with self.lock:
            one = self.db.execute
            cases = one("SELECT COUNT(*) FROM cases").fetchone()[0]
            receipts = one("SELECT COUNT(*) FROM receipts").fetchone()[0]
            references = one("SELECT COUNT(DISTINCT reference) FROM cases").fetchone()[0]
            repeated = one(
                "SELECT COUNT(*) FROM (SELECT reference FROM cases GROUP BY reference"
                " HAVING COUNT(*) > 1)"
            ).fetchone()[0]
            updates = one("SELECT COUNT(*) FROM updates").fetchone()[0]
            unpushed = one("SELECT COUNT(*) FROM updates WHERE pushed = 0").fetchone()[0]
            by_status = dict(one("SELECT status, COUNT(*) FROM cases GROUP BY status").fetchall())
        return {
            "cases": cases,
            "receipts": receipts,
            "repeat_receipts": receipts - cases,
            "distinct_references": references,
            "references_with_more_than_one_case": repeated,
            "updates": updates,
            "updates_not_pushed": unpushed,
            "cases_by_status": by_status,
        }


def _case_json(row: sqlite3.Row) -> dict:
    return {
        "case_id": row["case_id"],
        "idempotency_key": row["idempotency_key"],
        "channel": row["channel"],
        "reference": row["reference"],
        "service_code": row["service_code"],
        "high_risk": bool(row["high_risk"]),
        "status": row["status"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "receive_count": row["receive_count"],
        "outcome": row["outcome"],
        "payload": json.loads(row["payload"]),
    }


def _payload(row: sqlite3.Row) -> dict:
    try:
        payload = json.loads(row["payload"])
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def contact_given(payload: dict) -> dict[str, bool]:
    """Which contact details the resident gave (never the details themselves)."""
    contact = payload.get("contact")
    contact = contact if isinstance(contact, dict) else {}
    name = contact.get("name") or payload.get("first_name") or payload.get("last_name")
    return {
        "name": bool(name),
        "email": bool(contact.get("email") or payload.get("email")),
        "phone": bool(contact.get("phone") or payload.get("phone")),
    }


def category_of(row: sqlite3.Row, payload: dict | None = None) -> str:
    payload = _payload(row) if payload is None else payload
    return str(payload.get("category") or row["service_code"] or "")


def outcome_for(row: sqlite3.Row) -> case_progress.Outcome:
    return case_progress.choose_outcome(
        number=row["id"], category=category_of(row), high_risk=bool(row["high_risk"])
    )


def summarise(row: sqlite3.Row) -> dict:
    """A case for the admin pages: what staff need to find it, no personal data (only
    ``description`` is personal: the case's own page shows it, the list never does)."""
    payload = _payload(row)
    label = payload.get("category_label") or category_of(row, payload)
    return {
        "case_id": row["case_id"],
        "reference": row["reference"],
        "channel": row["channel"],
        "borough": str(payload.get("borough_name") or row["jurisdiction_id"]),
        "category": str(label),
        "high_risk": bool(row["high_risk"]),
        "status": row["status"],
        "opened": row["created_at"],
        "updated": row["updated_at"],
        "outcome": row["outcome"],
        "receive_count": row["receive_count"],
        "contact": contact_given(payload),
        "description": str(payload.get("description") or ""),
    }


def parse_iso(value: str) -> float:
    """Seconds since the epoch of a stored time (UTC, Z)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


class CaseSystem:
    """The service: storage, failure modes, pushing updates to the portal."""

    def __init__(self, config: Config, chaos: Chaos | None = None) -> None:
        self.config = config
        self.chaos = chaos or Chaos()
        self.store = Store(config.db_path)
        self.random = random.Random(config.seed)  # noqa: S311 - chaos, not security
        self.random_lock = threading.Lock()
        self.step_lock = threading.Lock()  # one step at a time (background and admin button)
        self._stop = threading.Event()
        self._wake = threading.Event()

    def roll(self, rate: float) -> bool:
        if rate <= 0:
            return False
        with self.random_lock:
            return self.random.random() < rate

    # --- updates -------------------------------------------------------------------

    def add_update(
        self, case_id: str, status: str, description: str, external_status_code: str = ""
    ) -> dict:
        update = self.store.add_update(
            case_id=case_id,
            status=status,
            description=description,
            external_status_code=external_status_code,
        )
        self._wake.set()
        return update

    def push(self, update: dict) -> str:
        """Send one update to the portal's inbound endpoint; returns '' or the error."""
        if not self.config.portal_inbound_url:
            return "no portal URL configured"
        body = json.dumps(
            {
                "update_id": update["update_id"],
                "service_request_id": update["case_id"],
                "reference": update.get("reference", ""),
                "status": update["status"],
                "external_status_code": update["external_status_code"],
                "description": update["description"],
                "updated_datetime": update["updated_datetime"],
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        headers.update(signing.signed_headers(self.config.portal_secret, body))
        url = self.config.portal_inbound_url.replace("{borough}", update.get("jurisdiction_id", ""))
        request = urllib.request.Request(  # noqa: S310 - a configured http(s) URL
            url, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.config.push_timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}: {error.read()[:200].decode(errors='replace')}"
        except (urllib.error.URLError, OSError) as error:
            return f"{type(error).__name__}: {error}"
        return ""

    def push_pending(self) -> int:
        pushed = 0
        for update in self.store.unpushed():
            error = self.push(update)
            self.store.mark_pushed(update["id"], error)
            if error:
                logger.warning("Push of %s failed: %s", update["update_id"], error)
                break  # the portal is down: try again on the next round
            pushed += 1
        return pushed

    def progress(self) -> int:
        """Move cases on by themselves: the fast mode if set, else the paced steps."""
        if self.chaos.auto_progress_seconds > 0:
            return self._fast_progress(self.chaos.auto_progress_seconds)
        if self.chaos.pace > 0:
            return self._paced_progress(self.chaos.pace)
        return 0

    def next_step(self, case: sqlite3.Row) -> case_progress.Step | None:
        steps = case_progress.steps_for(bool(case["high_risk"]))
        if case["status"] == "closed" or case["step"] >= len(steps):
            return None
        return steps[case["step"]]

    def step_due_at(self, case: sqlite3.Row) -> float | None:
        """When the case's next step is due at the current pace (epoch seconds)."""
        step = self.next_step(case)
        if step is None or self.chaos.pace <= 0:
            return None
        return parse_iso(case["created_at"]) + step.after_hours * 3600 / self.chaos.pace

    def take_step(self, case: sqlite3.Row) -> dict | None:
        """The case's next step now; None if it has none left."""
        with self.step_lock:
            case = self.store.case(case["case_id"])  # as it is now, not as it was read
            return self._take_step(case) if case is not None else None

    def _take_step(self, case: sqlite3.Row) -> dict | None:
        step = self.next_step(case)
        if step is None:
            return None
        outcome = outcome_for(case)
        planned = case_progress.planned_update(
            step,
            case_id=case["case_id"],
            outcome=outcome,
            contact_given=any(contact_given(_payload(case)).values()),
        )
        update = self.add_update(case["case_id"], planned.status, planned.text, planned.code)
        closed = planned.status == "closed"
        self.store.set_step(case["case_id"], case["step"] + 1, outcome.label if closed else "")
        logger.info("Case %s moved on: %s", case["case_id"], planned.code)
        return update

    def _paced_progress(self, pace: float) -> int:
        longest = max(len(case_progress.STANDARD_STEPS), len(case_progress.HIGH_RISK_STEPS))
        now = time.time()
        moved = 0
        for case in self.store.open_for_steps(longest):
            due = self.step_due_at(case)
            if due is not None and due <= now:
                self.take_step(case)
                moved += 1
        return moved

    def _fast_progress(self, seconds: float) -> int:
        """received -> in_progress -> closed, one step per interval (tests, benchmark)."""
        cutoff = (
            datetime.fromtimestamp(time.time() - seconds, UTC)
            .replace(microsecond=0)
            .isoformat()
            .replace("+00:00", "Z")
        )
        moved = 0
        for case in self.store.due_for_progress(cutoff):
            if case["status"] == "received":
                step = case_progress.FAST_IN_PROGRESS
                self.add_update(case["case_id"], step.status, step.text, step.code)
            else:
                outcome = outcome_for(case)
                self.add_update(case["case_id"], "closed", outcome.closing, outcome.code)
                self.store.set_step(case["case_id"], case["step"], outcome.label)
            moved += 1
        return moved

    def background(self) -> None:
        while not self._stop.is_set():
            try:
                self.progress()
                self.push_pending()
            except Exception:  # noqa: BLE001 - keep the loop alive, log the cause
                logger.exception("Background round failed")
            self._wake.wait(1.0)
            self._wake.clear()

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.background, name="casesystem-bg", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()


class Drop(Exception):
    """Close the connection without answering."""


class Handler(BaseHTTPRequestHandler):
    server_version = "ReferenceCaseSystem/1.0"
    protocol_version = "HTTP/1.1"
    # Keep-alive connections: send the body at once rather than after the client's
    # delayed ACK of the headers (about 40 ms a response), as production servers do.
    disable_nagle_algorithm = True
    system: CaseSystem  # set on the subclass made by make_server

    # --- plumbing ------------------------------------------------------------------

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        logger.debug("%s " + format, self.address_string(), *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _html(self, status: int, text: str) -> None:
        self._send(
            status,
            text.encode(),
            "text/html; charset=utf-8",
            {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain; charset=utf-8", {"Location": location})

    def _json(self, status: int, data) -> None:
        self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _open311(self, status: int, fmt: str, root: str, item: str, rows: list[dict]) -> None:
        if fmt == "xml":
            top = ET.Element(root)
            for row in rows:
                element = ET.SubElement(top, item)
                for key, value in row.items():
                    ET.SubElement(element, key).text = "" if value is None else str(value)
            body = (
                b'<?xml version="1.0" encoding="utf-8"?>'
                + ET.tostring(top, encoding="unicode").encode()
            )
            self._send(status, body, "text/xml; charset=utf-8")
        else:
            self._json(status, rows)

    def _open311_error(self, status: int, fmt: str, description: str) -> None:
        self._open311(
            status, fmt, "errors", "error", [{"code": status, "description": description}]
        )

    def _drop(self) -> None:
        self.close_connection = True
        raise Drop

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            if path.startswith("/open311/v2/"):
                self._open311_route(method, path[len("/open311/v2/") :], query)
            elif path == "/webhook/cases" and method == "POST":
                self._webhook()
            elif path.startswith("/admin/"):
                self._admin(method, path[len("/admin/") :], query)
            elif path == "/healthz":
                self._json(200, {"ok": True})
            elif path == "/" and method == "GET":
                self._redirect("/admin/cases")
            else:
                self._json(404, {"error": "not found"})
        except Drop:
            with contextlib.suppress(OSError):
                self.connection.shutdown(2)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._route("POST")

    # --- chaos -----------------------------------------------------------------------

    def _before_store(self) -> bool:
        """True if the request was answered with a failure already."""
        if self.system.roll(self.system.chaos.fail_rate):
            self._json(500, {"error": "simulated failure"})
            return True
        return False

    def _after_store(self, case: sqlite3.Row, created: bool) -> None:
        chaos = self.system.chaos
        if created:  # the case system's id only: never the resident's details
            logger.info("Case %s received over %s", case["case_id"], case["channel"])
        if created and self.system.roll(chaos.duplicate_ack_rate):
            update = self.system.add_update(
                case["case_id"], "received", "Your report has been logged.", "acknowledged"
            )
            self.system.store.duplicate_update(update)
        if self.system.roll(chaos.drop_rate):
            self._drop()
        if self.system.roll(chaos.slow_rate):
            time.sleep(chaos.slow_seconds)

    # --- Open311 -----------------------------------------------------------------------

    def _open311_route(self, method: str, resource: str, query: dict) -> None:
        name, _, fmt = resource.rpartition(".")
        if fmt not in ("json", "xml"):
            self._open311_error(404, "json", "Give a format: .json or .xml")
            return
        if method == "POST" and name == "requests":
            self._open311_post(fmt)
        elif method == "GET" and name.startswith("tokens/"):
            self._open311_token(fmt, name[len("tokens/") :], query)
        elif method == "GET" and name.startswith("requests/"):
            self._open311_request(fmt, name[len("requests/") :])
        elif method == "GET" and name == "servicerequestupdates":
            self._open311_updates(fmt, query)
        else:
            self._open311_error(404, fmt, "Unknown resource")

    def _check_key(self, key: str, fmt: str) -> bool:
        expected = self.system.config.open311_key
        if expected and not secrets.compare_digest(key or "", expected):
            self._open311_error(403, fmt, "Invalid api_key")
            return False
        return True

    def _open311_post(self, fmt: str) -> None:
        form = parse_qs(self._body().decode("utf-8"), keep_blank_values=True)
        fields = {k: v[-1] for k, v in form.items()}
        if not self._check_key(fields.get("api_key", ""), fmt):
            return
        if not fields.get("service_code"):
            self._open311_error(400, fmt, "service_code was not provided")
            return
        key = fields.get("attribute[idempotency_key]") or secrets.token_hex(16)
        if self._before_store():
            return
        payload = {k: (v if len(v) > 1 else v[0]) for k, v in form.items() if k != "api_key"}
        case, created = self.system.store.receive(
            idempotency_key=key,
            channel="open311",
            reference=fields.get("attribute[portal_reference]", ""),
            service_code=fields["service_code"],
            jurisdiction_id=fields.get("jurisdiction_id", ""),
            high_risk=fields.get("attribute[high_risk]") == "true",
            payload=payload,
            token_mode=self.system.chaos.token_mode,
        )
        self._after_store(case, created)
        if case["token"]:
            row = {"token": case["token"]}
        else:
            row = {"service_request_id": case["case_id"], "service_notice": "", "account_id": None}
        self._open311(200, fmt, "service_requests", "request", [row])

    def _open311_token(self, fmt: str, token: str, query: dict) -> None:
        if not self._check_key(query.get("api_key", ""), fmt):
            return
        case = self.system.store.by_token(token)
        if case is None:
            self._open311_error(404, fmt, "Unknown token")
            return
        row = {"service_request_id": case["case_id"], "token": token}
        self._open311(200, fmt, "service_requests", "request", [row])

    def _open311_request(self, fmt: str, case_id: str) -> None:
        case = self.system.store.case(case_id)
        if case is None:
            self._open311_error(404, fmt, "Unknown service_request_id")
            return
        row = {
            "service_request_id": case["case_id"],
            "status": OPEN311_STATUS.get(case["status"], "open"),
            "service_code": case["service_code"],
            "requested_datetime": case["created_at"],
            "updated_datetime": case["updated_at"],
        }
        self._open311(200, fmt, "service_requests", "request", [row])

    def _open311_updates(self, fmt: str, query: dict) -> None:
        if not self._check_key(query.get("api_key", ""), fmt):
            return
        start = _iso_z(query.get("start_date", ""))
        end = _iso_z(query.get("end_date", ""))
        rows = [
            {
                "update_id": u["update_id"],
                "service_request_id": u["case_id"],
                "status": OPEN311_STATUS.get(u["status"], "open"),
                "updated_datetime": u["updated_datetime"],
                "description": u["description"],
                "external_status_code": u["external_status_code"] or u["status"],
                "media_url": "",
            }
            for u in self.system.store.updates(
                start=start, end=end, jurisdiction=query.get("jurisdiction_id", "")
            )
        ]
        self._open311(200, fmt, "service_request_updates", "request_update", rows)

    # --- webhook -----------------------------------------------------------------------

    def _webhook(self) -> None:
        body = self._body()
        secret = self.system.config.webhook_secret
        if not signing.verify(
            secret,
            self.headers.get(signing.TIMESTAMP_HEADER, ""),
            body,
            self.headers.get(signing.SIGNATURE_HEADER, ""),
            max_skew=300,
        ):
            self._json(401, {"error": "bad signature"})
            return
        key = self.headers.get(signing.IDEMPOTENCY_HEADER, "")
        if not key:
            self._json(400, {"error": "Idempotency-Key header required"})
            return
        try:
            document = json.loads(body)
        except ValueError:
            self._json(400, {"error": "invalid JSON"})
            return
        if self._before_store():
            return
        case, created = self.system.store.receive(
            idempotency_key=key,
            channel="webhook",
            reference=str(document.get("reference", "")),
            service_code=str(document.get("category", "")),
            jurisdiction_id=str(document.get("borough_code", "")),
            high_risk=bool(document.get("high_risk")),
            payload=document,
            token_mode=False,
        )
        self._after_store(case, created)
        self._json(200 if not created else 201, {"case_id": case["case_id"], "created": created})

    # --- admin -------------------------------------------------------------------------

    def _admin(self, method: str, resource: str, query: dict) -> None:
        parts = resource.strip("/").split("/")
        if parts == ["stats"] and method == "GET":
            self._json(200, self.system.store.stats())
        elif parts in ([""], ["cases"]) and method == "GET":
            self._admin_list(query.get("reference", ""))
        elif parts == ["cases.json"] and method == "GET":
            self._json(200, self.system.store.cases(reference=query.get("reference", "")))
        elif len(parts) == 2 and parts[0] == "cases" and method == "GET":
            self._admin_case(parts[1])
        elif len(parts) == 3 and parts[0] == "cases" and parts[2] == "advance" and method == "POST":
            self._admin_advance(parts[1])
        elif len(parts) == 3 and parts[0] == "cases" and parts[2] == "status" and method == "POST":
            self._admin_status(parts[1])
        elif parts == ["control"]:
            if method == "POST":
                try:
                    self.system.chaos.update(json.loads(self._body() or b"{}"))
                except (ValueError, TypeError) as error:
                    self._json(400, {"error": str(error)})
                    return
            self._json(200, asdict(self.system.chaos))
        elif parts == ["push"] and method == "POST":
            self._json(200, {"pushed": self.system.push_pending()})
        else:
            self._json(404, {"error": "not found"})

    def _admin_list(self, reference: str) -> None:
        rows = self.system.store.rows(reference=reference, limit=500)
        chaos = self.system.chaos
        self._html(
            200,
            casesystem_admin.case_list(
                [summarise(row) for row in rows],
                pace=chaos.pace,
                fast_seconds=chaos.auto_progress_seconds,
            ),
        )

    def _admin_case(self, case_id: str) -> None:
        case = self.system.store.case(case_id)
        if case is None:
            self._html(404, casesystem_admin.not_found())
            return
        step = self.system.next_step(case)
        due = self.system.step_due_at(case)
        self._html(
            200,
            casesystem_admin.case_detail(
                summarise(case),
                self.system.store.case_updates(case_id),
                next_step=case_progress.STEP_LABELS.get(step.code, step.code) if step else "",
                due=casesystem_admin.when_epoch(due) if due else "when staff take it",
            ),
        )

    def _admin_advance(self, case_id: str) -> None:
        self._body()
        case = self.system.store.case(case_id)
        if case is None:
            self._html(404, casesystem_admin.not_found())
            return
        self.system.take_step(case)
        self._redirect(f"/admin/cases/{case_id}")

    def _admin_status(self, case_id: str) -> None:
        case = self.system.store.case(case_id)
        if case is None:
            self._json(404, {"error": "unknown case"})
            return
        try:
            data = json.loads(self._body() or b"{}")
        except ValueError:
            self._json(400, {"error": "invalid JSON"})
            return
        status = str(data.get("status", ""))
        if status not in OPEN311_STATUS:
            self._json(400, {"error": f"status must be one of {sorted(OPEN311_STATUS)}"})
            return
        update = self.system.add_update(
            case_id,
            status,
            str(data.get("description", "")),
            str(data.get("external_status_code", "")),
        )
        if status == "closed" and not case["outcome"]:
            self.system.store.set_step(case_id, case["step"], "Closed by staff")
        self._json(201, update)


def _iso_z(value: str) -> str:
    """Query dates as stored (UTC, Z); '' if missing or unreadable."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        """A client that gave up (timeout) is expected here: log it quietly."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            logger.debug("Client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)


def make_server(
    host: str, port: int, config: Config, chaos: Chaos | None = None
) -> tuple[Server, CaseSystem]:
    system = CaseSystem(config, chaos)
    handler = type("BoundHandler", (Handler,), {"system": system})
    return Server((host, port), handler), system
