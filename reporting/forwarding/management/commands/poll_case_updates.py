from django.core.management.base import BaseCommand

from reporting.forwarding.polling import poll_all


class Command(BaseCommand):
    help = "Fetch Open311 servicerequestupdates from every case system with polling enabled."

    def handle(self, *args, **options) -> None:
        for result in poll_all():
            if options["verbosity"] > 0 or result.error:
                line = (
                    f"{result.borough_code}: fetched {result.fetched}, applied {result.applied}, "
                    f"duplicates {result.duplicates}, unknown {result.unknown}, "
                    f"tokens resolved {result.tokens_resolved}"
                )
                if result.error:
                    line += f", error: {result.error}"
                self.stdout.write(line)
