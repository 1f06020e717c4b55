from django.apps import AppConfig


class StandardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "standards"
    verbose_name = "Standards and neighbourhoods"

    def ready(self) -> None:
        from standards import signals

        signals.connect()
