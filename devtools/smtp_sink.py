"""A local SMTP sink: a real SMTP server that keeps every message it accepts, and can fail.

The portal sends email (to borough inboxes, SN teams and residents) through its outbox. The
tests, the benchmark and the demo point it at this sink instead of a real mail server: it
speaks real SMTP on loopback (``aiosmtpd``, asyncio, in a thread of its own), so the portal's
sending code runs exactly as in production, with no mocks. Started in-process with
``make_sink(...)`` (a pytest fixture) or as its own process by ``manage.py run_smtp_sink``.

It accepts any sender and any recipient: no authentication, no TLS, no size or content
rules beyond aiosmtpd's own (32 MiB, RFC line length). Each accepted message is stored once
per recipient in a SQLite file (``MailStore``, table ``messages``): the ``Message-ID``
header as sent (angle brackets included), envelope sender and recipient, subject, all
headers (JSON list of ``[name, value]``), the plain-text body decoded (``\\n`` line ends),
the raw bytes and when it arrived (UTC). Refusals are counted per kind in table
``refusals``.

Failure modes (``SinkChaos``; given at start or changed at run time with ``POST /control``;
the rates are shares between 0 and 1, drawn from a ``random.Random(seed)``):

* ``temp_fail_rate``: the message is answered ``451 4.3.0`` at the end of DATA and not
  stored (a client must try again later);
* ``drop_rate``: after the DATA content has arrived the connection is closed without an
  answer, nothing stored (the client cannot know whether the mail went; smtplib raises
  ``SMTPServerDisconnected``);
* ``slow_rate`` / ``slow_seconds``: the message is stored but the final ``250`` comes only
  after ``slow_seconds`` (other connections go on meanwhile: it is an ``asyncio.sleep``);
  past the client's timeout this makes a sender re-send mail that was in fact delivered;
* ``reject_pattern``: recipients matching this regular expression (case-insensitive,
  ``re.search``) get ``550 5.1.1 <addr>: mailbox unavailable`` at RCPT TO, a permanent
  failure; the other recipients of the same message are accepted.

``GET /stats`` counts accepted deliveries and how many Message-IDs were accepted more than
once for the same recipient (``duplicate_message_ids``): that is how "sent exactly once" is
checked. The HTTP control and inspection server (its own port, ``http.server``):

* ``GET /healthz`` -> ``ok``; ``GET /stats`` -> JSON;
* ``GET /messages.json?to=ADDR&message_id=ID&limit=N`` -> JSON list (oldest first, no raw);
* ``GET /control`` -> the chaos as JSON; ``POST /control`` with a JSON object of chaos
  fields changes them (all or nothing) and returns the chaos; bad input gets a plain 400;
* ``POST /clear`` empties the store (messages and refusal counts);
* ``GET /`` -> an HTML page of the latest 200 messages, bodies folded in ``<details>``,
  for a developer running the demo.

Logging: one INFO line per message (outcome, Message-ID, number of recipients), never
addresses or bodies; aiosmtpd's own per-command INFO logging (logger ``mail.log``) is
turned down to WARNING unless a level was set for it already.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.header
import email.parser
import email.policy
import html
import json
import logging
import math
import random
import re
import socket
import sqlite3
import threading
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

logger = logging.getLogger("smtp_sink")

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL DEFAULT '',
    mail_from TEXT NOT NULL DEFAULT '',
    rcpt TEXT NOT NULL COLLATE NOCASE,
    subject TEXT NOT NULL DEFAULT '',
    headers TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL DEFAULT '',
    raw BLOB NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_rcpt ON messages (rcpt);
CREATE INDEX IF NOT EXISTS messages_message_id ON messages (message_id);
CREATE TABLE IF NOT EXISTS refusals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    recipients INTEGER NOT NULL DEFAULT 1,
    at TEXT NOT NULL
);
"""

REFUSAL_KINDS = ("temp_failed", "dropped", "rejected")
TEMP_FAIL_REPLY = "451 4.3.0 Temporary failure (SMTP sink chaos), try again later"
ACCEPT_REPLY = "250 2.0.0 OK: message accepted"
BANNER_HOSTNAME = "smtp-sink.localhost"
MAX_CONTROL_BODY = 64 * 1024
# A dropped connection's handler waits here until aiosmtpd cancels it (at once, see drop()).
DROP_WAIT_SECONDS = 30.0


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- chaos ---------------------------------------------------------------------------


