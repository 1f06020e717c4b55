"""Factories for the portal's own pages: the home page at the root of the default site."""

from __future__ import annotations

import wagtail_factories
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from portal.models import HomePage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "London ASB portal"
    slug = "home"

    class Meta:
        model = HomePage


def home_page() -> HomePage:
    """The site's home page, made (and published, and the default site's root) if missing,
    in place of Wagtail's welcome page."""
    # Transactional tests (browser tests) flush every table afterwards, including the
    # locale and root page that Wagtail's migrations create: recreate them when missing.
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    existing = HomePage.objects.first()
    if existing is not None:
        return existing
    for page in root.get_children():
        page.delete()
    home = HomePageFactory(parent=root)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "London ASB portal",
        },
    )
    return home
