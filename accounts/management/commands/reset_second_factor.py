"""Remove a person's second factors, so they set up new ones at their next sign-in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts import services


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app, passkeys and recovery codes (a lost phone and "
        "lost codes): they set up a second factor again at their next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No account called {username!r}") from error
        removed = services.reset_second_factor(user=user)
        self.stdout.write(f"Removed {removed} second factor(s) of {username}.")
