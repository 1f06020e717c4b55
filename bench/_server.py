"""Helpers for benchmarks: a throwaway portal (own database and cache) served on loopback."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devtools.loopback import free_port  # noqa: E402


def bench_environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "PORTAL_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


@contextmanager
def portal_server(env: dict[str, str], threads: int = 8) -> Iterator[str]:
    """Run waitress with the portal; yields the base URL."""
    port = free_port()
    # The server's output goes to a file: a pipe nobody reads would fill up and stall it.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "waitress-serve"),
            f"--listen=127.0.0.1:{port}",
            f"--threads={threads}",
            "--connection-limit=200",
            "portal.wsgi_dev:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get_status("127.0.0.1", port, "/healthz") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                log.seek(0)
                raise RuntimeError("The portal did not start: " + log.read().decode())
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def get_status(host: str, port: int, path: str) -> int:
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index]


def load(base_url: str, path: str, *, concurrency: int, seconds: float) -> LoadResult:
    """``concurrency`` keep-alive clients GET ``path`` for ``seconds``; every latency kept."""
    host, port = base_url.removeprefix("http://").split(":")
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                    continue
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(concurrency)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    return LoadResult(path, len(latencies), errors, elapsed, latencies)


@contextmanager
def scratch_dir(keep: bool = False) -> Iterator[Path]:
    if keep:
        path = Path(tempfile.mkdtemp(prefix="asb-bench-"))
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="asb-bench-") as name:
        yield Path(name)


def recreate_postgres_database(database_url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database (never the portal's)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("asb_bench"):
        raise SystemExit("Refusing to recreate a database whose name does not start with asb_bench")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
