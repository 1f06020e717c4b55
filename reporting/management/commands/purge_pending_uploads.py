"""Delete photos uploaded in the report flow but never sent."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.services import purge_pending_uploads


class Command(BaseCommand):
    help = "Delete pending report photos older than REPORTING_PENDING_UPLOAD_HOURS."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=None)

    def handle(self, *args, older_than_hours=None, **options):
        hours = (
            settings.REPORTING_PENDING_UPLOAD_HOURS
            if older_than_hours is None
            else older_than_hours
        )
        count = purge_pending_uploads(older_than_hours=hours)
        self.stdout.write(
            f"Deleted {count} pending photo{'s' if count != 1 else ''} older than {hours} hours."
        )
