"""Helpers for benchmarks: a throwaway portal (own database and cache) served on loopback."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
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


# A load client: a callable making one GET (True for a 200 answer; OSError or
# HTTPException when the connection failed), and one that closes it.
Client = tuple[Callable[[], bool], Callable[[], None]]


def _load(
    path: str, make_client: Callable[[], Client], *, concurrency: int, seconds: float
) -> LoadResult:
    """``concurrency`` clients GET as fast as they can for ``seconds``; every latency kept.
    A client whose connection failed is closed and made again."""
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        get, close = make_client()
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                ok = get()
            except (OSError, http.client.HTTPException):  # requests' errors are OSErrors
                failed += 1
                close()
                get, close = make_client()
                continue
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        close()
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


def load(base_url: str, path: str, *, concurrency: int, seconds: float) -> LoadResult:
    """``concurrency`` keep-alive clients GET ``path`` for ``seconds``; every latency kept."""
    host, port = base_url.removeprefix("http://").split(":")

    def make_client() -> Client:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)

        def get() -> bool:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status == 200

        return get, connection.close

    return _load(path, make_client, concurrency=concurrency, seconds=seconds)


def load_sessions(
    url: str, *, make_session: Callable[[], Any], concurrency: int, seconds: float
) -> LoadResult:
    """Like :func:`load`, with ``concurrency`` keep-alive ``requests`` sessions (so that
    a comparison with the residents' flow has the same client on both sides)."""

    def make_client() -> Client:
        session = make_session()

        def get() -> bool:
            return session.get(url, timeout=30, allow_redirects=False).status_code == 200

        return get, session.close

    return _load(urlsplit(url).path, make_client, concurrency=concurrency, seconds=seconds)


def cpu_seconds(pids: list[int] | None = None) -> float:
    """CPU time used so far: by the given processes, or by the whole machine (busy time)."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pids is None:
        with open("/proc/stat") as stat:
            user, nice, system, _idle, _iowait, irq, softirq = (
                int(v) for v in stat.readline().split()[1:8]
            )
        return (user + nice + system + irq + softirq) / ticks
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def process_tree(root: int) -> dict[int, str]:
    """``root`` and every process below it now: pid -> command line."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                commands[int(entry)] = cmdline.read().replace(b"\0", b" ").decode().strip()
        except (OSError, ValueError):
            continue
    tree = {root}
    grew = True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(below)
        tree |= below
    return {pid: commands.get(pid, "") for pid in tree}


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
