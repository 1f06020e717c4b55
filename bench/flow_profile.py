"""Profile: where a report's time goes, request by request, in one process.

The resident walk of ``bench/production_bench.py`` (``bench/_residents.py``: every step's
GET and POST, check your answers, send, confirmation) through Django's test client, with
``portal.settings.production`` on a fresh PostgreSQL database (the demo's standards pages
loaded) and Redis for the cache and the task queue (no workers: nothing is sent). For
each request it prints the CPU time, the wall time, the SQL queries and the CPU spent
rendering templates, averaged over ``--reports`` reports, and the same for ``/healthz``.
CPU time is steadier than wall time on a shared machine. No WSGI server is involved, so
gunicorn's own cost and new database connections are not in these figures (see
``bench/production.md``).

    .venv/bin/python bench/flow_profile.py [--reports 20] [--sql "POST send"]
        [--cprofile 40] [--session-engine django.contrib.sessions.backends.cache]
        [--memo-nav]
        [--database-url postgres://postgres@127.0.0.1:5432/asb_bench_profile]
        [--redis-url redis://127.0.0.1:6379/15]

``--sql STEP`` prints that request's statements; ``--cprofile N`` profiles the reports and
prints the N most expensive functions (cumulative). Two "what if" switches change nothing
in the code, only this process: ``--session-engine`` (e.g. the cache or cached_db
backend instead of the database one) and ``--memo-nav`` (the navigation links of
``portal/context_processors.py`` looked up once per process instead of in Redis on
every page). The database named is dropped and created afresh (its name must start with
asb_bench); the Redis database is flushed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._residents import REFERENCE_RE, answers  # noqa: E402
from bench._server import recreate_postgres_database  # noqa: E402


@dataclass
class Step:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    render: list[float] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)


def setup(options: argparse.Namespace, directory: Path) -> None:
    import redis

    recreate_postgres_database(options.database_url)
    redis.Redis.from_url(options.redis_url).flushdb()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": options.database_url,
            "CACHE_URL": options.redis_url,
            "TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "RQ_REDIS_URL": options.redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "PORTAL_VAR_DIR": str(directory),
            "REPORTING_SUBMISSIONS_PER_HOUR": "1000000",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", "--only", "standards", stdout=io.StringIO())
    call_command("collectstatic", "--noinput", verbosity=0)


def what_if(options: argparse.Namespace) -> None:
    if options.session_engine:
        from django.test.utils import override_settings

        override_settings(SESSION_ENGINE=options.session_engine).enable()
    if options.memo_nav:
        from portal import context_processors

        looked_up = context_processors.nav_urls
        memo: dict[str, dict[str, str | None]] = {}

        def once(request) -> dict[str, str | None]:
            if "urls" not in memo:
                memo["urls"] = looked_up(request)
            return memo["urls"]

        context_processors.nav_urls = once


def rendering_clock() -> list[float]:
    """CPU time spent rendering templates since the clock was last set to 0."""
    from django.template.response import SimpleTemplateResponse

    clock = [0.0]
    render = SimpleTemplateResponse.render

    def timed(self):
        if self._is_rendered:
            return self
        started = time.process_time()
        try:
            return render(self)
        finally:
            clock[0] += time.process_time() - started

    SimpleTemplateResponse.render = timed
    return clock


def walk(client, rng: random.Random, steps: dict[str, Step], clock: list[float]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request(what: str, path: str, data: dict | None = None, status: int = 200):
        clock[0] = 0.0
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            if data is None:
                response = client.get(path, secure=True)
            else:
                data = {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
                response = client.post(path, data, secure=True, HTTP_ORIGIN="https://testserver")
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != status:
            raise RuntimeError(f"{what}: HTTP {response.status_code}")
        step = steps[what]
        step.cpu.append(cpu)
        step.wall.append(wall)
        step.queries.append(len(queries.captured_queries))
        step.render.append(clock[0])
        step.sql = [query["sql"] for query in queries.captured_queries]
        return response

    client.cookies.clear()
    request("GET start", "/report/")
    for slug, data in answers(rng):
        request(f"GET {slug}", f"/report/step/{slug}/")
        request(f"POST {slug}", f"/report/step/{slug}/", data, status=302)
    request("GET check", "/report/check/")
    response = request("POST send", "/report/check/", {"website": ""}, status=302)
    confirmation = request("GET confirmation", response["Location"])
    if not REFERENCE_RE.search(confirmation.content.decode()):
        raise RuntimeError("no reference on the confirmation page")
    client.cookies.clear()
    request("GET /healthz", "/healthz")


def mean_ms(values: list[float]) -> float:
    return 1000 * sum(values) / len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--sql", default="", metavar="STEP", help='e.g. "POST send"')
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--session-engine", default="")
    parser.add_argument("--memo-nav", action="store_true")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/asb_bench_profile"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="asb-bench-profile-") as name:
        setup(options, Path(name))
        what_if(options)
        from django.test import Client

        clock = rendering_clock()
        client = Client()
        rng = random.Random(1)
        walk(client, rng, defaultdict(Step), clock)  # warm-up: imports, template loading
        steps: dict[str, Step] = defaultdict(Step)
        profile = cProfile.Profile() if options.cprofile else None
        if profile:
            profile.enable()
        for _ in range(options.reports):
            walk(client, rng, steps, clock)
        if profile:
            profile.disable()

    print(f"{options.reports} reports; means per request")
    print(f"{'request':22}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}{'render ms':>11}")
    flow = {what: step for what, step in steps.items() if what != "GET /healthz"}
    for what, step in [*flow.items(), ("GET /healthz", steps["GET /healthz"])]:
        print(
            f"{what:22}{mean_ms(step.cpu):8.1f}{mean_ms(step.wall):9.1f}"
            f"{sum(step.queries) / len(step.queries):9.1f}{mean_ms(step.render):11.1f}"
        )
    cpu = sum(mean_ms(step.cpu) for step in flow.values())
    print(
        f"Per report ({len(flow)} requests): {cpu:.0f} ms CPU "
        f"({cpu / len(flow):.1f} ms a request), "
        f"{sum(sum(s.queries) / len(s.queries) for s in flow.values()):.0f} queries, "
        f"{sum(mean_ms(step.render) for step in flow.values()):.0f} ms rendering"
    )
    if options.sql:
        print(f"\nSQL of {options.sql} (the last one):")
        for statement in steps[options.sql].sql:
            print(f"  {statement[:160]}")
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(options.cprofile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