@dataclass
class SinkChaos:
    """The failure modes; thread-safe (``update`` from the HTTP threads, reads from SMTP)."""

    temp_fail_rate: float = 0.0
    drop_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 5.0
    reject_pattern: str = ""
    seed: int | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)  # noqa: S311 - chaos, not security
        self._reject: re.Pattern[str] | None = None
        self.update({f.name: getattr(self, f.name) for f in fields(self)})

    def update(self, values: dict) -> None:
        """Change some fields; ValueError (and nothing changed) if one is wrong."""
        if not isinstance(values, dict):
            raise ValueError("Expected a JSON object of chaos settings")
        cleaned = {name: _clean_setting(name, value) for name, value in values.items()}
        with self._lock:
            for name, value in cleaned.items():
                setattr(self, name, value)
            if "reject_pattern" in cleaned:
                pattern = cleaned["reject_pattern"]
                self._reject = re.compile(pattern, re.IGNORECASE) if pattern else None
            if "seed" in cleaned:
                self._random.seed(cleaned["seed"])

    def as_dict(self) -> dict:
        with self._lock:
            return asdict(self)

    def roll(self, rate_name: str) -> bool:
        """True for a share ``rate_name`` of the calls; draws nothing when the rate is 0."""
        with self._lock:
            rate = getattr(self, rate_name)
            return rate > 0 and self._random.random() < rate

    def rejects(self, address: str) -> bool:
        with self._lock:
            return self._reject is not None and self._reject.search(address) is not None


def _clean_setting(name: str, value: Any) -> Any:
    if name not in {f.name for f in fields(SinkChaos)}:
        raise ValueError(f"Unknown setting {name!r}")
    if name == "reject_pattern":
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError("reject_pattern must be a string (a regular expression)")
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"reject_pattern is not a valid regular expression: {error}") from None
        return value
    if name == "seed":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError("seed must be an integer or null")
        try:
            return int(value)
        except ValueError:
            raise ValueError("seed must be an integer or null") from None
    # the numbers: the rates and slow_seconds
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name} must be a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number")
    if name.endswith("_rate") and not 0 <= number <= 1:
        raise ValueError(f"{name} must be between 0 and 1")
    if name == "slow_seconds" and not 0 <= number <= 3600:
        raise ValueError("slow_seconds must be between 0 and 3600")
    return number


# --- messages ------------------------------------------------------------------------


@dataclass
class ParsedMessage:
    message_id: str
    subject: str
    headers: list[list[str]]
    body: str
    raw: bytes


def parse_message(raw: bytes) -> ParsedMessage:
    """What the store keeps of a message; never fails (a broken message keeps its raw)."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        raw_message_id = ""
        for name, value in message.raw_items():
            if name.lower() == "message-id":
                raw_message_id = re.sub(r"\r?\n[ \t]*", " ", value).strip()
                break
        headers = [[name, str(value)] for name, value in message.items()]
        subject = str(message.get("Subject", ""))
        return ParsedMessage(raw_message_id, subject, headers, _plain_body(message), raw)
    except Exception:  # noqa: BLE001 - any odd message is still accepted and kept raw
        logger.debug("Could not parse a message", exc_info=True)
        return ParsedMessage("", "", [], "", raw)


def quick_parse(raw: bytes) -> ParsedMessage:
    """Only the Message-ID and subject, read from the headers alone (cheap: the sink must
    keep up with the portal under load); the rest is parsed when someone reads it."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
        message_id = re.sub(r"\r?\n[ \t]*", " ", str(headers.get("Message-ID", ""))).strip()
        subject = str(
            email.header.make_header(email.header.decode_header(headers["Subject"] or ""))
        )
        return ParsedMessage(message_id, subject, [], "", raw)
    except Exception:  # noqa: BLE001 - fall back to the full parse, which never fails
        return parse_message(raw)


