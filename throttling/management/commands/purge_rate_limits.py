from django.core.management.base import BaseCommand

from throttling.limits import purge_expired


class Command(BaseCommand):
    help = "Delete the rate-limit counters of windows that have ended (run by the scheduler)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Deleted {purge_expired()} expired rate-limit counters.")
