"""A locked or lost database is a 503 with a plain retry message, and the resident's
answers survive it (portal/outage.py). Real locks and a real lost connection, held from
another connection to the test database: on SQLite a write lock on a file database with a
short busy timeout, on PostgreSQL a table lock with lock_timeout and pg_terminate_backend.
"""

from __future__ import annotations

import sqlite3

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from reporting.models import Report
from tests.reporting.conftest import FLOW_ANSWERS, fill_flow

RETRY_WORDS = "Sorry, the service is busy"
TYPED = FLOW_ANSWERS["details"]["description"]


# Tests of one database's own failures run in that stage of bin/test only (deselected in
# the other, not skipped).
SQLITE_ONLY = pytest.mark.database("sqlite")  # SQLite's database lock
POSTGRES_ONLY = pytest.mark.database("postgresql")  # PostgreSQL's locks and backends


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """The default connection moved, for one test, to a file copy of the (in-memory) test
    database, with a busy timeout of 0.2 s: so another connection can lock it."""
    path = tmp_path / "portal.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    saved = {**connection.settings_dict, "OPTIONS": dict(connection.settings_dict["OPTIONS"])}
    connection.connection = None  # kept in ``memory``: the in-memory database lives on
    connection.settings_dict["NAME"] = str(path)
    connection.settings_dict["OPTIONS"]["timeout"] = 0.2
    yield path
    connection.close()
    connection.settings_dict.update(saved)
    connection.connection = memory


class SqliteWriter:
    """Another process's connection holding SQLite's write lock (BEGIN IMMEDIATE)."""

    def __init__(self, path) -> None:
        self.db = sqlite3.connect(path, timeout=0, isolation_level=None)

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc) -> None:
        self.db.execute("ROLLBACK")
        self.db.close()


def assert_retry_page(response) -> None:
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert RETRY_WORDS in body and "try again" in body
    assert "Traceback" not in body and "locked" not in body


@SQLITE_ONLY
def test_send_report_while_the_database_is_locked_is_a_503_and_keeps_the_answers(
    file_database,
):
    client = Client(raise_request_exception=False)
    fill_flow(client)
    with SqliteWriter(file_database):
        response = client.post("/report/check/", {"website": ""})
    assert_retry_page(response)
    assert not Report.objects.exists()
    # The lock is gone: the same answers are still there, and sending works.
    assert TYPED in client.get("/report/check/").content.decode()
    response = client.post("/report/check/", {"website": ""})
    assert response.status_code == 302 and response["Location"] == "/report/sent/"
    assert Report.objects.get().description == TYPED


@SQLITE_ONLY
def test_a_step_whose_session_cannot_be_saved_is_a_503_not_a_500(file_database):
    """The view answered; saving the session after it met the lock (handler500)."""
    client = Client(raise_request_exception=False)
    fill_flow(client, until="details")
    with SqliteWriter(file_database):
        response = client.post("/report/step/details/", FLOW_ANSWERS["details"])
    assert_retry_page(response)
    response = client.post("/report/step/details/", FLOW_ANSWERS["details"])  # sent again
    assert response.status_code == 302
    assert client.session["reporting_flow"]["answers"]["details"]["description"] == TYPED


@SQLITE_ONLY
def test_programs_get_the_503_in_their_own_format(file_database):
    """Open311 clients get JSON or XML, with Retry-After, when filing meets the lock."""
    import xml.etree.ElementTree as ET

    from reporting.forwarding.services import issue_open311_key
    from tests.local_services import POINTS

    key = issue_open311_key(name="Outage test")[1]
    lat, lon = POINTS["E09000012"]
    form = {
        "api_key": key,
        "service_code": "noise",
        "lat": str(lat),
        "long": str(lon),
        "description": "Music from the flat above every night.",
        "attribute[qualifier]": "nuisance",
    }
    client = Client(raise_request_exception=False)
    with SqliteWriter(file_database):
        as_json = client.post("/open311/v2/requests.json", form)
        as_xml = client.post("/open311/v2/requests.xml", form)
    assert as_json.status_code == as_xml.status_code == 503
    assert as_json["Retry-After"] == as_xml["Retry-After"] == "30"
    assert as_json.json()["error"] == "service_unavailable"
    root = ET.fromstring(as_xml.content)  # noqa: S314 - our own output
    assert root.find("error/code").text == "503"
    assert "try again" in root.find("error/description").text
    assert client.post("/open311/v2/requests.json", form).status_code == 200


# --- PostgreSQL -----------------------------------------------------------------------------


def _other_connection():
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def _terminate_django_connection() -> None:
    """End the server process behind Django's connection, as a restart or failover would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # waits until it is gone


@pytest.fixture
def postgres(transactional_db):
    yield
    close_old_connections()
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


@POSTGRES_ONLY
def test_send_report_under_a_lock_timeout_is_a_503_and_keeps_the_answers(postgres):
    client = Client(raise_request_exception=False)
    fill_flow(client)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    other = _other_connection()
    with other.transaction():
        other.execute("LOCK TABLE reporting_report IN EXCLUSIVE MODE")  # reads go on
        response = client.post("/report/check/", {"website": ""})
    other.close()
    assert_retry_page(response)
    assert not Report.objects.exists()
    assert TYPED in client.get("/report/check/").content.decode()
    response = client.post("/report/check/", {"website": ""})
    assert response.status_code == 302 and response["Location"] == "/report/sent/"
    assert Report.objects.get().description == TYPED


@POSTGRES_ONLY
def test_a_lost_connection_is_a_503_and_the_next_request_reconnects(postgres):
    client = Client(raise_request_exception=False)
    fill_flow(client)
    _terminate_django_connection()
    response = client.post("/report/check/", {"website": ""})
    assert_retry_page(response)
    close_old_connections()  # what Django does when a request ends
    response = client.post("/report/check/", {"website": ""})
    assert response.status_code == 302 and response["Location"] == "/report/sent/"
    assert Report.objects.get().description == TYPED


@POSTGRES_ONLY
def test_a_lost_connection_on_an_api_is_a_json_503(postgres):
    client = Client(raise_request_exception=False)
    _terminate_django_connection()
    response = client.get("/map/data/areas.json")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["error"] == "service_unavailable"


# --- what counts as an outage -----------------------------------------------------------------


def test_only_outages_become_503s(db):
    """A missing table is a bug, not an outage: it stays a 500."""
    from django.db import DatabaseError

    from portal.outage import is_database_outage

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    except DatabaseError as error:
        assert not is_database_outage(error)
    assert not is_database_outage(ValueError("database is locked"))
    assert not is_database_outage(None)