def _plain_body(message: email.message.EmailMessage) -> str:
    """The text/plain body (the first one), decoded, with ``\n`` line ends; '' if none."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError, AttributeError):  # unknown charset or odd encoding
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")


class MailStore:
    """The messages, behind one lock: sqlite3 with one connection shared by the threads."""

    def __init__(self, path: str) -> None:
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def add(self, message: ParsedMessage, mail_from: str, rcpts: list[str]) -> None:
        """One row per recipient, in one transaction."""
        at = now_iso()
        headers = json.dumps(message.headers)
        raw = message.raw
        rows = [
            (message.message_id, mail_from, rcpt, message.subject, headers, message.body, raw, at)
            for rcpt in rcpts
        ]
        with self.lock:
            self.db.execute("BEGIN")
            try:
                self.db.executemany(
                    "INSERT INTO messages (message_id, mail_from, rcpt, subject, headers, body,"
                    " raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def refuse(self, kind: str, message_id: str = "", recipients: int = 1) -> None:
        if kind not in REFUSAL_KINDS:
            raise ValueError(f"Unknown refusal kind {kind!r}")
        with self.lock:
            self.db.execute(
                "INSERT INTO refusals (kind, message_id, recipients, at) VALUES (?, ?, ?, ?)",
                (kind, message_id, recipients, now_iso()),
            )

    def messages(
        self, to: str | None = None, message_id: str | None = None, limit: int | None = None
    ) -> list[dict]:
        """Stored deliveries, oldest first, without the raw bytes; ``limit``: the latest N."""
        query = (
            "SELECT id, message_id, mail_from, rcpt, subject, headers, body, received_at, raw"
            " FROM messages WHERE 1=1"
        )
        params: list[Any] = []
        if to:
            query += " AND rcpt = ?"
            params.append(to)
        if message_id:
            query += " AND message_id = ?"
            params.append(message_id)
        query += " ORDER BY id DESC"
        if limit is not None:
            query += " LIMIT ?"
            params.append(limit)
        with self.lock:
            rows = self.db.execute(query, params).fetchall()
        return [self._row(row) for row in reversed(rows)]

    @staticmethod
    def _row(row: sqlite3.Row) -> dict:
        """A stored delivery, its headers and body parsed now if they were not then."""
        item = dict(row)
        raw = item.pop("raw")
        item["headers"] = json.loads(item["headers"])
        if not item["headers"] and raw:
            parsed = parse_message(raw)
            item["headers"], item["body"] = parsed.headers, parsed.body
        return item

    def raw(self, row_id: int) -> bytes | None:
        with self.lock:
            row = self.db.execute("SELECT raw FROM messages WHERE id = ?", (row_id,)).fetchone()
        return None if row is None else bytes(row["raw"])

    def stats(self) -> dict:
        with self.lock:
            one = self.db.execute
            messages = one("SELECT COUNT(*) FROM messages").fetchone()[0]
            distinct = one(
                "SELECT COUNT(DISTINCT message_id) FROM messages WHERE message_id != ''"
            ).fetchone()[0]
            duplicated = one(
                "SELECT COUNT(DISTINCT message_id) FROM (SELECT message_id FROM messages"
                " WHERE message_id != '' GROUP BY message_id, rcpt HAVING COUNT(*) > 1)"
            ).fetchone()[0]
            refused = dict(
                one("SELECT kind, SUM(recipients) FROM refusals GROUP BY kind").fetchall()
            )
        return {
            "messages": messages,
            "distinct_message_ids": distinct,
            "duplicate_message_ids": duplicated,
            **{kind: refused.get(kind, 0) for kind in REFUSAL_KINDS},
        }

    def clear(self) -> None:
        with self.lock:
            self.db.execute("DELETE FROM messages")
            self.db.execute("DELETE FROM refusals")

    def close(self) -> None:
        with self.lock:
            self.db.close()


# --- SMTP ----------------------------------------------------------------------------


class SinkHandler:
    """aiosmtpd handler hooks (called on the SMTP thread's event loop)."""

    def __init__(self, store: MailStore, chaos: SinkChaos) -> None:
        self.store = store
        self.chaos = chaos

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options
    ) -> str:
        if self.chaos.rejects(address):
            self.store.refuse("rejected")
            envelope.sink_rejected = getattr(envelope, "sink_rejected", 0) + 1
            logger.debug("RCPT refused by reject_pattern")
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        # With a handle_RCPT hook, accepting the recipient is the hook's job.
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        message = quick_parse(raw)
        rcpts = list(envelope.rcpt_tos)
        mail_from = envelope.mail_from or ""
        refused = getattr(envelope, "sink_rejected", 0)
        summary = f"{message.message_id or '(no Message-ID)'} to {len(rcpts)} recipient(s)"
        if refused:
            summary += f" ({refused} refused at RCPT)"
        if self.chaos.roll("temp_fail_rate"):
            self.store.refuse("temp_failed", message.message_id, len(rcpts))
            logger.info("451 temp-failed %s", summary)
            return TEMP_FAIL_REPLY
        if self.chaos.roll("drop_rate"):
            self.store.refuse("dropped", message.message_id, len(rcpts))
            logger.info("dropped connection for %s", summary)
            return await self.drop(server)
        self.store.add(message, mail_from, rcpts)
        if self.chaos.roll("slow_rate"):
            seconds = self.chaos.slow_seconds
            logger.info("250 accepted %s, answering after %.1f s", summary, seconds)
            await asyncio.sleep(seconds)
        else:
            logger.info("250 accepted %s", summary)
        return ACCEPT_REPLY

    async def drop(self, server: SMTP) -> str:
        """Close the connection without answering.

        Returning from handle_DATA always makes aiosmtpd write the returned status, so the
        hook closes the transport and then never returns: ``transport.close()`` schedules
        ``SMTP.connection_lost``, which cancels the connection's handler task, and so this
        coroutine, while it waits here. The client reads end-of-file instead of a reply.
        """
        assert server.transport is not None
        server.transport.close()
        await asyncio.sleep(DROP_WAIT_SECONDS)
        return "421 4.3.0 Connection dropped"  # never reached in practice; written nowhere

    async def handle_exception(self, error: Exception) -> str:
        logger.exception("SMTP sink handler failed")
        return "451 4.3.0 Internal error in the SMTP sink"


