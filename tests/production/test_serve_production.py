"""The production topology, for real, on loopback: ``bin/serve-production`` (migrate,
collectstatic, gunicorn with several workers, RQ workers, the scheduler) with production
settings against a fresh PostgreSQL database and Redis, email to a local SMTP sink.

This test is the reverse proxy: it sends ``X-Forwarded-Proto: https`` from 127.0.0.1, the
``TRUSTED_PROXY``; the same headers from 127.0.0.2 (another loopback address) are
ignored. A report filed through the portal's Open311 server is stored, and its emails
leave through the RQ workers to the sink.

It starts PostgreSQL and Redis if they are down (``bin/_lib.sh``), as ``bin/test`` does.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from devtools.loopback import free_port
from devtools.smtp_sink import make_sink
from tests.production.test_settings import readme_production_environment

# Brings its own PostgreSQL database and Redis: once, in the PostgreSQL stage.
pytestmark = [pytest.mark.slow, pytest.mark.database("postgresql")]

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 12  # this test's own database on the shared Redis: flushed before use
TRUSTED, UNTRUSTED = "127.0.0.1", "127.0.0.2"
CAMDEN = (51.5455, -0.1628)  # no case system configured: email to the borough's inbox
RESIDENT = "resident@example.org"
HSTS = "max-age=31536000; includeSubDomains; preload"


def postgres_url() -> str:
    """This pass's PostgreSQL server, with a database of the test's own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/asb_portal")
    return url.rsplit("?", 1)[0] + "_prod_test"


def recreate_database(url: str) -> None:
    import psycopg
    from dj_database_url import parse

    name = parse(url)["NAME"]
    if not name.endswith("_prod_test"):
        raise ValueError(f"Refusing to recreate {name!r}: the name must end in _prod_test")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


class Portal:
    """The running topology, reached as the proxy would (or as anyone else)."""

    def __init__(self, port: int, process: subprocess.Popen, log: Path) -> None:
        self.port, self.process, self.log = port, process, log
        self.host = f"127.0.0.1:{port}"

    def request(self, method: str, path: str, *, source: str = TRUSTED, https: bool = True,
                headers: dict[str, str] | None = None, body: bytes | None = None):  # fmt: skip
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        sent = {"Host": self.host, **(headers or {})}
        if https:
            sent.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def wait_until_up(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"bin/serve-production stopped:\n{self.log.read_text()[-4000:]}")
            try:
                if self.request("GET", "/healthz", https=False)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"the portal did not come up:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the script stops its children
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def services():
    subprocess.run(
        ["bash", "-c", "source bin/_lib.sh && ensure_postgres >/dev/null && ensure_redis"],
        cwd=ROOT,
        check=True,
        timeout=600,
    )


@pytest.fixture
def sink(tmp_path):
    sink = make_sink("127.0.0.1", 0, 0, str(tmp_path / "mail.sqlite3"))
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def production(services, sink, tmp_path):
    import redis

    database_url = postgres_url()
    recreate_database(database_url)
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    port = free_port()
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHONUNBUFFERED": "1",
        **readme_production_environment(),
        # this host's values for the README's variables
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": f"https://127.0.0.1:{port}",
        "TRUSTED_PROXY": TRUSTED,
        "DATABASE_URL": database_url,
        "CACHE_URL": redis_url,
        "RQ_REDIS_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        # the script's own, sized for a small machine
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "PORTAL_WORKERS": "2",
        "PORTAL_THREADS": "2",
        "RQ_WORKERS": "2",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
    }
    log = tmp_path / "serve-production.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(ROOT / "bin" / "serve-production")],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that nothing outlives the test
        )
    portal = Portal(port, process, log)
    try:
        portal.wait_until_up(seconds=300)
        portal.environment = environment
        portal.redis = redis.Redis.from_url(redis_url)
        yield portal
    finally:
        portal.stop()


def manage(portal: Portal, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=portal.environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


def query(portal: Portal, sql: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(portal.environment["DATABASE_URL"]) as connection:
        return connection.execute(sql, params).fetchall()


def test_serve_production_behind_the_trusted_proxy(production, sink):
    portal = production

    # Through the proxy: HTTPS, so HSTS, and the public pages' strict policy.
    status, headers, body = portal.request("GET", "/report/")
    assert status == 200, body[:500]
    assert headers["Strict-Transport-Security"] == HSTS
    assert "script-src 'self';" in headers["Content-Security-Policy"] + ";"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert b"<script src=" in body

    # Anyone else saying "https" is not believed: plain HTTP, redirected, no HSTS.
    status, headers, _ = portal.request("GET", "/report/", source=UNTRUSTED)
    assert status == 301
    assert headers["Location"] == f"https://{portal.host}/report/"
    assert "Strict-Transport-Security" not in headers

    # CSRF: through the proxy, an https Origin passes the origin check; a wrong one fails.
    status, headers, body = portal.request("GET", "/admin/login/")
    assert status == 200
    assert "Secure" in headers["Set-Cookie"]
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "nobody", "password": "not-a-password"}
    ).encode()

    def log_in(origin: str, source: str = TRUSTED):
        return portal.request(
            "POST",
            "/admin/login/",
            source=source,
            body=form,
            headers={
                "Cookie": f"csrftoken={cookie}",
                "Origin": origin,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    status, _, body = log_in(f"https://{portal.host}")
    assert status == 200, body[:500]  # the form again, with its error: CSRF passed
    status, _, _ = log_in(f"http://{portal.host}")
    assert status == 403  # an http Origin on an https request: CSRF refuses it
    status, headers, _ = log_in(f"https://{portal.host}", source=UNTRUSTED)
    assert status == 301 and "Strict-Transport-Security" not in headers  # still plain HTTP

    # A report filed through the Open311 server is stored ...
    key = manage(portal, "open311_key", "production-test")
    latitude, longitude = CAMDEN
    report = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "noise",
            "lat": f"{latitude:.6f}",
            "long": f"{longitude:.6f}",
            "description": "Loud music from the flat above every night after midnight.",
            "attribute[qualifier]": "nuisance",
            "email": RESIDENT,
            "first_name": "Ada",
            "last_name": "Resident",
        }
    ).encode()
    status, headers, body = portal.request(
        "POST",
        "/open311/v2/requests.json",
        body=report,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status in (200, 201), body[:500]
    assert headers["Strict-Transport-Security"] == HSTS
    assert "Content-Security-Policy" in headers
    reference = json.loads(body)[0]["service_request_id"]
    stored = query(portal, "SELECT count(*) FROM reporting_report WHERE reference = %s", reference)
    assert stored == [(1,)]

    # ... and its emails leave through the RQ workers: the resident's acknowledgement and
    # the borough's copy (Camden has no inbox published here: the fallback inbox).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        states = dict(query(portal, "SELECT state, count(*) FROM outbox_message GROUP BY state"))
        if states and set(states) == {"delivered"}:
            break
        time.sleep(1)
    assert set(states) == {"delivered"}, states
    recipients = {message["rcpt"] for message in sink.store.messages()}
    assert RESIDENT in recipients
    assert "asb-reports@london.invalid" in recipients
    assert any(reference in message["body"] for message in sink.store.messages(to=RESIDENT))
    assert portal.redis.zcard("rq:finished:default") > 0  # run by RQ, not in the web process
