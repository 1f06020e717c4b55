"""Benchmark: how fast the one outbox drains a backlog, against the raw rate of the
reference case system, in one run.

1. **Raw rate**: plain ``requests.post`` in a loop (a new connection each time, as a
   simple client would) of signed webhook cases to the reference case system.
2. **Drain**: a backlog of 10,000 messages, written while the workers were stopped (an
   outage), mixed as real reports make them: per report, one case to the borough's case
   system (signed webhook), one email to the borough's ASB inbox, one to the SN team and
   the acknowledgement to the resident, the emails going over SMTP to the local sink.
   Then the workers of the README's production setup start (``--workers`` of them, each
   ``manage.py rqworker ... --worker-class rq.worker.SimpleWorker`` on Redis, or
   ``manage.py db_worker`` with ``--tasks database``), under the production settings, and
   the time until every message is delivered is taken. Everything runs on this machine.

    .venv/bin/python bench/outbox_bench.py                    # SQLite, database queue
    .venv/bin/python bench/outbox_bench.py --tasks rq \\
        --database-url postgres://postgres@127.0.0.1:5432/asb_bench_outbox

The PostgreSQL database named is dropped and created afresh (its name must start with
asb_bench). Prints figures; asserts nothing. Goals (issue 11): the drain rate at least half
the raw rate, and 10,000 drained in under 60 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
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

from bench._server import cpu_seconds, recreate_postgres_database  # noqa: E402
from devtools.loopback import free_port, wait_for  # noqa: E402

PYTHON = sys.executable
HACKNEY = "E09000012"
SECRET = "bench-" + secrets.token_hex(8)
BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


def raw_rate(case_url: str, count: int) -> float:
    """Signed webhook posts with plain requests in a loop: the case system's own pace."""
    import requests

    from reporting.outbox.adapters import signing

    started = time.perf_counter()
    for number in range(count):
        body = json.dumps(
            {"reference": f"RAW-{number}", "borough_code": HACKNEY, "description": "raw"}
        ).encode()
        headers = {
            "Content-Type": "application/json",
            signing.IDEMPOTENCY_HEADER: secrets.token_hex(16),
            **signing.signed_headers(SECRET, body),
        }
        response = requests.post(
            f"{case_url}/webhook/cases", data=body, headers=headers, timeout=10
        )
        response.raise_for_status()
    return count / (time.perf_counter() - started)


