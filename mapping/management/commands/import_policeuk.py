"""manage.py import_policeuk FILE_OR_FOLDER_OR_ZIP ...

Imports police.uk street-level CSV (files, folders of them, or data.police.uk zip
archives). Each force-month found replaces any earlier import of it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapping.pipeline import import_sources
from mapping.progress import ProgressBar
from mapping.services import retag_neighbourhoods
from mapping.sources import sources_for


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Import police.uk street-level crime and ASB files (CSV, folders or zip archives)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="CSV files, folders or zips.")
        parser.add_argument(
            "--synthetic",
            action="store_true",
            help="Mark the data as synthetic (generated demo data, not real crimes).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show a progress bar on stderr even when it is not a terminal.",
        )
        parser.add_argument(
            "--retag-neighbourhoods",
            action="store_true",
            help="Look up every location's neighbourhood again and rebuild their totals.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes that read files while this one stores them (default: one "
            "per core; inputs under 16 MB are read in a thread).",
        )
        parser.add_argument(
            "--max-problems",
            type=int,
            default=50,
            help="How many bad rows to list (all are counted). Default 50.",
        )

    def handle(self, *args, **options) -> None:
        paths: list[Path] = options["paths"]
        if options["retag_neighbourhoods"]:
            changed = retag_neighbourhoods()
            self.stdout.write(f"Neighbourhoods looked up again: {changed:,} locations changed.")
        if not paths:
            if not options["retag_neighbourhoods"]:
                raise CommandError("Give at least one CSV file, folder or zip archive.")
            return
        try:
            sources = sources_for(paths)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if not sources:
            raise CommandError("No street-level CSV files found.")

        show = options["progress"] or self.stderr.isatty()
        total_bytes = sum(source.size for source in sources)
        bar = ProgressBar(
            partial(self.stderr.write, ending=""),
            total=total_bytes,
            enabled=show,
            label="Importing ",
        )

        def stored(dataset, batch, source) -> None:
            self.stdout.write(
                f"{dataset}: {batch.tally.imported:,} of {batch.tally.read:,} rows imported"
                f" from {source.name}",
            )

        run = import_sources(
            sources,
            synthetic=options["synthetic"],
            max_problems=options["max_problems"],
            progress=bar.update,
            on_stored=stored,
            workers=options["workers"],
        )
        bar.finish()
        summary, problems = run.summary, run.problems
        for problem in problems[: options["max_problems"]]:
            self.stderr.write(f"Skipped {problem}")
        if len(problems) > options["max_problems"]:
            self.stderr.write(f"... and {len(problems) - options['max_problems']:,} more.")
        self.stdout.write(
            "Summary:\n"
            f"  rows read:          {summary.read:,}\n"
            f"  imported:           {summary.imported:,}\n"
            f"  without location:   {summary.without_location:,}\n"
            f"  outside London:     {summary.outside_london:,}\n"
            f"  rejected:           {summary.rejected:,}"
        )
