"""Benchmark: residents filing complete reports over real HTTP, none lost.

Starts a throwaway portal (its own SQLite file, or --database-url) under waitress on
loopback, then N concurrent simulated residents (50 by default) each walk the whole
report flow with a requests.Session (CSRF cookie and token, every step's GET and POST,
"check your answers", send) and read their confirmation page, several times each.

Prints submissions per second, p50/p95 latency of the complete flow and of the final
"send" request, and checks that the number of reports in the database equals the number
of successful submissions, with every reference a resident saw stored (none lost).

    .venv/bin/python bench/reporting_bench.py [--residents 50] [--reports-each 2]
        [--threads 8] [--database-url postgres://postgres@127.0.0.1:5432/asb_bench_reporting]

The PostgreSQL database named there is dropped and created afresh (its name must start
with asb_bench). The submission rate limit is raised for the run.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import (  # noqa: E402
    bench_environment,
    manage,
    portal_server,
    recreate_postgres_database,
    scratch_dir,
)

# Interior points of a few boroughs (lat, lon): residents pin near these.
PLACES = [
    (51.5450, -0.0553),  # Hackney
    (51.4613, -0.1156),  # Lambeth
    (51.5155, -0.0922),  # City of London
    (51.5560, -0.2796),  # Brent
    (51.4150, -0.0750),  # Croydon / Bromley side
    (51.5390, 0.0810),  # Newham / Barking
]
REFERENCE_RE = re.compile(r"ASB-[0-9A-Z]{4}-[0-9A-Z]{4}")


def answers(rng: random.Random) -> list[tuple[str, dict]]:
    lat, lon = rng.choice(PLACES)
    lat += rng.uniform(-0.003, 0.003)
    lon += rng.uniform(-0.003, 0.003)
    anonymous = rng.random() < 0.3
    contact = (
        {"contact_me": "no"}
        if anonymous
        else {
            "contact_me": "yes",
            "name": "Bench Resident",
            "email": f"resident{rng.randrange(10_000)}@example.com",
            "preferred_method": "email",
            "safe_to_contact": "yes",
        }
    )
    return [
        ("safety", {"danger": "no"}),
        ("category", {"category": rng.choice(["noise", "rowdy-neighbours", "littering-drugs"])}),
        ("qualifier", {"qualifier": rng.choice(["personal", "nuisance", "environmental"])}),
        (
            "where",
            {
                "action": "continue",
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "location_source": "map",
            },
        ),
        ("when", {"when": "ongoing"}),
        (
            "history",
            {"how_often": rng.choice(["first", "few", "weekly", "daily"]), "reported_before": "no"},
        ),
        (
            "details",
            {"description": "Loud music and shouting late at night, most nights this week."},
        ),
        ("photos", {"action": "continue"}),
        ("impact", {"effects": [rng.choice(["sleep", "work", "none"])], "unsafe_at_home": "no"}),
        (
            "vulnerability",
            {
                "targeted": ["no"],
                "health_worsened": rng.choice(["yes", "no"]),
                "vulnerable_people": "no",
            },
        ),
        ("contact", contact),
        ("equality", {}),
    ]


@dataclass
class Results:
    flow_seconds: list[float] = field(default_factory=list)
    submit_seconds: list[float] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def file_report(base: str, session: requests.Session, rng: random.Random, results: Results) -> None:
    started = time.perf_counter()

    def post(path: str, data: dict) -> requests.Response:
        data = {**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")}
        return session.post(base + path, data=data, allow_redirects=False, timeout=60)

    response = session.get(base + "/report/", timeout=60)
    response.raise_for_status()
    for slug, data in answers(rng):
        session.get(f"{base}/report/step/{slug}/", timeout=60).raise_for_status()
        response = post(f"/report/step/{slug}/", data)
        if response.status_code != 302:
            raise RuntimeError(f"step {slug}: HTTP {response.status_code}")
    session.get(base + "/report/check/", timeout=60).raise_for_status()
    submit_started = time.perf_counter()
    response = post("/report/check/", {"website": ""})
    submit_took = time.perf_counter() - submit_started
    if response.status_code != 302:
        raise RuntimeError(f"send: HTTP {response.status_code}")
    confirmation = session.get(base + response.headers["Location"], timeout=60)
    match = REFERENCE_RE.search(confirmation.text)
    if confirmation.status_code != 200 or not match:
        raise RuntimeError("no reference on the confirmation page")
    with results.lock:
        results.flow_seconds.append(time.perf_counter() - started)
        results.submit_seconds.append(submit_took)
        results.references.append(match.group(0))


def resident(base: str, number: int, reports: int, results: Results) -> None:
    rng = random.Random(number)
    session = requests.Session()
    for _ in range(reports):
        try:
            file_report(base, session, rng, results)
        except (requests.RequestException, RuntimeError) as error:
            with results.lock:
                results.failures.append(f"resident {number}: {error}")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--reports-each", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    with scratch_dir(args.keep) as var_dir:
        if args.database_url:
            recreate_postgres_database(args.database_url)
        env = bench_environment(var_dir, args.database_url)
        env["REPORTING_SUBMISSIONS_PER_HOUR"] = "0"  # 0: no limit for the benchmark
        env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        print(f"Database: {args.database_url or var_dir / 'portal.sqlite3'}")
        print("Migrating a fresh database...")
        manage(env, "migrate", "--noinput")
        with portal_server(env, threads=args.threads) as base:
            print(
                f"{args.residents} residents x {args.reports_each} reports each, "
                f"waitress with {args.threads} threads at {base}"
            )
            results = Results()
            threads = [
                threading.Thread(target=resident, args=(base, n, args.reports_each, results))
                for n in range(args.residents)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
        stored = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from reporting.models import Report, Notification; "
            "print(Report.objects.count()); "
            "print(' '.join(Report.objects.values_list('reference', flat=True))); "
            "print(Notification.objects.count())",
        ).split("\n")
    stored_count = int(stored[0])
    stored_refs = set(stored[1].split())
    notifications = int(stored[2])
    ok = len(results.references)
    lost = [ref for ref in results.references if ref not in stored_refs]
    print()
    print(f"Complete submissions:       {ok} of {args.residents * args.reports_each}")
    print(f"Failures:                   {len(results.failures)}")
    for failure in results.failures[:5]:
        print(f"  {failure}")
    print(f"Wall time:                  {elapsed:.1f} s")
    print(f"Submissions per second:     {ok / elapsed:.2f}")
    print(
        f"Whole flow latency:         p50 {statistics.median(results.flow_seconds):.2f} s, "
        f"p95 {percentile(results.flow_seconds, 0.95):.2f} s"
    )
    send_p50 = statistics.median(results.submit_seconds) * 1000
    send_p95 = percentile(results.submit_seconds, 0.95) * 1000
    print(f"Final 'send' latency:       p50 {send_p50:.0f} ms, p95 {send_p95:.0f} ms")
    print(f"Reports in the database:    {stored_count}")
    print(f"Notification rows:          {notifications}")
    print(f"References seen but lost:   {len(lost)}")
    verdict = "NONE LOST" if stored_count == ok and not lost else "MISMATCH"
    print(f"Stored == successful:       {stored_count == ok} ({verdict})")


if __name__ == "__main__":
    main()
