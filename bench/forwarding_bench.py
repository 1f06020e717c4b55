"""Benchmark: delivering reports to the reference case system through the real queue.

Sets up a throwaway portal database (its own SQLite file, or --database-url), makes a
backlog of deliveries while the case system is down (an outage), then starts the
reference case system and ``manage.py db_worker`` processes and measures:

* the time to drain the whole backlog (10,000 deliveries by default) once the outage ends;
* deliveries per second over the drain, and in steady state (the middle 80 %).

    .venv/bin/python bench/forwarding_bench.py [--deliveries 10000] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/asb_bench_forwarding]

The PostgreSQL database named there is dropped and created afresh (its name must start
with asb_bench). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._server import free_port, recreate_postgres_database  # noqa: E402

PYTHON = sys.executable
SETTINGS = "tests.forwarding.chaos_settings"  # file database, database queue, short timers
SECRET = "bench-" + secrets.token_hex(8)


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def make_backlog(count: int, case_url: str) -> None:
    """Reports and their deliveries, enqueued, as if written during an outage."""
    from django.db import transaction
    from django.utils import timezone

    from reporting import ids
    from reporting.forwarding.models import AdapterKind, CaseSystemConfig, Delivery
    from reporting.forwarding.tasks import send_delivery
    from reporting.models import Report

    config = CaseSystemConfig.objects.create(
        borough_code="E09000012",
        kind=AdapterKind.WEBHOOK,
        endpoint_url=f"{case_url}/webhook/cases",
        credential_env="BENCH_WEBHOOK_SECRET",
    )
    now = timezone.now()
    for start in range(0, count, 1000):
        with transaction.atomic():
            reports = Report.objects.bulk_create(
                [
                    Report(
                        reference=f"ASB-{n:04d}-{n // 10000:04d}"[:16],
                        token_hash=secrets.token_hex(32),
                        tracking_nonce=ids.new_nonce(),
                        category="noise",
                        qualifier="nuisance",
                        latitude=51.545,
                        longitude=-0.0553,
                        location_source="map",
                        borough_code="E09000012",
                        description=f"Benchmark report {n}",
                    )
                    for n in range(start, min(count, start + 1000))
                ]
            )
            deliveries = Delivery.objects.bulk_create(
                [
                    Delivery(
                        report=report,
                        config=config,
                        borough_code=config.borough_code,
                        kind=config.kind,
                        next_attempt_at=now,
                        enqueued_at=now,
                    )
                    for report in reports
                ]
            )
            for delivery in deliveries:
                send_delivery.enqueue(delivery.pk)


def delivered_count() -> int:
    from reporting.forwarding.models import Delivery, DeliveryState

    return Delivery.objects.filter(state=DeliveryState.DELIVERED).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="asb-bench-forwarding-"))
    env = {
        **os.environ,
        "CHAOS_DIR": str(directory),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "BENCH_WEBHOOK_SECRET": SECRET,
        "CASE_SYSTEM_WEBHOOK_SECRET": SECRET,
    }
    env.pop("DATABASE_URL", None)
    if options.database_url:
        recreate_postgres_database(options.database_url)
        env["CHAOS_DATABASE_URL"] = options.database_url
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database: {options.database_url or directory / 'portal.sqlite3'}")
    call_command("migrate", verbosity=0)
    port = free_port()
    case_url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    make_backlog(options.deliveries, case_url)
    print(f"Backlog: {options.deliveries} deliveries queued in {time.monotonic() - started:.1f}s")

    processes = []
    logs = open(directory / "processes.log", "ab")  # noqa: SIM115 - closed at the end
    try:
        processes.append(
            subprocess.Popen(
                [
                    PYTHON,
                    "manage.py",
                    "run_case_system",
                    "--port",
                    str(port),
                    "--db",
                    str(directory / "casesystem.sqlite3"),
                ],
                cwd=ROOT,
                env=env,
                stdout=logs,
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(f"{case_url}/healthz")
        print("Outage over: the case system is up; starting workers")
        outage_over = time.monotonic()
        for number in range(options.workers):
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "manage.py",
                        "db_worker",
                        "--interval",
                        "0.05",
                        "--no-startup-delay",
                        "--worker-id",
                        f"bench-{number}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=logs,
                    stderr=subprocess.STDOUT,
                )
            )
        marks: list[tuple[float, int]] = []
        while True:
            done = delivered_count()
            marks.append((time.monotonic(), done))
            if done >= options.deliveries:
                break
            time.sleep(0.5)
        drained = marks[-1][0] - outage_over
        low, high = options.deliveries * 0.1, options.deliveries * 0.9
        t_low = next(t for t, n in marks if n >= low)
        t_high = next(t for t, n in marks if n >= high)
        steady = (high - low) / max(t_high - t_low, 1e-9)
        with urllib.request.urlopen(f"{case_url}/admin/stats", timeout=10) as response:  # noqa: S310
            stats = response.read().decode()
        print(f"Workers: {options.workers}")
        print(
            f"Drain of {options.deliveries} deliveries after the outage: {drained:.1f}s "
            f"(includes worker start-up)"
        )
        print(f"Deliveries per second over the drain: {options.deliveries / drained:.1f}")
        print(f"Deliveries per second, steady state (10%-90%): {steady:.1f}")
        print(f"Case system: {stats}")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        logs.close()


if __name__ == "__main__":
    main()
