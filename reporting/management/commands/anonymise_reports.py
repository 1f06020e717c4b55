"""Remove the personal details of closed reports some time after closure."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.services import anonymise_closed_reports


class Command(BaseCommand):
    help = (
        "Anonymise closed reports: delete contact details and photos, blank the people "
        "involved, keep the report content and statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help=f"Days since closure (default REPORTING_RETENTION_DAYS, now "
            f"{settings.REPORTING_RETENTION_DAYS}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args, older_than_days=None, dry_run=False, **options):
        days = settings.REPORTING_RETENTION_DAYS if older_than_days is None else older_than_days
        count = anonymise_closed_reports(older_than_days=days, dry_run=dry_run)
        noun = "report" if count == 1 else "reports"
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} {noun} closed over {days} days ago would be anonymised."
            )
        else:
            self.stdout.write(f"Anonymised {count} {noun} closed over {days} days ago.")
