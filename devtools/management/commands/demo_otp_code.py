"""Print the demo authenticator app's current code (the demo accounts' second factor)."""

from django.core.management.base import BaseCommand, CommandParser

from accounts import demo


class Command(BaseCommand):
    help = "Print the current code of the demo authenticator app (demo only, not secret)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--uri", action="store_true", help="print the otpauth:// URI for an app instead"
        )

    def handle(self, *args, uri: bool = False, **options) -> None:
        self.stdout.write(demo.DEMO_OTPAUTH_URI if uri else demo.current_code())
