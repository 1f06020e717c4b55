"""Benchmark: the resident's report flow on the production topology, beside bare /healthz.

Issue 12's goal: security must not cost the resident speed. This starts exactly what
production runs, ``bin/serve-production`` (gunicorn with ``portal/gunicorn_conf.py``, RQ
workers, the scheduler) with ``portal.settings.production`` (CSP, HSTS, HTTPS redirects,
secure cookies, the second-factor and django-axes middleware, the staff audit log) on
loopback ports, against a fresh PostgreSQL database and a Redis database of its own, with
email over SMTP to the local sink (``manage.py run_smtp_sink``, a process of its own).
The benchmark is the reverse proxy: every request comes from 127.0.0.1 (``TRUSTED_PROXY``)
with ``X-Forwarded-Proto: https`` and, per resident, an ``X-Forwarded-For`` address.

In one run it measures, with the same client (``requests`` sessions) and concurrency:

1. **bare** ``GET /healthz`` (a small JSON view: three outbox queries, every middleware)
   from ``--residents`` clients for ``--healthz-seconds``, before the flow and again after
   it (the baseline is both together: a shared machine's load drifts): requests/s, p50/p95;
2. **the report flow**: ``--residents`` residents at once, each filing ``--reports-each``
   complete reports (start page, each of the 12 steps' GET and POST with the CSRF token,
   check your answers, send, confirmation: 28 requests) with no pause between requests
   (``--pause S``: about S seconds of reading and typing before each, left out of the
   times; ``--stagger S``: residents start one after another over S seconds):
   reports/s, requests/s over every step, p50/p95 per request and per step, p95 of the
   whole flow, and the ratio (flow requests/s) / (healthz requests/s);
3. **nothing lost**: every reference a resident saw is in the database and the counts
   agree; then it waits (``--drain-timeout``) for the outbox to empty through the RQ
   workers and counts what the SMTP sink accepted (borough, SN team and resident emails).

It also checks that every response carried a Content-Security-Policy, prints whether the
second-factor, OTP and axes middleware are installed, and counts access-log rows (the
audit log covers staff looking at reports and the outbox reading a resident's address to
email them: a resident's own requests write none), and it
gives the CPU the portal's gunicorn workers spent per request in each phase (less noisy on
a shared machine than rates). Figures vary from run to run on small shared machines:
compare the ratios, which are measured in the same run.

    .venv/bin/python bench/production_bench.py [--residents 50] [--reports-each 4]
        [--healthz-seconds 15] [--pause 0] [--stagger 0] [--workers N] [--threads N]
        [--rq-workers 4] [--conn-max-age 600] [--no-pages] [--drain-timeout 300] [--keep]
        [--database-url postgres://postgres@127.0.0.1:5432/asb_bench_production]
        [--redis-url redis://127.0.0.1:6379/14]

``--workers``/``--threads`` are gunicorn's (``PORTAL_WORKERS``/``PORTAL_THREADS``; by
default gunicorn_conf's own: two per core plus one, 4 threads), ``--conn-max-age`` is
``DATABASE_CONN_MAX_AGE`` (600 as in the README's production environment; 0 opens a
new database connection per request).
By default the demo's standards pages are loaded first (``load_demo --only standards``),
so reports route to real borough inboxes and SN teams as in production.

The PostgreSQL database named is dropped and created afresh (its name must start with
asb_bench); the Redis database is flushed (use one nobody else uses). The submission rate
limit is raised (not switched off: its Redis counter still runs). PostgreSQL and Redis
are started if they are down (``bin/_lib.sh``). Prints figures; asserts nothing.
See bench/production.md; where the time goes, request by request: bench/flow_profile.py.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._residents import Results, percentile, proxied_session, run_residents  # noqa: E402
from bench._server import (  # noqa: E402
    LoadResult,
    cpu_seconds,
    load_sessions,
    process_tree,
    recreate_postgres_database,
)
from devtools.loopback import free_port, wait_for  # noqa: E402

PYTHON = sys.executable
TRUSTED_PROXY = "127.0.0.1"
FLOW_REQUESTS = 28  # per report: start, 12 x (GET, POST), check, send, confirmation
SECURITY_MIDDLEWARE = {
    "CSP": "portal.security_headers.PortalCSPMiddleware",
    "OTP (2FA)": "django_otp.middleware.OTPMiddleware",
    "second factor (2FA)": "accounts.middleware.SecondFactorMiddleware",
    "axes (lockouts)": "axes.middleware.AxesMiddleware",
}
SETTINGS_REPORT = """
import json
from django.conf import settings
print(json.dumps({
    "middleware": settings.MIDDLEWARE,
    "session_engine": settings.SESSION_ENGINE,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
}))
"""


def ensure_services() -> None:
    subprocess.run(
        ["bash", "-c", "source bin/_lib.sh && ensure_postgres >/dev/null && ensure_redis"],
        cwd=ROOT,
        check=True,
        timeout=600,
    )


def query(database_url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql).fetchall()


def manage(env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if completed.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


class Topology:
    """bin/serve-production and the SMTP sink, as processes of this run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.log = open(directory / "processes.log", "ab")  # noqa: SIM115 - closed in stop()
        self.processes: list[subprocess.Popen] = []
        self.serve: subprocess.Popen | None = None

    def start(self, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: nothing outlives the run
        )
        self.processes.append(process)
        return process

    def gunicorn_workers(self) -> list[int]:
        if self.serve is None:
            return []
        tree = process_tree(self.serve.pid)
        return [pid for pid, command in tree.items() if "gunicorn" in command]

    def tail(self) -> str:
        self.log.flush()
        log = self.directory / "processes.log"
        return log.read_text(errors="replace")[-4000:] + f"\n(the whole log: {log})"

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # serve-production stops its children
        for process in reversed(self.processes):
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # our own process group only
                process.wait()
        self.log.close()


