"""The same tasks on a real broker: Redis through RQ (django-tasks-rq), tested once.

Redis runs on these machines (127.0.0.1:6379). If it is not running, the test starts a
private redis-server on a free port; it is skipped only if no Redis can exist here."""

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
REPORTS = 40
REDIS_DB = 13  # this test's own database on the shared server: flushed before use


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url(tmp_path):
    if _redis_up(6379):
        url = f"redis://127.0.0.1:6379/{REDIS_DB}"
        process = None
    else:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("Redis is not running on 127.0.0.1:6379 and redis-server is not installed")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen(
            [binary, "--port", str(port), "--save", "", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if _redis_up(port):
                break
            time.sleep(0.1)
        url = f"redis://127.0.0.1:{port}/{REDIS_DB}"
    import redis

    redis.Redis.from_url(url).flushdb()
    yield url
    redis.Redis.from_url(url).flushdb()
    if process is not None:
        process.terminate()
        process.wait(timeout=10)


def test_deliveries_run_on_redis_through_rq(tmp_path, redis_url):
    env = {
        **os.environ,
        "CHAOS_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tests.forwarding.rq_settings",
        "RQ_REDIS_URL": redis_url,
    }
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "tests.forwarding.broker_run", str(REPORTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["delivered"] == REPORTS
    assert result["cases"] == result["distinct_references"] == REPORTS
    assert result["retried"] > 0  # failures were retried through RQ's scheduler
    assert result["receipts"] >= REPORTS
    assert result["jobs_run_by_rq"] >= REPORTS
