"""The shared rate limiter: counts are atomic across threads and connections."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

import throttling
from throttling import limits
from throttling.models import Counter

ROOT = Path(__file__).resolve().parents[2]


def _request(ip: str = "192.0.2.1"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_allows_up_to_the_limit_then_refuses():
    request = _request()
    assert [throttling.allow(request, scope="t", limit=3) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert throttling.remaining(request, scope="t", limit=3) == 0
    assert throttling.allow(_request("192.0.2.2"), scope="t", limit=3)  # another address
    assert throttling.allow(request, scope="other", limit=3)  # another scope


@pytest.mark.django_db
def test_a_key_is_limited_from_every_address():
    for n in range(3):
        assert throttling.allow(_request(f"192.0.2.{n}"), scope="t", limit=3, key="ASB-1")
    assert not throttling.allow(_request("198.51.100.9"), scope="t", limit=3, key="ASB-1")
    assert throttling.allow(_request("198.51.100.9"), scope="t", limit=3, key="ASB-2")


@pytest.mark.django_db
def test_nothing_personal_is_stored():
    throttling.allow(_request("203.0.113.77"), scope="find", limit=3, key="ada@example.com")
    keys = " ".join(Counter.objects.values_list("key", flat=True))
    assert "203.0.113.77" not in keys and "ada" not in keys


@pytest.mark.database("sqlite")  # its own SQLite file: the embedded default's stage
def test_counts_are_atomic_across_processes_on_a_sqlite_file(tmp_path):
    """The embedded default: four processes count 50 hits each on one SQLite file (WAL,
    as in production): none is lost (a read-then-write counter loses some)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.throttling.race", "4", "50"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["200", "0"]


@pytest.mark.database("postgresql")  # on SQLite the processes above prove it
@pytest.mark.django_db(transaction=True)
def test_counts_are_atomic_across_concurrent_connections():
    """Eight threads, each on its own database connection, count 25 hits each: none is
    lost. (SQLite's in-memory test database is shared by threads without waiting.)"""
    errors: list[BaseException] = []

    def count() -> None:
        try:
            for _ in range(25):
                limits.hit("race", "who")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert limits.count("race", "who") == 200


@pytest.mark.django_db
def test_expired_counters_are_purged_by_the_scheduled_command():
    limits.hit("t", "who")
    Counter.objects.create(key="old", count=3, expires_at=timezone.now() - timezone.timedelta(1))
    call_command("purge_rate_limits", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Counter.objects.values_list("key", flat=True)) != []
    assert not Counter.objects.filter(key="old").exists()