class Phase:
    """CPU used during a phase: by this process (the clients) and the gunicorn workers."""

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.pids = topology.gunicorn_workers()
        self.started = time.perf_counter()
        self.client_cpu = sum(os.times()[:2])
        self.server_cpu = cpu_seconds(self.pids)
        self.machine_cpu = cpu_seconds()

    @staticmethod
    def merge(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
        wall = first["wall"] + second["wall"]
        return {
            "wall": wall,
            "server_cpu": first["server_cpu"] + second["server_cpu"],
            **{
                name: (first[name] * first["wall"] + second[name] * second["wall"]) / wall
                for name in ("client_cores", "machine_cores")
            },
        }

    def finish(self) -> dict[str, float]:
        wall = time.perf_counter() - self.started
        return {
            "wall": wall,
            "client_cores": (sum(os.times()[:2]) - self.client_cpu) / wall,
            "server_cpu": cpu_seconds(self.pids) - self.server_cpu,
            "machine_cores": (cpu_seconds() - self.machine_cpu) / wall,
        }


def wait_for_outbox(database_url: str, seconds: float) -> tuple[dict[str, int], float]:
    """Wait until no outbox message is queued, sending or retrying; (states, seconds)."""
    started = time.monotonic()
    while True:
        states = dict(query(database_url, "SELECT state, count(*) FROM outbox_message GROUP BY 1"))
        waiting = sum(states.get(state, 0) for state in ("queued", "sending", "retrying"))
        if not waiting or time.monotonic() - started > seconds:
            return states, time.monotonic() - started
        time.sleep(1)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:  # noqa: PLR0915 - one run, told in order
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=50, help="also the healthz clients")
    parser.add_argument("--reports-each", type=int, default=4)
    parser.add_argument("--healthz-seconds", type=float, default=15.0)
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds a resident reads and types before each request (average; 0: none)",
    )
    parser.add_argument(
        "--stagger",
        type=float,
        default=0.0,
        help="residents start one after another over this many seconds (0: all at once)",
    )
    parser.add_argument("--workers", type=int, default=0, help="PORTAL_WORKERS (0: default)")
    parser.add_argument("--threads", type=int, default=0, help="PORTAL_THREADS (0: default)")
    parser.add_argument("--rq-workers", type=int, default=4, help="RQ_WORKERS")
    parser.add_argument("--conn-max-age", type=int, default=600, help="DATABASE_CONN_MAX_AGE")
    parser.add_argument("--no-pages", action="store_true", help="skip the demo standards pages")
    parser.add_argument("--drain-timeout", type=float, default=300.0)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/asb_bench_production"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    options = parser.parse_args()

    import redis

    ensure_services()
    before = cpu_seconds()
    time.sleep(3)
    ambient = (cpu_seconds() - before) / 3  # others' load on a shared machine
    recreate_postgres_database(options.database_url)
    redis.Redis.from_url(options.redis_url).flushdb()
    directory = Path(tempfile.mkdtemp(prefix="asb-bench-production-"))
    port, smtp_port, sink_http = free_port(), free_port(), free_port()
    host = f"127.0.0.1:{port}"
    base = f"http://{host}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(directory)),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_BASE_URL": f"https://{host}",
        "TRUSTED_PROXY": TRUSTED_PROXY,
        "DATABASE_URL": options.database_url,
        "DATABASE_CONN_MAX_AGE": str(options.conn_max_age),
        "CACHE_URL": options.redis_url,
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "RQ_REDIS_URL": options.redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "PORTAL_BIND": host,
        "RQ_WORKERS": str(options.rq_workers),
        "PORTAL_VAR_DIR": str(directory / "var"),
        "REPORTING_SUBMISSIONS_PER_HOUR": "1000000",  # raised, still counted on Redis
        "LOG_LEVEL": "WARNING",
    }
    for name, value in (("PORTAL_WORKERS", options.workers), ("PORTAL_THREADS", options.threads)):
        if value:
            env[name] = str(value)
    sink_env = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}  # devtools: dev only
    topology = Topology(directory)
    try:
        topology.start(
            [PYTHON, "manage.py", "run_smtp_sink", "--port", str(smtp_port),
             "--http-port", str(sink_http), "--db", str(directory / "mail.sqlite3")],
            sink_env,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{sink_http}/healthz")
        print(f"Fresh database {options.database_url.rsplit('/', 1)[1]}; Redis {options.redis_url}")
        manage(env, "migrate", "--noinput")
        if not options.no_pages:
            print("Loading the demo standards pages (borough inboxes, SN teams)...")
            manage(env, "load_demo", "--only", "standards")
        configured = json.loads(manage(env, "shell", "--no-imports", "-c", SETTINGS_REPORT))
        topology.serve = topology.start([str(ROOT / "bin" / "serve-production")], env)
        try:
            wait_for(f"{base}/healthz", seconds=300)
        except RuntimeError:
            raise SystemExit("bin/serve-production did not come up:\n" + topology.tail()) from None
        workers = topology.gunicorn_workers()
        print(
            f"bin/serve-production at {base}: gunicorn ({len(workers) - 1} workers x "
            f"{options.threads or 4} threads), {options.rq_workers} RQ workers, scheduler"
        )

        def proxy_headers(number: int) -> dict[str, str]:
            return {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.{7 + number % 200}",
            }

        # Warm-up: every worker imports and compiles its templates before anything is timed.
        load_sessions(
            f"{base}/healthz",
            make_session=lambda: proxied_session(proxy_headers(0)),
            concurrency=10,
            seconds=3,
        )
        warm = Results()
        run_residents(
            base,
            10,
            1,
            warm,
            session_for=lambda n: proxied_session(proxy_headers(10_000 + n)),
            origin=f"https://{host}",
        )
        if warm.failures:
            raise SystemExit(f"Warm-up failed: {warm.failures[:3]}\n{topology.tail()}")

        def bare_healthz() -> tuple[LoadResult, dict[str, float]]:
            phase = Phase(topology)
            result = load_sessions(
                f"{base}/healthz",
                make_session=lambda: proxied_session(proxy_headers(1)),
                concurrency=options.residents,
                seconds=options.healthz_seconds,
            )
            return result, phase.finish()

        print(f"1. Bare /healthz: {options.residents} clients for {options.healthz_seconds:.0f} s")
        bare_before, cpu_before = bare_healthz()

        print(
            f"2. Report flow: {options.residents} residents x {options.reports_each} "
            f"complete reports, {options.pause:g} s pause before each request, "
            f"starts spread over {options.stagger:g} s"
        )
        results = Results()
        phase = Phase(topology)
        elapsed = run_residents(
            base,
            options.residents,
            options.reports_each,
            results,
            session_for=lambda n: proxied_session(proxy_headers(n)),
            origin=f"https://{host}",
            pause=options.pause,
            stagger=options.stagger,
        )
        flow_cpu = phase.finish()

        print(f"3. Waiting for the outbox to drain (at most {options.drain_timeout:.0f} s)")
        states, drained_in = wait_for_outbox(options.database_url, options.drain_timeout)
        with urllib.request.urlopen(f"http://127.0.0.1:{sink_http}/stats", timeout=10) as answer:  # noqa: S310
            mail = json.loads(answer.read())
        print("4. Bare /healthz again (the baseline is the mean of before and after)")
        bare_after, cpu_after = bare_healthz()
    finally:
        topology.stop()

    url = options.database_url
    seen = set(results.references) | set(warm.references)
    stored = {row[0] for row in query(url, "SELECT reference FROM reporting_report")}
    lost = seen - stored
    by_kind = query(
        url,
        "SELECT kind, state, count(*) FROM outbox_message GROUP BY 1, 2 ORDER BY 1, 2",
    )
    access_rows = query(
        url,
        "SELECT username, purpose, count(*) FROM reporting_accesslog GROUP BY 1, 2 ORDER BY 1, 2",
    )
    staff_rows = query(url, "SELECT count(*) FROM reporting_accesslog WHERE user_id IS NOT NULL")
    sessions = query(url, "SELECT count(*) FROM django_session")[0][0]

    bare = LoadResult(
        "/healthz",
        bare_before.requests + bare_after.requests,
        bare_before.errors + bare_after.errors,
        bare_before.seconds + bare_after.seconds,
        bare_before.latencies + bare_after.latencies,
    )
    bare_cpu = Phase.merge(cpu_before, cpu_after)
    flow_requests = results.request_seconds()
    reports = len(results.references)
    flow_rps = len(flow_requests) / elapsed
    ratio = flow_rps / bare.rps if bare.rps else float("nan")
    cores = os.cpu_count()
    bare_ms = 1000 * bare_cpu["server_cpu"] / max(bare.requests, 1)
    flow_ms = 1000 * flow_cpu["server_cpu"] / max(len(flow_requests), 1)

    print()
    print(f"{'':34}{'bare /healthz':>16}{'report flow':>16}")
    rows = [
        ("requests", f"{bare.requests}", f"{len(flow_requests)}"),
        ("errors / failed reports", f"{bare.errors}", f"{len(results.failures)}"),
        ("wall time", f"{bare.seconds:.1f} s", f"{elapsed:.1f} s"),
        ("requests/s", f"{bare.rps:.0f}", f"{flow_rps:.0f}"),
        ("p50 per request", ms(bare.percentile(0.50)), ms(percentile(flow_requests, 0.50))),
        ("p95 per request", ms(bare.percentile(0.95)), ms(percentile(flow_requests, 0.95))),
        ("p99 per request", ms(bare.percentile(0.99)), ms(percentile(flow_requests, 0.99))),
        ("gunicorn CPU per request", f"{bare_ms:.1f} ms", f"{flow_ms:.1f} ms"),
        (
            "client CPU (cores of the bench)",
            f"{bare_cpu['client_cores']:.2f}",
            f"{flow_cpu['client_cores']:.2f}",
        ),
        (
            f"machine busy (cores of {cores})",
            f"{bare_cpu['machine_cores']:.2f}",
            f"{flow_cpu['machine_cores']:.2f}",
        ),
    ]
    for label, left, right in rows:
        print(f"{label:34}{left:>16}{right:>16}")
    print(
        f"(bare /healthz before the flow {bare_before.rps:.0f}/s, after {bare_after.rps:.0f}/s; "
        f"machine busy before the run, others' load: {ambient:.2f} of {cores} cores)"
    )
    print()
    print(
        f"Complete reports:                 {reports} of {options.residents * options.reports_each}"
    )
    for failure in results.failures[:5]:
        print(f"  {failure}")
    print(f"Reports per second:               {reports / elapsed:.2f}")
    print(
        f"Whole flow ({FLOW_REQUESTS} requests, no pauses): p50 "
        f"{statistics.median(results.flow_seconds or [float('nan')]):.2f} s, "
        f"p95 {percentile(results.flow_seconds, 0.95):.2f} s"
    )
    cpu_ratio = bare_ms / flow_ms if flow_ms else float("nan")
    print(
        f"Flow / bare, per request:         {ratio:.2f}   (goal: at least 0.3; "
        f"gunicorn CPU a request, bare / flow: {cpu_ratio:.2f})"
    )
    p95 = percentile(flow_requests, 0.95)
    print(f"p95 per request in the flow:      {ms(p95)}   (goal: under 300 ms)")
    if options.pause:
        print("  (with pauses the flow's rate is the residents' pace, not the portal's limit)")
    print(
        f"  (Little's law: {options.residents} residents with no pause wait on average "
        f"{options.residents}/rate; a mean under 300 ms needs {options.residents / 0.3:.0f} "
        "requests/s or more)"
    )
    print()
    print("Per step (ms):                      p50     p95     max")
    for what, values in results.by_step().items():
        print(
            f"  {what:30}{percentile(values, 0.5) * 1000:7.0f} "
            f"{percentile(values, 0.95) * 1000:7.0f} {max(values) * 1000:7.0f}"
        )
    print()
    print(f"References seen (incl. warm-up):  {len(seen)}; in the database: {len(stored)}")
    verdict = "NONE LOST" if not lost and len(stored) == len(seen) else "MISMATCH"
    print(f"Reports lost:                     {len(lost)} ({verdict})")
    print(
        f"Outbox after {drained_in:.0f} s:               "
        + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    )
    for kind, state, count in by_kind:
        print(f"  {kind:30}{state:12}{count:6}")
    print(
        f"SMTP sink accepted:               {mail.get('messages')} deliveries, "
        f"{mail.get('duplicate_message_ids')} duplicate Message-IDs"
    )
    print()
    middleware = configured["middleware"]
    print(
        f"Content-Security-Policy:          on {len(flow_requests) - results.without_csp} of "
        f"{len(flow_requests)} flow responses"
    )
    for label, path in SECURITY_MIDDLEWARE.items():
        print(f"{label + ' middleware:':34}{'installed' if path in middleware else 'MISSING'}")
    print(
        f"Audit log (AccessLog):            {sum(row[2] for row in access_rows)} rows, "
        f"{staff_rows[0][0]} by staff: it covers staff views, and the outbox reading a "
        "resident's address to email them; the resident's own requests write none"
    )
    for username, purpose, count in access_rows:
        print(f"  {username:30}{purpose:30}{count:6}")
    print(
        f"Settings: SECURE_SSL_REDIRECT {configured['ssl_redirect']}, HSTS {configured['hsts']} s, "
        f"sessions {configured['session_engine']} ({sessions} rows), "
        f"CONN_MAX_AGE {configured['conn_max_age']}, tasks {configured['tasks']}"
    )
    if options.keep:
        print(f"Logs and mail: {directory}")
    else:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
