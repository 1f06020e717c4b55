"""The outbox chaos scenarios, each run as its own process by tests/outbox/test_chaos.py.

    CHAOS_DIR=/tmp/x DJANGO_SETTINGS_MODULE=tests.outbox.chaos_settings \\
        python -m tests.outbox.chaos boroughs --reports 200

Everything is real and on loopback: the SMTP sink (devtools/smtp_sink.py) and the
reference case system (devtools/casesystem.py) run as processes that fail on purpose; the
portal runs under waitress; reports are filed through its Open311 server as another
service would; worker processes of the configured task backend (``manage.py db_worker``,
or ``manage.py rqworker`` on Redis) drain the outbox and are killed with SIGKILL; this
process runs the sweep and the poll as the scheduler would, then counts at both ends.

Scenarios:

* ``boroughs``: reports across boroughs with a case system (Open311, polled; a signed
  webhook that pushes updates; a case intake inbox) and without one; SMTP answers 451 to
  30% and drops 5% of connections before accepting, some messages are slow, a few
  residents' mailboxes answer 550; the case system fails 30%; three workers are killed.
* ``camden``: 60 reports for Camden (no case system, so email only) while the mail server
  refuses 30% with 451 and one worker is killed; then the mail server recovers, and every
  report must be in the borough inbox within a minute, once.

At the end it prints one JSON line of what it counted: the test asserts on it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
if str(ROOT) not in sys.path:  # run as a script too
    sys.path.insert(0, str(ROOT))

from devtools.loopback import free_port, wait_for  # noqa: E402

LAMBETH, HACKNEY, RICHMOND = "E09000022", "E09000012", "E09000027"
CAMDEN, WESTMINSTER = "E09000007", "E09000033"
SECRETS = {
    "CHAOS_OPEN311_KEY": "chaos-open311-key",
    "CASE_SYSTEM_OPEN311_KEY": "chaos-open311-key",
    "CHAOS_WEBHOOK_SECRET": "chaos-webhook-secret",
    "CASE_SYSTEM_WEBHOOK_SECRET": "chaos-webhook-secret",
    "CHAOS_INBOUND_SECRET": "chaos-inbound-secret",
    "CASE_SYSTEM_PORTAL_SECRET": "chaos-inbound-secret",
}
BOUNCE = r"^bounce"  # these residents' mailboxes answer 550: the only dead letters


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def post_json(url: str, data: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


class Processes:
    def __init__(self, env: dict[str, str], directory: Path, tasks: str) -> None:
        self.env = env
        self.directory = directory
        self.tasks = tasks
        self.workers: list[subprocess.Popen] = []
        self.others: list[subprocess.Popen] = []
        self.kills = 0
        self.caught_mid_send = 0
        self.started = 0

    def start(self, args: list[str], name: str) -> subprocess.Popen:
        out = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        # Each in its own process group, signalled as a whole: an RQ worker started with
        # --with-scheduler runs its scheduler in a child process, which a SIGKILL of the
        # worker alone would leave running after the scenario.
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_worker(self) -> None:
        self.started += 1
        name = f"chaos-{self.started}"
        if self.tasks == "rq":
            args = [
                PYTHON,
                "manage.py",
                "rqworker",
                "default",
                "--with-scheduler",
                "--worker-class",
                "rq.worker.SimpleWorker",
                "--job-class",
                "django_tasks_rq.Job",
                "--name",
                name,
            ]
        else:
            args = [
                PYTHON,
                "manage.py",
                "db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                name,
            ]
        self.workers.append(self.start(args, f"worker-{self.started}"))

    def kill_a_worker(self, rng: random.Random) -> None:
        """SIGKILL a worker, one caught holding a message mid-send if there is one."""
        from reporting.outbox.models import Message, State

        alive = {w.pid: w for w in self.workers if w.poll() is None}
        victim = None
        deadline = time.monotonic() + 3
        while victim is None and time.monotonic() < deadline:
            holders = Message.objects.filter(state=State.SENDING).values_list(
                "claimed_by", flat=True
            )
            pids = {int(h.split(":")[1]) for h in holders if h.count(":") == 2}
            caught = [alive[pid] for pid in pids if pid in alive]
            victim = rng.choice(caught) if caught else None
            time.sleep(0.01)
        if victim is None:
            victim = rng.choice(list(alive.values()))
        else:
            self.caught_mid_send += 1
        _signal_group(victim, signal.SIGKILL)
        victim.wait()
        self.kills += 1
        self.workers.remove(victim)
        self.start_worker()

    def stop_all(self) -> None:
        for process in self.workers + self.others:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        for process in self.workers + self.others:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            _signal_group(process, signal.SIGKILL)  # whatever of its group is left
            process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal a process and every process it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):  # the whole group has gone
        os.killpg(process.pid, signum)


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


def setup_portal(case_url: str, boroughs: list[str]) -> str:
    """Migrate, configure the boroughs' case systems, and issue an Open311 key."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from reporting.forwarding.services import issue_open311_key
    from reporting.outbox.models import AdapterKind, CaseSystemConfig

    call_command("migrate", verbosity=0)
    configs = {
        LAMBETH: {
            "kind": AdapterKind.OPEN311,
            "endpoint_url": f"{case_url}/open311/v2/",
            "jurisdiction_id": LAMBETH,
            "credential_env": "CHAOS_OPEN311_KEY",
            "inbound_secret_env": "CHAOS_INBOUND_SECRET",
            "poll_updates": True,
        },
        HACKNEY: {
            "kind": AdapterKind.WEBHOOK,
            "endpoint_url": f"{case_url}/webhook/cases",
            "credential_env": "CHAOS_WEBHOOK_SECRET",
            "inbound_secret_env": "CHAOS_INBOUND_SECRET",
        },
        RICHMOND: {"kind": AdapterKind.EMAIL, "email_to": "asb-cases@richmond.invalid"},
    }
    for code in boroughs:
        if code in configs:
            CaseSystemConfig.objects.create(borough_code=code, **configs[code])
    get_user_model().objects.create_superuser("chaos-admin", "admin@chaos.invalid", "x")
    return issue_open311_key(name="chaos")[1]


