"""manage.py generate_policeuk --months 12 --out DIR

Writes synthetic police.uk-format street-level CSV files (NOT real crimes) for demos and
benchmarks. Import them with manage.py import_policeuk DIR: they are labelled synthetic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapping.synthetic import INVENTED, REAL, generate, months_ending


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--end must be YYYY-MM, not {text!r}") from error


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Generate synthetic police.uk street-level CSV files (not real crimes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="Folder to write to.")
        parser.add_argument("--months", type=int, default=12, help="How many months (12).")
        parser.add_argument("--end", default="2025-01", help="Last month, YYYY-MM (2025-01).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 = a full Met month, ~90,000 rows."
        )
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--locations",
            choices=[REAL, INVENTED],
            default=REAL,
            help="real: the shipped police.uk samples' snap points (real streets, the default); "
            "invented: made-up streets at London's scale of locations (for benchmarks).",
        )

    def handle(self, *args, **options) -> None:
        if not 1 <= options["months"] <= 120:
            raise CommandError("--months must be between 1 and 120.")
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        files = generate(
            out_dir=options["out"],
            months=months_ending(_month(options["end"]), options["months"]),
            scale=options["scale"],
            seed=options["seed"],
            locations=options["locations"],
        )
        self.stdout.write(f"Wrote {len(files)} synthetic files under {options['out']}.")
