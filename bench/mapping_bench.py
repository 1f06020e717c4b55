"""Benchmark: police.uk import speed and map data API latency at London scale.

Generates (or reuses) 12 synthetic months of London street-level data (about 1.1
million rows, NOT real crimes), imports them into a database of its own, and prints:

- import speed in rows per second beside the time merely to parse the same CSV with
  Python's csv module in the same run (goal: import at least 0.3 of parse speed);
- map API p50/p95 latency and response size for a London-wide view, a borough view and
  a street-level view, plus the area, trend and hot-street endpoints (goal: p95 under
  50 ms and responses under 200 KB), through Django's test client (the full view stack,
  no network).

    .venv/bin/python bench/mapping_bench.py                      # SQLite, own file
    .venv/bin/python bench/mapping_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/asb_mapping_bench

Never touches var/portal.sqlite3: SQLite runs use var/bench/mapping/bench.sqlite3; a
PostgreSQL database named here is dropped and created afresh (its name must start with
asb_). Data files are kept in var/bench/policeuk/ for the next run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LONDON = (-0.5104, 51.2868, 0.3340, 51.6919)
CAMDEN = (-0.2139, 51.5130, -0.1053, 51.5730)
STREET_SPAN = (0.0257, 0.0107)  # 1200 x 800 px at zoom 16


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench" / "policeuk")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=200, help="Per view (200).")
    parser.add_argument("--reuse", action="store_true", help="Keep the database from the last run.")
    return parser.parse_args()


def prepare_database(url: str, *, reuse: bool) -> str:
    if not url:
        path = ROOT / "var" / "bench" / "mapping" / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("asb_"):
        sys.exit("The PostgreSQL database name must start with asb_ (it is dropped).")
    if not reuse:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    return url


def warm(sources) -> None:
    """Read every file once, untimed, so that neither timing includes the disk."""
    for source in sources:
        with source.open() as (_text, raw):
            while raw.read(1 << 22):
                pass


def csv_parse_seconds(sources) -> tuple[int, float]:
    """Rows and seconds to read every source with the csv module alone."""
    rows, started = 0, time.perf_counter()
    for source in sources:
        with source.open() as (text, _raw):
            for _row in csv.reader(text):
                rows += 1
    return rows, time.perf_counter() - started


def jitter(bbox, rng: random.Random, amount: float):
    dx, dy = rng.uniform(-amount, amount), rng.uniform(-amount, amount)
    return (bbox[0] + dx, bbox[1] + dy, bbox[2] + dx, bbox[3] + dy)


def measure(client, path: str, make_params, count: int) -> dict:
    for _ in range(5):  # warm up
        client.get(path + "?" + urlencode(make_params(), doseq=True))
    times, sizes = [], []
    for _ in range(count):
        url = path + "?" + urlencode(make_params(), doseq=True)
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.content[:300])
        sizes.append(len(response.content))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "bytes_mean": statistics.mean(sizes),
        "bytes_max": max(sizes),
        "features": None,
    }


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args.database_url, reuse=args.reuse)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from mapping import selectors
    from mapping.models import Dataset
    from mapping.sources import sources_for
    from mapping.synthetic import INVENTED, generate, months_ending

    if not args.reuse:
        call_command("migrate", skip_checks=True, verbosity=0)
    if not any(args.data.rglob("*-street.csv")):
        print(f"Generating {args.months} synthetic months in {args.data} ...", flush=True)
        generate(
            out_dir=args.data,
            months=months_ending(dt.date(2025, 1, 1), args.months),
            scale=args.scale,
            locations=INVENTED,  # London's number of locations, not the samples' few thousand
        )
    sources = sources_for([args.data])

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"CPUs: {os.cpu_count()}, load average at start: "
        + " ".join(f"{v:.1f}" for v in os.getloadavg())
        + " (figures from a busy machine are slower)"
    )
    warm(sources)
    parse_rows, parse_seconds = csv_parse_seconds(sources)
    parse_rate = parse_rows / parse_seconds
    if not args.reuse:
        started = time.perf_counter()
        call_command("import_policeuk", str(args.data), stdout=io.StringIO(), stderr=io.StringIO())
        import_seconds = time.perf_counter() - started
        import_rows = sum(d.rows_read for d in Dataset.objects.all())
        import_rate = import_rows / import_seconds
        print()
        print(f"{'Import':<34}{'rows':>11}{'seconds':>10}{'rows/s':>11}")
        print(
            f"{'csv module only (parse)':<34}{parse_rows:>11,}{parse_seconds:>10.1f}"
            f"{parse_rate:>11,.0f}"
        )
        print(
            f"{'import_policeuk':<34}{import_rows:>11,}{import_seconds:>10.1f}{import_rate:>11,.0f}"
        )
        print(f"Ratio import/parse: {import_rate / parse_rate:.2f}  (goal >= 0.30)")

    filters = selectors.default_filters()
    months = {"month_from": f"{filters.month_from:%Y-%m}", "month_to": f"{filters.month_to:%Y-%m}"}
    hot = selectors.hot_streets(filters, borough_code="E09000033", limit=1)[0]
    street = (
        hot["longitude"] - STREET_SPAN[0] / 2,
        hot["latitude"] - STREET_SPAN[1] / 2,
        hot["longitude"] + STREET_SPAN[0] / 2,
        hot["latitude"] + STREET_SPAN[1] / 2,
    )
    rng = random.Random(1)
    asb_only = {"category": ["anti-social-behaviour"]}

    def bbox_text(bbox) -> str:
        return ",".join(f"{v:.5f}" for v in bbox)

    views = [
        (
            "London-wide cells, zoom 10",
            "/map/data/map.json",
            lambda: {**months, "zoom": 10, "bbox": bbox_text(jitter(LONDON, rng, 0.02))},
        ),
        (
            "London-wide cells, zoom 10, ASB",
            "/map/data/map.json",
            lambda: {
                **months,
                **asb_only,
                "zoom": 10,
                "bbox": bbox_text(jitter(LONDON, rng, 0.02)),
            },
        ),
        (
            "Borough (Camden) cells, zoom 13",
            "/map/data/map.json",
            lambda: {**months, "zoom": 13, "bbox": bbox_text(jitter(CAMDEN, rng, 0.01))},
        ),
        (
            "Street points, zoom 16",
            "/map/data/map.json",
            lambda: {**months, "zoom": 16, "bbox": bbox_text(jitter(street, rng, 0.003))},
        ),
        (
            "Borough totals (areas.json)",
            "/map/data/areas.json",
            lambda: {**months, "category": rng.sample(["burglary", "drugs", "robbery"], 2)},
        ),
        (
            "Borough trend (trend.json)",
            "/map/data/trend.json",
            lambda: {**months, "borough": rng.choice(["E09000033", "E09000007", "E09000028"])},
        ),
        (
            "Hot streets, borough",
            "/map/data/hot-streets.json",
            lambda: {**months, "borough": rng.choice(["E09000033", "E09000007", "E09000028"])},
        ),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    print()
    print(
        f"API ({args.requests} requests each, {months['month_from']} to "
        f"{months['month_to']}, all types unless said)"
    )
    print(f"{'view':<34}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'KB mean':>9}{'KB max':>8}  goals")
    for label, path, params in views:
        result = measure(client, path, params, args.requests)
        ok = result["p95"] < 50 and result["bytes_max"] < 200_000
        print(
            f"{label:<34}{result['p50']:>8.1f}{result['p95']:>8.1f}{result['max']:>8.1f}"
            f"{result['bytes_mean'] / 1024:>9.1f}{result['bytes_max'] / 1024:>8.1f}  "
            f"{'met' if ok else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
