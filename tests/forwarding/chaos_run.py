"""The chaos scenario, run as its own process by tests/forwarding/test_chaos.py.

    CHAOS_DIR=/tmp/x DJANGO_SETTINGS_MODULE=tests.forwarding.chaos_settings \\
        python -m tests.forwarding.chaos_run --reports 1000

What happens, all for real and over loopback:

* the reference case system runs as a process with random failures (HTTP 500, answers
  past the timeout, dropped connections, duplicate acknowledgements) and moves every case
  on (received -> in progress -> closed) by itself;
* the portal runs under waitress, so webhook case systems can push their updates to the
  inbound endpoint; Open311 updates are fetched by polling;
* ``manage.py db_worker`` processes send the deliveries and are killed with SIGKILL and
  restarted every few seconds, mid-delivery;
* this process files the reports (submit_report + create_deliveries in one transaction,
  as the report flow does) and runs the sweep and the poll, as the scheduler would.

At the end it prints one JSON line with what it counted: the test asserts on it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BOROUGHS = {
    # ONS code: (adapter, base point)
    "E09000022": ("open311", (51.4607, -0.1163)),  # Lambeth: Open311, polled
    "E09000012": ("webhook", (51.5450, -0.0553)),  # Hackney: webhook, pushes updates
}
SECRETS = {
    "CHAOS_OPEN311_KEY": "chaos-open311-key",
    "CASE_SYSTEM_OPEN311_KEY": "chaos-open311-key",
    "CHAOS_WEBHOOK_SECRET": "chaos-webhook-secret",
    "CASE_SYSTEM_WEBHOOK_SECRET": "chaos-webhook-secret",
    "CHAOS_INBOUND_SECRET": "chaos-inbound-secret",
    "CASE_SYSTEM_PORTAL_SECRET": "chaos-inbound-secret",
}


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


class Processes:
    def __init__(self, env: dict[str, str], directory: Path) -> None:
        self.env = env
        self.directory = directory
        self.workers: list[subprocess.Popen] = []
        self.logs: dict[int, Path] = {}
        self.others: list[subprocess.Popen] = []
        self.kills = 0
        self.started = 0

    def start(self, args: list[str], name: str) -> subprocess.Popen:
        out = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    def start_worker(self) -> None:
        self.started += 1
        worker = self.start(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--interval",
                "0.05",
                "--no-startup-delay",
                "--worker-id",
                f"chaos-{self.started}",
            ],
            f"worker-{self.started}",
        )
        self.logs[worker.pid] = self.directory / f"worker-{self.started}.log"
        self.workers.append(worker)

    def working(self, worker: subprocess.Popen) -> bool:
        """Started up and already ran a task: killing it now is killing it mid-work."""
        log_file = self.logs[worker.pid]
        return (
            worker.poll() is None
            and log_file.exists()
            and b"state=RUNNING" in (log_file.read_bytes())
        )

    def kill_a_worker(self, rng: random.Random) -> None:
        alive = [w for w in self.workers if self.working(w)]
        if len(alive) < 2:
            return  # workers are slow to start on a busy machine: keep one working
        victim = rng.choice(alive)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.kills += 1
        self.workers.remove(victim)

    def stop_all(self) -> None:
        for process in self.workers + self.others:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers + self.others:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def recreate_postgres(url: str) -> None:
    """A fresh PostgreSQL database for the scenario (its name must end in _chaos)."""
    import psycopg
    from dj_database_url import parse

    name = parse(url)["NAME"]
    if not name.endswith("_chaos"):
        raise ValueError(f"Refusing to recreate {name!r}: the name must end in _chaos")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_portal(case_url: str) -> None:
    from django.core.management import call_command

    from reporting.forwarding.models import AdapterKind, CaseSystemConfig

    call_command("migrate", verbosity=0)
    CaseSystemConfig.objects.create(
        borough_code="E09000022",
        kind=AdapterKind.OPEN311,
        endpoint_url=f"{case_url}/open311/v2/",
        jurisdiction_id="E09000022",
        credential_env="CHAOS_OPEN311_KEY",
        inbound_secret_env="CHAOS_INBOUND_SECRET",
        poll_updates=True,
    )
    CaseSystemConfig.objects.create(
        borough_code="E09000012",
        kind=AdapterKind.WEBHOOK,
        endpoint_url=f"{case_url}/webhook/cases",
        credential_env="CHAOS_WEBHOOK_SECRET",
        inbound_secret_env="CHAOS_INBOUND_SECRET",
    )


def file_reports(count: int, rng: random.Random, between, *, batch: int = 10) -> list[str]:
    """File reports as the flow does (report and delivery rows in one transaction); a few
    reports share a transaction here so that filing does not starve on SQLite's lock."""
    from django.db import transaction

    from geography.boundaries import borough_for
    from reporting.drafts import ContactDetails, ReportDraft
    from reporting.forwarding.services import create_deliveries
    from reporting.services import submit_report

    references: list[str] = []
    drafts: list = []
    codes = list(BOROUGHS)
    for number in range(count):
        code = codes[number % len(codes)]
        lat, lon = BOROUGHS[code][1]
        jittered = (lat + rng.uniform(-0.006, 0.006), lon + rng.uniform(-0.006, 0.006))
        if borough_for(*jittered) == code:
            lat, lon = jittered
        draft = ReportDraft(
            category=rng.choice(["noise", "rowdy-inconsiderate", "littering-drugs"]),
            qualifier=rng.choice(["nuisance", "environmental", "personal"]),
            description=f"Chaos report {number}: loud music and shouting late at night.",
            latitude=lat,
            longitude=lon,
            screening={"how_often": rng.choice(["first", "few", "weekly", "daily"])},
            contact=ContactDetails(name=f"Resident {number}", email=f"r{number}@example.org"),
        )
        drafts.append(draft)
        if len(drafts) == batch or number == count - 1:
            with transaction.atomic():
                for pending in drafts:
                    submitted = submit_report(draft=pending)
                    create_deliveries(report=submitted.report)
                    references.append(submitted.report.reference)
            drafts = []
        between(number)
    return references


