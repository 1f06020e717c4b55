"""Benchmark: point-in-ward lookups over London's 704 wards, the grid index against a
brute-force loop over every ward polygon, in one run on one core.

Two sets of points:

(a) random points in London's bounding box (about 60% of them in a ward);
(b) the located rows of the real Met street-level file the project ships
    (``mapping/data/policeuk/``: police.uk snap points, many on streets that are ward
    edges), repeated to make up the count.

For each: points per second through ``geography.wards`` (the grid index) and through
the brute-force loop (bounding box, then the same point-in-polygon test, ward by ward),
their ratio, and a check that both gave the same ward for every point. Also the time to
build the index. No database. Prints figures; asserts nothing. Goal (issue 14): at least
50,000 points/s.

    .venv/bin/python bench/wards_bench.py
    .venv/bin/python bench/wards_bench.py --points 200000 --brute-points 10000
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geography import wards  # noqa: E402

LONDON = (-0.5104, 51.2868, 0.3340, 51.6919)  # min lon, min lat, max lon, max lat
MET_FILE = ROOT / "mapping" / "data" / "policeuk" / "2025-02-metropolitan-street.csv"
GOAL = 50_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=100_000, help="Per set, indexed (100,000).")
    parser.add_argument(
        "--brute-points", type=int, default=5_000, help="Per set, brute force (5,000)."
    )
    parser.add_argument("--seed", type=int, default=14)
    return parser.parse_args()


def random_points(rng: random.Random, count: int) -> list[tuple[float, float]]:
    min_lon, min_lat, max_lon, max_lat = LONDON
    return [(rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)) for _ in range(count)]


def met_points(count: int) -> list[tuple[float, float]]:
    with MET_FILE.open(encoding="utf-8", newline="") as handle:
        located = [
            (float(row["Latitude"]), float(row["Longitude"]))
            for row in csv.DictReader(handle)
            if row["Latitude"] and row["Longitude"]
        ]
    return (located * (count // len(located) + 1))[:count]


def rate(lookup, points: list[tuple[float, float]]) -> tuple[float, list]:
    started = time.perf_counter()
    found = [lookup(latitude, longitude) for latitude, longitude in points]
    return len(points) / (time.perf_counter() - started), found


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    index = wards.index()
    build = time.perf_counter() - started
    print(f"Index: {len(index.wards)} wards, built in {build:.2f} s")
    print()
    print(f"{'points':<36}{'index pts/s':>13}{'brute pts/s':>13}{'ratio':>8}{'same':>7}")
    rng = random.Random(args.seed)
    sets = [
        ("(a) random in London's bounding box", random_points(rng, args.points)),
        (f"(b) Met file ({MET_FILE.name[:7]}) rows", met_points(args.points)),
    ]
    for label, points in sets:
        index_rate, found = rate(wards.ward_for, points)
        sample = points[: args.brute_points]
        brute_rate, brute_found = rate(index.brute_force, sample)
        same = all(a is b for a, b in zip(found, brute_found, strict=False))
        placed = sum(ward is not None for ward in found) / len(found)
        print(
            f"{label:<36}{index_rate:>13,.0f}{brute_rate:>13,.0f}"
            f"{index_rate / brute_rate:>7.1f}x{'yes' if same else 'NO':>7}"
            f"   ({placed:.1%} in a ward)"
        )
        verdict = "met" if index_rate >= GOAL else "NOT met"
        print(f"{'':<36}goal >= {GOAL:,} points/s: {verdict}")


if __name__ == "__main__":
    main()
