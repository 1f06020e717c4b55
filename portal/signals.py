"""Signal receivers: drop cached public pages whenever published content changes."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal import page_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(page_slug_changed)
def invalidate_on_page_change(sender, **kwargs) -> None:
    page_cache.invalidate()


def invalidate_on_page_delete(sender, instance, **kwargs) -> None:
    if getattr(instance, "live", False):
        page_cache.invalidate()


def invalidate_after_commit(sender, **kwargs) -> None:
    transaction.on_commit(page_cache.invalidate)
