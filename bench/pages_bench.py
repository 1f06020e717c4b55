"""Benchmark: public pages under concurrent load on loopback, beside a bare Django view.

Sets up a throwaway portal (its own SQLite file, or --database-url), loads the demo
pages, serves it with waitress, then drives keep-alive clients at the home page, a
borough page and a neighbourhood page, and at /healthz (a bare Django view through the
same middleware) in the same run. Prints requests per second, p50/p99 latency and the
ratio of each page's throughput to the bare view's.

    .venv/bin/python bench/pages_bench.py [--seconds 5] [--concurrency 16]
        [--database-url postgres://postgres@127.0.0.1:5432/asb_bench_pages]

The PostgreSQL database named there is dropped and created afresh (its name must
start with asb_bench).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._server import (  # noqa: E402
    LoadResult,
    bench_environment,
    load,
    manage,
    portal_server,
    recreate_postgres_database,
    scratch_dir,
)

FIND_URL = """
from standards.models import BoroughPage, NeighbourhoodPage
print(BoroughPage.objects.live().get(ons_code="E09000012").url)
print(NeighbourhoodPage.objects.live().order_by("path").first().url)
"""


def row(result: LoadResult, bare: LoadResult | None) -> str:
    ratio = f"{result.rps / bare.rps:5.2f}" if bare else "  1.00"
    return (
        f"{result.path[:44]:<44} {result.requests:>7} {result.errors:>4} {result.rps:>9.0f}"
        f" {result.percentile(0.5) * 1000:>8.1f} {result.percentile(0.99) * 1000:>8.1f} {ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with scratch_dir() as var_dir:
        env = bench_environment(var_dir, args.database_url)
        if args.database_url:
            recreate_postgres_database(args.database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--only", "standards")
        manage(env, "collectstatic", "--noinput")
        borough_url, neighbourhood_url = manage(env, "shell", "-v", "0", "-c", FIND_URL).split()[
            -2:
        ]
        paths = {"bare Django view (/healthz)": "/healthz", "home page": "/"}
        paths["borough page (Hackney)"] = borough_url
        paths["neighbourhood page"] = neighbourhood_url
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"Pages benchmark: {database}, {args.concurrency} clients, {args.seconds:g} s each")
        header = ("path", "requests", "err", "req/s", "p50 ms", "p99 ms")
        print("{:<44} {:>7} {:>4} {:>9} {:>8} {:>8} ratio".format(*header))
        with portal_server(env) as base_url:
            bare = None
            for label, path in paths.items():
                load(base_url, path, concurrency=2, seconds=0.5)  # warm up (fills the cache)
                result = load(base_url, path, concurrency=args.concurrency, seconds=args.seconds)
                result.path = label
                print(row(result, bare))
                if bare is None:
                    bare = result


if __name__ == "__main__":
    main()
