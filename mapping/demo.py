"""Demo data for the map: the real police.uk samples, plus a small synthetic history
placed on the samples' real snap points (real streets, in their real boroughs).

``load(stdout=...)`` is called by ``manage.py load_demo``; it is idempotent (every
force-month replaces its earlier import). The synthetic months are labelled synthetic
everywhere they are shown.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from mapping.importer import Tally
from mapping.pipeline import import_sources
from mapping.sources import sources_for
from mapping.synthetic import REAL, generate, months_ending

SAMPLES = Path(__file__).resolve().parent / "data" / "policeuk"
SYNTHETIC_END = dt.date(2025, 5, 1)
SYNTHETIC_MONTHS = 12
SYNTHETIC_SCALE = 0.1  # about 9,000 Met rows a month


def real_data_covers(force: str, month: dt.date, type_slug: str) -> bool:
    """Leave out of the synthetic months what the real samples cover."""
    if force == "metropolitan" and month == dt.date(2025, 2, 1):
        return type_slug == "burglary"
    return force == "city-of-london" and month == dt.date(2025, 5, 1)


def import_paths(paths: list[Path], *, synthetic: bool = False) -> Tally:
    return import_sources(sources_for(paths), synthetic=synthetic).summary


def load(*, stdout) -> None:
    real = import_paths(sorted(SAMPLES.glob("*.csv")))
    stdout.write(f"Map: imported {real.imported:,} real police.uk rows from the samples.\n")
    with tempfile.TemporaryDirectory() as folder:
        generate(
            out_dir=Path(folder),
            months=months_ending(SYNTHETIC_END, SYNTHETIC_MONTHS),
            scale=SYNTHETIC_SCALE,
            exclude=real_data_covers,
            locations=REAL,  # on the samples' real snap points: every street is real
        )
        synthetic = import_paths([Path(folder)], synthetic=True)
    stdout.write(
        f"Map: imported {synthetic.imported:,} rows of synthetic demo data (not real crimes).\n"
    )
