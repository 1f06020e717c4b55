from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"

    def ready(self) -> None:
        from wagtail.models import Page

        from portal import signals

        post_delete.connect(signals.invalidate_on_page_delete, sender=Page, weak=False)
        # Borough and neighbourhood pages show map data: a new or replaced police.uk
        # month makes their cached copies stale.
        from mapping.models import Dataset

        for signal in (post_save, post_delete):
            signal.connect(signals.invalidate_after_commit, sender=Dataset, weak=False)
