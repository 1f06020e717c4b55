"""``manage.py outbox_status``: the outbox per borough, as the admin's outbox page shows it."""

from django.core.management.base import BaseCommand, CommandParser

from reporting.outbox import selectors
from reporting.outbox.models import State


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h"


class Command(BaseCommand):
    help = "Print the outbox per borough: queued, in flight, delivered, dead, oldest waiting."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--borough", action="append", help="ONS code (repeatable)")
        parser.add_argument("--dead", action="store_true", help="also list the dead letters")

    def handle(self, *args, borough=None, dead=False, **options) -> None:
        codes = set(borough) if borough else None
        rows = selectors.borough_summary(codes)
        header = f"{'borough':<26} {'queued':>7} {'in flight':>9} {'delivered':>9} {'dead':>6}"
        self.stdout.write(f"{header} {'oldest waiting':>14}")
        for row in [*rows, selectors.totals(codes)]:
            self.stdout.write(
                f"{row.borough_name[:26]:<26} {row.queued:>7} {row.in_flight:>9} "
                f"{row.delivered:>9} {row.dead:>6} {_age(row.waiting_seconds):>14}"
            )
        cancelled = sum(row.counts.get(State.CANCELLED, 0) for row in rows)
        if cancelled:
            self.stdout.write(f"({cancelled} not sent: nothing to send any more)")
        if dead:
            for message in selectors.dead_letters(codes):
                reference = message.report.reference if message.report else "-"
                self.stdout.write(
                    f"dead #{message.pk} {message.kind} {reference} "
                    f"{message.borough_code or '-'}: {message.last_error[:200]}"
                )
