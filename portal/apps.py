from django.apps import AppConfig
from django.db.models.signals import post_delete


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"

    def ready(self) -> None:
        from wagtail.models import Page

        from portal import signals

        post_delete.connect(signals.invalidate_on_page_delete, sender=Page, weak=False)
