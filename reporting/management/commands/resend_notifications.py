"""The sweep: enqueue again every notification not sent yet (worker down, mail refused)."""

from django.core.management.base import BaseCommand

from reporting.services import requeue_unsent_notifications


class Command(BaseCommand):
    help = "Enqueue again unsent report notifications older than --after-minutes (default 5)."

    def add_arguments(self, parser):
        parser.add_argument("--after-minutes", type=int, default=5)

    def handle(self, *args, after_minutes=5, **options):
        count = requeue_unsent_notifications(older_than_minutes=after_minutes)
        self.stdout.write(f"Enqueued {count} notification{'s' if count != 1 else ''} again.")