class SinkController(Controller):
    """aiosmtpd's Controller, able to listen on port 0.

    ``Controller.start()`` connects once to ``(hostname, port)`` to make aiosmtpd build its
    SMTP protocol; with port 0 that would be port 0. The real port is known by then (the
    server is listening), so it is read from the listening socket first.
    """

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None and self.server.sockets:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


# --- HTTP ----------------------------------------------------------------------------


class BadRequest(Exception):
    """Answered 400 with the message as plain text."""


class ControlHandler(BaseHTTPRequestHandler):
    server_version = "SMTPSink/1.0"
    protocol_version = "HTTP/1.1"
    sink: Sink  # set on the subclass made by Sink.start

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        logger.debug("%s " + format, self.address_string(), *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json; charset=utf-8")

    def _text(self, status: int, text: str) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8")

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadRequest("Bad Content-Length") from None
        if not 0 <= length <= MAX_CONTROL_BODY:
            raise BadRequest("Request body too large")
        return self.rfile.read(length) if length else b""

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            self._dispatch(method, parts.path, query)
        except BadRequest as error:
            self._text(400, f"{error}\n")
        except Exception:  # noqa: BLE001 - log it, answer without a traceback
            logger.exception("SMTP sink HTTP request failed")
            self._text(500, "Internal error\n")

    def _dispatch(self, method: str, path: str, query: dict[str, str]) -> None:
        sink = self.sink
        if path == "/healthz" and method == "GET":
            self._text(200, "ok")
        elif path == "/stats" and method == "GET":
            self._json(200, sink.store.stats())
        elif path == "/messages.json" and method == "GET":
            limit = query.get("limit")
            if limit is not None and not limit.isdigit():
                raise BadRequest("limit must be a whole number")
            rows = sink.store.messages(
                to=query.get("to") or None,
                message_id=query.get("message_id") or None,
                limit=int(limit) if limit is not None else None,
            )
            self._json(200, rows)
        elif path == "/control" and method == "GET":
            self._json(200, sink.chaos.as_dict())
        elif path == "/control" and method == "POST":
            try:
                values = json.loads(self._body() or b"{}")
            except ValueError:
                raise BadRequest("The body must be a JSON object") from None
            try:
                sink.chaos.update(values)
            except ValueError as error:
                raise BadRequest(str(error)) from None
            logger.info("Chaos now %s", sink.chaos.as_dict())
            self._json(200, sink.chaos.as_dict())
        elif path == "/clear" and method == "POST":
            self._body()
            sink.store.clear()
            self._json(200, sink.store.stats())
        elif path == "/" and method == "GET":
            self._send(200, self._page().encode(), "text/html; charset=utf-8")
        else:
            self._text(404, "Not found\n")

    def _page(self) -> str:
        sink = self.sink
        esc = html.escape
        rows = []
        for row in reversed(sink.store.messages(limit=200)):
            rows.append(
                "<tr>"
                f"<td>{esc(row['received_at'])}</td>"
                f"<td>{esc(row['mail_from'])}</td>"
                f"<td>{esc(row['rcpt'])}</td>"
                f"<td>{esc(row['subject'])}"
                f"<details><summary>Body</summary><pre>{esc(row['body'])}</pre></details></td>"
                f"<td><code>{esc(row['message_id'])}</code></td>"
                "</tr>"
            )
        table = "\n".join(rows) or '<tr><td colspan="5">No messages yet.</td></tr>'
        stats = esc(json.dumps(sink.store.stats()))
        chaos = esc(json.dumps(sink.chaos.as_dict()))
        return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SMTP sink</title>
<style>
body {{ font-family: sans-serif; margin: 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .3rem; text-align: left; vertical-align: top; }}
pre {{ white-space: pre-wrap; }}
</style>
</head>
<body>
<h1>SMTP sink</h1>
<p>SMTP on port {sink.smtp_port}. Stats: <code>{stats}</code></p>
<p>Chaos: <code>{chaos}</code></p>
<table>
<caption>The latest 200 messages, newest first (one row per recipient)</caption>
<thead><tr><th scope="col">Received (UTC)</th><th scope="col">From</th><th scope="col">To</th>
<th scope="col">Subject</th><th scope="col">Message-ID</th></tr></thead>
<tbody>
{table}
</tbody>
</table>
</body>
</html>
"""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self._route("POST")


class ControlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address) -> None:
        """A client that went away is expected here: log it quietly."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (BrokenPipeError, ConnectionResetError)):
            logger.debug("Client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class ControlServer6(ControlServer):
    address_family = socket.AF_INET6


# --- the sink ------------------------------------------------------------------------


class Sink:
    """The SMTP server and its HTTP control server, each in a thread; one start/stop."""

    def __init__(
        self,
        host: str,
        smtp_port: int,
        http_port: int,
        db_path: str,
        chaos: SinkChaos | None = None,
    ) -> None:
        self.host = host
        self.smtp_port = smtp_port
        self.http_port = http_port
        self.db_path = db_path
        self.chaos = chaos or SinkChaos()
        self.store = MailStore(db_path)
        self.controller: SinkController | None = None
        self.http_server: ControlServer | None = None
        self._http_thread: threading.Thread | None = None

    @property
    def http_url(self) -> str:
        return f"http://{self._url_host()}:{self.http_port}"

    @property
    def smtp_url(self) -> str:
        return f"smtp://{self._url_host()}:{self.smtp_port}"

    def _url_host(self) -> str:
        host = self.host or "127.0.0.1"
        return f"[{host}]" if ":" in host else host

    def start(self) -> Sink:
        mail_log = logging.getLogger("mail.log")
        if mail_log.level == logging.NOTSET:
            mail_log.setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        self.controller = SinkController(
            SinkHandler(self.store, self.chaos),
            hostname=self.host,
            port=self.smtp_port,
            server_hostname=BANNER_HOSTNAME,  # else aiosmtpd calls socket.getfqdn() (DNS)
        )
        self.controller.start()
        self.smtp_port = self.controller.port
        server_class = ControlServer6 if ":" in self.host else ControlServer
        handler = type("BoundControlHandler", (ControlHandler,), {"sink": self})
        try:
            self.http_server = server_class((self.host, self.http_port), handler)
        except OSError:
            self.controller.stop()
            raise
        self.http_port = self.http_server.server_address[1]
        self._http_thread = threading.Thread(
            target=self.http_server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="smtp-sink-http",
            daemon=True,
        )
        self._http_thread.start()
        logger.info("SMTP sink on %s, control on %s", self.smtp_url, self.http_url)
        return self

    def stop(self) -> None:
        if self.http_server is not None:
            self.http_server.shutdown()
            self.http_server.server_close()
            self.http_server = None
        if self.controller is not None:
            with contextlib.suppress(AssertionError):  # not running
                self.controller.stop()
            self.controller = None
        self.store.close()

    def __enter__(self) -> Sink:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


def make_sink(
    host: str,
    smtp_port: int,
    http_port: int,
    db_path: str,
    chaos: SinkChaos | None = None,
) -> Sink:
    """A sink, not started; port 0 picks a free port (read ``smtp_port``/``http_url`` after
    ``start()``)."""
    return Sink(host, smtp_port, http_port, db_path, chaos)