def make_backlog(messages: int, case_url: str) -> int:
    """Reports with their messages, posted while no worker runs; returns the count."""
    from django.db import transaction

    from reporting import ids
    from reporting.messages import for_new_report
    from reporting.models import Report, ReportContact
    from reporting.outbox.models import AdapterKind, CaseSystemConfig, Message
    from reporting.outbox.services import Outgoing, post
    from reporting.routing import route_borough

    CaseSystemConfig.objects.create(
        borough_code=HACKNEY,
        kind=AdapterKind.WEBHOOK,
        endpoint_url=f"{case_url}/webhook/cases",
        credential_env="BENCH_WEBHOOK_SECRET",
    )
    route = route_borough(HACKNEY)
    per_report = 4
    for start in range(0, messages // per_report, 500):
        with transaction.atomic():
            reports = Report.objects.bulk_create(
                [
                    Report(
                        reference=ids.new_reference(),
                        token_hash=secrets.token_hex(32),
                        tracking_nonce=ids.new_nonce(),
                        category="noise",
                        qualifier="nuisance",
                        latitude=51.545,
                        longitude=-0.0553,
                        location_source="map",
                        borough_code=HACKNEY,
                        team_name="Hackney Central",
                        description=f"Benchmark report {n}: music all night.",
                    )
                    for n in range(start, min(messages // per_report, start + 500))
                ]
            )
            ReportContact.objects.bulk_create(
                [
                    ReportContact(report=r, name="Resident", email=f"r{r.pk}@example.org")
                    for r in reports
                ]
            )
            rows = []
            for report in reports:
                items = for_new_report(report, route)
                items.append(
                    Outgoing(
                        kind="team_new_report",
                        report=report,
                        recipient="hackney-central.snt@met.police.invalid",
                    )
                )
                rows += items
            post(rows)  # as the report flow posts them; their drains wait for a worker
    return Message.objects.count()


def worker_command(backend: str, name: str) -> list[str]:
    """A worker as the README's production setup runs it."""
    if backend == "rq":
        return [
            *(PYTHON, "manage.py", "rqworker", "default", "--with-scheduler"),
            *("--worker-class", "rq.worker.SimpleWorker", "--job-class", "django_tasks_rq.Job"),
            *("--name", name),
        ]
    return [PYTHON, "manage.py", "db_worker", "--interval", "0.1", "--worker-id", name]


def delivered() -> int:
    from reporting.outbox.models import Message, State

    return Message.objects.filter(state=State.DELIVERED).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--raw", type=int, default=1000, help="posts for the raw rate")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--tasks", choices=["database", "rq"], default="database")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    options = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="asb-bench-outbox-"))
    smtp_port, sink_http, case_port = free_port(), free_port(), free_port()
    database_url = options.database_url or f"sqlite:///{directory / 'portal.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "PORTAL_VAR_DIR": str(directory),
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": (
            "django_tasks_rq.RQBackend"
            if options.tasks == "rq"
            else "django_tasks_db.DatabaseBackend"
        ),
        "RQ_REDIS_URL": options.redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "OUTBOX_DRAINERS": str(options.workers),
        "BENCH_WEBHOOK_SECRET": SECRET,
        "CASE_SYSTEM_WEBHOOK_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
    }
    tools_env = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    if options.database_url:
        recreate_postgres_database(options.database_url)
    if options.tasks == "rq":
        import redis

        redis.Redis.from_url(options.redis_url).flushdb()
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reporting.outbox import tasks

    call_command("migrate", verbosity=0)
    print(f"Database: {connection.vendor}; task queue: {options.tasks}; workers: {options.workers}")
    case_url = f"http://127.0.0.1:{case_port}"
    logs = open(directory / "processes.log", "ab")  # noqa: SIM115 - closed at the end
    processes: list[subprocess.Popen] = []

    def start(args: list[str], environment: dict) -> subprocess.Popen:
        process = subprocess.Popen(args, cwd=ROOT, env=environment, stdout=logs, stderr=logs)
        processes.append(process)
        return process

    try:
        start(
            [PYTHON, "manage.py", "run_case_system", "--port", str(case_port),
             "--db", str(directory / "casesystem.sqlite3")],
            tools_env,
        )  # fmt: skip
        start(
            [PYTHON, "manage.py", "run_smtp_sink", "--port", str(smtp_port),
             "--http-port", str(sink_http), "--db", str(directory / "mail.sqlite3")],
            tools_env,
        )  # fmt: skip
        wait_for(f"{case_url}/healthz")
        wait_for(f"http://127.0.0.1:{sink_http}/healthz")

        rate = raw_rate(case_url, options.raw)
        print(f"Raw rate, plain requests in a loop to the case system: {rate:.0f} posts/s")

        began = time.monotonic()
        total = make_backlog(options.messages, case_url)
        print(f"Backlog: {total} messages written in {time.monotonic() - began:.1f}s")

        for number in range(options.workers):
            start(worker_command(options.tasks, f"bench-{number}"), env)
        time.sleep(3)  # the workers start up (the outage is over when they are ready)
        outage_over = time.monotonic()
        workers = [p.pid for p in processes[2:]]
        servers = [p.pid for p in processes[:2]]
        cpu_before = cpu_seconds(), cpu_seconds(workers), cpu_seconds(servers)
        tasks.kick()  # what the scheduler's sweep does within 30 s
        marks: list[tuple[float, int]] = []
        while True:
            done = delivered()
            marks.append((time.monotonic(), done))
            if done >= total:
                break
            if time.monotonic() - outage_over > 900:
                raise RuntimeError(f"only {done} of {total} delivered after 15 minutes")
            time.sleep(0.25)
        drained = marks[-1][0] - outage_over
        cpu_after = cpu_seconds(), cpu_seconds(workers), cpu_seconds(servers)
        machine, in_workers, in_servers = (
            1000 * (after - before) / total
            for after, before in zip(cpu_after, cpu_before, strict=True)
        )
        low, high = total * 0.1, total * 0.9
        t_low = next(t for t, n in marks if n >= low)
        t_high = next(t for t, n in marks if n >= high)
        steady = (high - low) / max(t_high - t_low, 1e-9)
        drain_rate = total / drained
        with urllib.request.urlopen(f"{case_url}/admin/stats", timeout=10) as response:  # noqa: S310
            cases = json.loads(response.read())
        with urllib.request.urlopen(f"http://127.0.0.1:{sink_http}/stats", timeout=10) as response:  # noqa: S310
            mail = json.loads(response.read())
        print(f"Drain of {total} messages: {drained:.1f}s")
        print(f"Drain rate: {drain_rate:.0f} messages/s (steady 10%-90%: {steady:.0f}/s)")
        print(
            f"CPU per message: {machine:.2f} ms on the machine, of which {in_workers:.2f} ms "
            f"in the workers, {in_servers:.2f} ms in the case system and mail sink "
            f"(the rest: the database, the task queue, the kernel); {os.cpu_count()} cores"
        )
        print(f"Drain rate / raw rate: {drain_rate / rate:.2f} (goal: at least 0.5)")
        print(
            f"Case system: {cases['cases'] - options.raw} cases from the outbox "
            f"({cases['references_with_more_than_one_case']} references with more than one); "
            f"mail sink: {mail['messages']} accepted, {mail['duplicate_message_ids']} duplicates"
        )
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