def file_reports(portal_url: str, key: str, plan: list[tuple[str, str]], between) -> list[str]:
    """File each (borough, resident email or '') through the portal's Open311 server."""
    from geography.boundaries import borough

    references = []
    for number, (code, email) in enumerate(plan):
        latitude, longitude = borough(code).centroid
        form = {
            "api_key": key,
            "service_code": ["noise", "rowdy-inconsiderate", "littering-drugs"][number % 3],
            "lat": f"{latitude:.6f}",
            "long": f"{longitude:.6f}",
            "description": f"Chaos report {number}: loud music and shouting late at night.",
            "attribute[qualifier]": "nuisance",
        }
        if email:
            form.update(email=email, first_name="Resident", last_name=str(number))
        body = urllib.parse.urlencode(form).encode()
        for _ in range(20):  # the portal itself is fine; a busy SQLite may make it wait
            try:
                with urllib.request.urlopen(  # noqa: S310 - loopback
                    f"{portal_url}/open311/v2/requests.json", data=body, timeout=30
                ) as response:
                    references.append(json.loads(response.read())[0]["service_request_id"])
                break
            except OSError as error:
                log(f"filing report {number} failed ({error}); again")
                time.sleep(0.5)
        else:
            raise RuntimeError(f"could not file report {number}")
        between(number)
    return references


def outbox_counts() -> dict[str, int]:
    from django.db.models import Count

    from reporting.outbox.models import Message

    rows = Message.objects.values("state").annotate(n=Count("id")).order_by()
    return {row["state"]: row["n"] for row in rows}


def settled(case_db: Path, boroughs: list[str]) -> bool:
    from reporting.forwarding.models import InboundUpdate

    counts = outbox_counts()
    if any(counts.get(state) for state in ("queued", "sending", "retrying")):
        return False
    if not (set(boroughs) & {LAMBETH, HACKNEY}):
        return True
    with sqlite3.connect(f"file:{case_db}?mode=ro", uri=True, timeout=30) as db:
        open_cases = db.execute("SELECT COUNT(*) FROM cases WHERE status != 'closed'").fetchone()
        updates = db.execute("SELECT COUNT(DISTINCT update_id) FROM updates").fetchone()[0]
    return open_cases[0] == 0 and InboundUpdate.objects.count() >= updates