def snapshot(case_db: Path) -> dict:
    from reporting.forwarding.models import Delivery, DeliveryState, InboundUpdate

    with sqlite3.connect(f"file:{case_db}?mode=ro", uri=True, timeout=30) as db:
        cases = db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
        update_ids = db.execute("SELECT COUNT(DISTINCT update_id) FROM updates").fetchone()[0]
        open_cases = db.execute("SELECT COUNT(*) FROM cases WHERE status != 'closed'").fetchone()[0]
    return {
        "delivered": Delivery.objects.filter(state=DeliveryState.DELIVERED).count(),
        "deliveries": Delivery.objects.count(),
        "cases": cases,
        "open_cases": open_cases,
        "case_updates": update_ids,
        "updates_applied": InboundUpdate.objects.count(),
    }


def verify(case_db: Path, references: list[str]) -> dict:
    """Everything the test asserts, counted at both ends."""
    from reporting.forwarding.models import CallbackSurvey, Delivery, DeliveryAttempt
    from reporting.models import Report, ReportEvent, Status

    with sqlite3.connect(f"file:{case_db}?mode=ro", uri=True, timeout=30) as db:
        cases = db.execute("SELECT reference, case_id, jurisdiction_id FROM cases").fetchall()
        receipts = db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
        updates = db.execute(
            "SELECT DISTINCT u.update_id, c.reference, c.jurisdiction_id"
            " FROM updates u JOIN cases c USING (case_id)"
        ).fetchall()
        duplicated_updates = db.execute(
            "SELECT COUNT(*) FROM (SELECT update_id FROM updates GROUP BY update_id"
            " HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    cases_per_reference: dict[str, int] = {}
    for reference, _, _ in cases:
        cases_per_reference[reference] = cases_per_reference.get(reference, 0) + 1
    deliveries = {d.report.reference: d for d in Delivery.objects.select_related("report").all()}
    case_id_mismatch = sum(
        1
        for reference, case_id, _ in cases
        if reference in deliveries and deliveries[reference].external_id != case_id
    )
    # every update the case system made is on the timeline of the report it is about
    report_ids = dict(Report.objects.values_list("reference", "pk"))
    events = set(
        ReportEvent.objects.filter(external_id__startswith="case:").values_list(
            "report_id", "external_id"
        )
    )
    missing_updates = [
        update_id
        for update_id, reference, borough in updates
        if (report_ids.get(reference), f"case:{borough}:{update_id}") not in events
    ]
    return {
        "reports": Report.objects.count(),
        "reports_filed": len(references),
        "cases": len(cases),
        "distinct_references_at_case_system": len(cases_per_reference),
        "references_with_more_than_one_case": sum(1 for n in cases_per_reference.values() if n > 1),
        "reports_without_a_case": sum(1 for r in references if r not in cases_per_reference),
        "receipts_at_case_system": receipts,
        "deliveries": len(deliveries),
        "delivered": sum(1 for d in deliveries.values() if d.state == "delivered"),
        "case_id_mismatch": case_id_mismatch,
        "attempts": DeliveryAttempt.objects.count(),
        "attempts_failed": DeliveryAttempt.objects.exclude(outcome="delivered").count(),
        "attempts_after_worker_died": Delivery.objects.filter(attempts__gt=1).count(),
        "case_updates": len(updates),
        "duplicated_update_acks": duplicated_updates,
        "case_events_on_timelines": len(events),
        "updates_missing_from_timelines": len(missing_updates),
        "reports_closed": Report.objects.filter(status=Status.CLOSED).count(),
        "callback_surveys": CallbackSurvey.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kill-every", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=2011)
    options = parser.parse_args()

    directory = Path(os.environ["CHAOS_DIR"])
    env = {**os.environ, **SECRETS, "PYTHONUNBUFFERED": "1"}
    os.environ.update(SECRETS)
    if os.environ.get("CHAOS_DATABASE_URL"):
        recreate_postgres(os.environ["CHAOS_DATABASE_URL"])
    import django

    django.setup()
    from reporting.forwarding.polling import poll_all
    from reporting.forwarding.services import sweep

    rng = random.Random(options.seed)  # noqa: S311 - chaos, not security
    case_port, portal_port = free_port(), free_port()
    case_url = f"http://127.0.0.1:{case_port}"
    case_db = directory / "casesystem.sqlite3"
    processes = Processes(env, directory)
    started = time.monotonic()
    try:
        setup_portal(case_url)
        log(f"migrated in {time.monotonic() - started:.0f}s")
        processes.others.append(
            processes.start(
                [
                    PYTHON,
                    "manage.py",
                    "run_case_system",
                    "--port",
                    str(case_port),
                    "--db",
                    str(case_db),
                    "--fail-rate",
                    "0.15",
                    "--slow-rate",
                    "0.03",
                    "--slow-seconds",
                    "1.5",
                    "--drop-rate",
                    "0.05",
                    "--duplicate-ack-rate",
                    "0.05",
                    "--auto-progress",
                    "2",
                    "--seed",
                    str(options.seed),
                    "--portal-url",
                    f"http://127.0.0.1:{portal_port}/api/case-updates/{{borough}}/",
                ],
                "casesystem",
            )
        )
        processes.others.append(
            processes.start(
                [
                    PYTHON,
                    "-m",
                    "waitress",
                    "--listen",
                    f"127.0.0.1:{portal_port}",
                    "--threads",
                    "4",
                    "portal.wsgi:application",
                ],
                "portal",
            )
        )
        wait_for(f"{case_url}/healthz")
        wait_for(f"http://127.0.0.1:{portal_port}/healthz")
        for _ in range(options.workers):
            processes.start_worker()

        chaos = {"last_kill": time.monotonic(), "last_sweep": time.monotonic(), "stalled": 0}

        def sweep_and_poll() -> None:
            chaos["stalled"] += sweep().requeued_stalled
            poll_all()

        def housekeeping(_number: int = 0, *, force: bool = False) -> None:
            now = time.monotonic()
            if force or now - chaos["last_kill"] >= options.kill_every:
                chaos["last_kill"] = now
                processes.kill_a_worker(rng)
                while len([w for w in processes.workers if w.poll() is None]) < options.workers:
                    processes.start_worker()
            if force or now - chaos["last_sweep"] >= 2.0:
                chaos["last_sweep"] = now
                sweep_and_poll()

        filing = time.monotonic()
        references = file_reports(options.reports, rng, housekeeping)
        log(f"filed {len(references)} reports in {time.monotonic() - filing:.0f}s")

        # Keep killing workers for a while after filing, then let the system settle.
        deadline = time.monotonic() + options.timeout
        chaos_until = time.monotonic() + 20
        while time.monotonic() < deadline:
            if time.monotonic() < chaos_until:
                housekeeping()
            else:
                sweep_and_poll()
            state = snapshot(case_db)
            log(json.dumps(state))
            if (
                state["delivered"] == state["deliveries"] == options.reports
                and state["open_cases"] == 0
                and state["updates_applied"] >= state["case_updates"]
                and time.monotonic() >= chaos_until
            ):
                break
            time.sleep(1.0)
        result = verify(case_db, references)
        result["worker_kills"] = processes.kills
        result["stalled_deliveries_requeued"] = chaos["stalled"]
        result["workers_started"] = processes.started
        result["seconds"] = round(time.monotonic() - started)
    finally:
        processes.stop_all()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
