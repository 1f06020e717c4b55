from django.core.management.base import BaseCommand, CommandParser

from reporting.forwarding.services import issue_open311_key


class Command(BaseCommand):
    help = "Issue a new Open311 API key for another service and print it (shown once only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the key is for, e.g. 'FixMyStreet'.")

    def handle(self, *args, name: str, **options) -> None:
        _, key = issue_open311_key(name=name)
        self.stdout.write(key)
