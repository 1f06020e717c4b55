"""Keep derived state in step with the page tree: cached areas and editorial set-up."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from standards import selectors


def _invalidate(**kwargs) -> None:
    transaction.on_commit(selectors.invalidate_neighbourhood_areas)
    selectors.invalidate_neighbourhood_areas()


def _set_up_editorial(sender, instance, **kwargs) -> None:
    from standards import services
    from standards.models import BoroughPage, NeighbourhoodPage

    if isinstance(instance, BoroughPage):
        services.setup_borough_editorial(borough_page=instance)
    elif isinstance(instance, NeighbourhoodPage):
        borough_page = instance.borough_page
        services.setup_borough_editorial(borough_page=borough_page)
        services.setup_neighbourhood_editor_group(neighbourhood_page=instance)


def connect() -> None:
    from standards.models import BoroughPage, NeighbourhoodPage

    for model in (BoroughPage, NeighbourhoodPage):
        page_published.connect(_invalidate, sender=model, dispatch_uid=f"areas-pub-{model}")
        page_unpublished.connect(_invalidate, sender=model, dispatch_uid=f"areas-unpub-{model}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"areas-del-{model}")
        page_published.connect(_set_up_editorial, sender=model, dispatch_uid=f"editorial-{model}")
    post_page_move.connect(_invalidate, dispatch_uid="areas-move")
    page_slug_changed.connect(_invalidate, dispatch_uid="areas-slug")