def sink_rows(mail_db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(f"file:{mail_db}?mode=ro", uri=True, timeout=30) as db:
        return db.execute("SELECT message_id, rcpt, subject FROM messages").fetchall()


def verify(case_db: Path, mail_db: Path, references: list[str], kills: int) -> dict:
    """Everything the test asserts, counted at both ends."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from reporting import messages
    from reporting.models import Report, ReportEvent
    from reporting.outbox.models import Attempt, Audience, Message, State
    from tests.accounts.helpers import login_verified  # staff sign in with a second factor

    reports = {r.reference: r for r in Report.objects.all()}
    outbox = list(Message.objects.select_related("report__contact"))
    emails = [m for m in outbox if m.channel == "email"]
    by_message_id = {m.message_id: m for m in emails}
    copies = Counter(message_id for message_id, _, _ in sink_rows(mail_db))
    unknown_at_sink = [mid for mid in copies if mid not in by_message_id]
    delivered_emails = [m for m in emails if m.state == State.DELIVERED]
    never_arrived = [m.pk for m in delivered_emails if copies[m.message_id] == 0]
    resends = sum(n - 1 for n in copies.values() if n > 1)

    def bounces(message: Message) -> bool:
        contact = getattr(message.report, "contact", None) if message.report else None
        return bool(contact and contact.email.startswith("bounce"))

    dead = [m for m in outbox if m.state == State.DEAD]
    dead_not_injected = [m.pk for m in dead if not (m.audience == Audience.RESIDENT and bounces(m))]
    injected_not_dead = [
        m.pk
        for m in outbox
        if m.audience == Audience.RESIDENT and bounces(m) and m.state != State.DEAD
    ]
    client = Client()
    login_verified(client, get_user_model().objects.get(username="chaos-admin"))
    dead_page = client.get("/admin/outbox/", {"state": "dead"}).content.decode()
    not_shown = [m.pk for m in dead if f"/admin/outbox/{m.pk}/" not in dead_page]

    # each report reached its borough once: one case (case systems), one inbox email
    with sqlite3.connect(f"file:{case_db}?mode=ro", uri=True, timeout=30) as db:
        cases = Counter(r for (r,) in db.execute("SELECT reference FROM cases").fetchall())
        receipts = db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
        updates = db.execute(
            "SELECT DISTINCT u.update_id, c.reference, c.jurisdiction_id"
            " FROM updates u JOIN cases c USING (case_id)"
        ).fetchall()
    inbox = Counter(
        m.report.reference for m in delivered_emails if m.kind == messages.BOROUGH_NEW_REPORT
    )
    case_boroughs = {LAMBETH, HACKNEY}
    report_ids = {r.reference: r.pk for r in reports.values()}
    events = set(
        ReportEvent.objects.filter(external_id__startswith="case:").values_list(
            "report_id", "external_id"
        )
    )
    resident_kinds = Counter(m.kind for m in delivered_emails if m.audience == Audience.RESIDENT)
    return {
        "reports_filed": len(references),
        "reports": len(reports),
        "messages": len(outbox),
        "by_state": dict(Counter(m.state for m in outbox)),
        "left_waiting": sum(1 for m in outbox if m.state in State.values and m.is_waiting),
        "emails_delivered": len(delivered_emails),
        "emails_accepted_at_sink": sum(copies.values()),
        "email_resends_same_message_id": resends,
        "unknown_message_ids_at_sink": len(unknown_at_sink),
        "delivered_but_never_arrived": len(never_arrived),
        "reports_missing_borough_inbox": sum(1 for r in references if inbox[r] != 1),
        "case_reports": sum(1 for r in reports.values() if r.borough_code in case_boroughs),
        "references_without_one_case": sum(
            1
            for r in reports.values()
            if r.borough_code in case_boroughs and cases[r.reference] != 1
        ),
        "case_receipts": receipts,
        "cases": sum(cases.values()),
        "case_updates": len(updates),
        "updates_missing_from_timelines": sum(
            1
            for update_id, reference, borough in updates
            if (report_ids.get(reference), f"case:{borough}:{update_id}") not in events
        ),
        "resident_messages_delivered": dict(resident_kinds),
        "dead": len(dead),
        "dead_not_injected": len(dead_not_injected),
        "injected_not_dead": len(injected_not_dead),
        "dead_not_shown_to_staff": len(not_shown),
        "attempts_failed": Attempt.objects.exclude(outcome="delivered").count(),
        "attempts_interrupted": Attempt.objects.filter(outcome="interrupted").count(),
        "worker_kills": kills,
    }


def plan_for(scenario: str, count: int) -> list[tuple[str, str]]:
    if scenario == "camden":
        return [(CAMDEN, f"camden{n}@example.org") for n in range(count)]
    boroughs = [LAMBETH, HACKNEY, RICHMOND, CAMDEN, WESTMINSTER]
    plan = []
    for n in range(count):
        if n % 10 == 3:
            email = ""  # anonymous
        elif n % 20 == 0:
            email = f"bounce{n}@example.org"
        else:
            email = f"r{n}@example.org"
        plan.append((boroughs[n % len(boroughs)], email))
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["boroughs", "camden"])
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=2011)
    options = parser.parse_args()

    directory = Path(os.environ["CHAOS_DIR"])
    tasks = os.environ.get("CHAOS_TASKS", "database")
    smtp_port, sink_http, case_port, portal_port = (free_port() for _ in range(4))
    env = {**os.environ, **SECRETS, "PYTHONUNBUFFERED": "1", "CHAOS_SMTP_PORT": str(smtp_port)}
    os.environ.update({**SECRETS, "CHAOS_SMTP_PORT": str(smtp_port)})
    if os.environ.get("CHAOS_DATABASE_URL"):
        recreate_postgres(os.environ["CHAOS_DATABASE_URL"])
    import django

    django.setup()
    from portal.task_recovery import recover
    from reporting.forwarding.polling import poll_all
    from reporting.outbox.services import sweep

    rng = random.Random(options.seed)  # noqa: S311 - chaos, not security
    case_url = f"http://127.0.0.1:{case_port}"
    sink_url = f"http://127.0.0.1:{sink_http}"
    portal_url = f"http://127.0.0.1:{portal_port}"
    case_db, mail_db = directory / "casesystem.sqlite3", directory / "mail.sqlite3"
    plan = plan_for(options.scenario, options.reports)
    boroughs = sorted({code for code, _ in plan})
    processes = Processes(env, directory, tasks)
    started = time.monotonic()
    result: dict = {}
    try:
        key = setup_portal(case_url, boroughs)
        log(f"migrated in {time.monotonic() - started:.0f}s; tasks on {tasks}")
        sink_args = [
            PYTHON, "manage.py", "run_smtp_sink", "--port", str(smtp_port),
            "--http-port", str(sink_http), "--db", str(mail_db), "--seed", str(options.seed),
            "--temp-fail-rate", "0.3",
        ]  # fmt: skip
        if options.scenario == "boroughs":
            sink_args += ["--drop-rate", "0.05", "--slow-rate", "0.03", "--slow-seconds", "1"]
            sink_args += ["--reject-recipients", BOUNCE]
        processes.others.append(processes.start(sink_args, "smtp-sink"))
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
                    "0.3",
                    "--drop-rate",
                    "0.03",
                    "--duplicate-ack-rate",
                    "0.05",
                    "--auto-progress",
                    "2",
                    "--seed",
                    str(options.seed),
                    "--portal-url",
                    f"{portal_url}/api/case-updates/{{borough}}/",
                ],
                "casesystem",
            )  # fmt: skip
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
            )  # fmt: skip
        )
        wait_for(f"{sink_url}/healthz")
        wait_for(f"{case_url}/healthz")
        wait_for(f"{portal_url}/healthz")
        for _ in range(options.workers):
            processes.start_worker()

        filing = time.monotonic()
        kill_every = 4.0
        state = {"last_kill": filing, "last_sweep": filing}

        def housekeeping(_number: int = 0) -> None:
            now = time.monotonic()
            if processes.kills < options.kills and now - state["last_kill"] >= kill_every:
                state["last_kill"] = now
                processes.kill_a_worker(rng)
                log(f"killed a worker ({processes.kills})")
            if now - state["last_sweep"] >= 1.0:
                state["last_sweep"] = now
                sweep()
                recover()
                poll_all()

        references = file_reports(portal_url, key, plan, housekeeping)
        log(f"filed {len(references)} reports in {time.monotonic() - filing:.0f}s")
        while processes.kills < options.kills:
            housekeeping()
            time.sleep(0.2)
        recovered_at = None
        if options.scenario == "camden":
            time.sleep(max(0.0, 5.0 - (time.monotonic() - state["last_kill"])))
            post_json(f"{sink_url}/control", {"temp_fail_rate": 0.0})
            recovered_at = time.monotonic()
            log(f"the mail server recovered; outbox {outbox_counts()}")
        deadline = time.monotonic() + options.timeout
        while time.monotonic() < deadline:
            sweep()
            recover()
            poll_all()
            if settled(case_db, boroughs):
                break
            log(json.dumps(outbox_counts()))
            time.sleep(1.0)
        settled_at = time.monotonic()
        time.sleep(2.0)  # anything still in flight at the servers lands now
        result = verify(case_db, mail_db, references, processes.kills)
        result["kills_mid_send"] = processes.caught_mid_send
        if recovered_at is not None:
            result["seconds_after_recovery"] = round(settled_at - recovered_at, 1)
        result["tasks"] = tasks
        result["database"] = "postgresql" if os.environ.get("CHAOS_DATABASE_URL") else "sqlite"
        result["seconds"] = round(time.monotonic() - started)
    finally:
        processes.stop_all()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
