"""Load the demo content of every app: safe to run again (each app's loader is idempotent).

Says one line per app; ``--verbosity 2`` lists everything each loader made or changed."""

import importlib
import io
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

# Order matters: reports and maps refer to the borough and neighbourhood pages.
DEMO_APPS = ("standards", "mapping", "reporting", "reporting.forwarding")


class Command(BaseCommand):
    help = "Create or refresh the demo content (pages, accounts, map data, reports)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only",
            action="append",
            choices=DEMO_APPS,
            help="Load only this app's demo content (repeatable).",
        )

    def handle(self, *args, only: list[str] | None = None, **options) -> None:
        detailed = options.get("verbosity", 1) >= 2
        for app in only or DEMO_APPS:
            if find_spec(f"{app}.demo") is None:
                continue
            module = importlib.import_module(f"{app}.demo")
            self.stdout.write(f"Demo content: {app}")
            with transaction.atomic():
                module.load(stdout=self.stdout if detailed else io.StringIO())
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
