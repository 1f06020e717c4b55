"""Move a case on at the reference case system, which then tells the portal."""

import json
import urllib.request

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Post a status update for a case at the reference case system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_id", help="The case system's id (CS-...).")
        parser.add_argument("status", choices=["received", "in_progress", "closed"])
        parser.add_argument("--description", default="")
        parser.add_argument("--code", default="", help="external_status_code, e.g. fixed")
        parser.add_argument("--url", default="http://127.0.0.1:8100")

    def handle(self, *args, **options) -> None:
        body = json.dumps(
            {
                "status": options["status"],
                "description": options["description"],
                "external_status_code": options["code"],
            }
        ).encode()
        url = f"{options['url'].rstrip('/')}/admin/cases/{options['case_id']}/status"
        request = urllib.request.Request(  # noqa: S310 - the operator's own URL
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                self.stdout.write(response.read().decode())
        except OSError as error:
            raise CommandError(f"Could not reach the case system at {url}: {error}") from error
