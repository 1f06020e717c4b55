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
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _residents import Results, percentile, run_residents  # noqa: E402
from _server import (  # noqa: E402
    bench_environment,
    manage,
    portal_server,
    recreate_postgres_database,
    scratch_dir,
)


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
            elapsed = run_residents(base, args.residents, args.reports_each, results)
        stored = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from reporting.models import Report; "
            "from reporting.outbox.models import Message; "
            "print(Report.objects.count()); "
            "print(' '.join(Report.objects.values_list('reference', flat=True))); "
            "print(Message.objects.count())",
        ).split("\n")
    stored_count = int(stored[0])
    stored_refs = set(stored[1].split())
    messages = int(stored[2])
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
    print(f"Outbox messages:            {messages}")
    print(f"References seen but lost:   {len(lost)}")
    verdict = "NONE LOST" if stored_count == ok and not lost else "MISMATCH"
    print(f"Stored == successful:       {stored_count == ok} ({verdict})")


if __name__ == "__main__":
    main()
