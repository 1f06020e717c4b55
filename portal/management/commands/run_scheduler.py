"""Run the portal's periodic jobs (scheduled publishing, sweeps) in a simple loop.

Each job is a management command with a period in seconds, from settings.PERIODIC_COMMANDS.
At scale, run the same commands from cron or a platform scheduler instead.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the periodic management commands listed in settings.PERIODIC_COMMANDS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once: bool = False, **options) -> None:
        jobs = [(name, float(period)) for name, period in settings.PERIODIC_COMMANDS]
        next_run = {name: 0.0 for name, _ in jobs}
        while True:
            now = time.monotonic()
            for name, period in jobs:
                if once or now >= next_run[name]:
                    self._run(name)
                    next_run[name] = now + period
            if once:
                return
            time.sleep(max(0.5, min(next_run.values()) - time.monotonic()))

    def _run(self, name: str) -> None:
        try:
            call_command(name, verbosity=0)
        except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
            self.stderr.write(f"{name} failed: {error!r}")
