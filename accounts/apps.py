from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = "Staff sign-in"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 - connects the receiver
