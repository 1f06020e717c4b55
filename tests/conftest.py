"""Fixtures shared by the whole suite."""

import os

import pytest
from wagtail.models import Page, Site

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously from that thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """WhiteNoise scans STATIC_ROOT at start-up; the tests serve static files from finders."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (rate limits, cached pages, lookups)."""
    from django.core.cache import cache

    from portal import page_cache

    cache.clear()
    page_cache.clear_local()
    yield
    cache.clear()
    page_cache.clear_local()


@pytest.fixture
def home_page(db):
    """A site whose root is the portal's HomePage (replacing Wagtail's welcome page)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale

    from portal.models import HomePage

    # Transactional tests (browser tests) flush every table afterwards, including the
    # locale and root page that Wagtail's migrations create: recreate them when missing.
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    existing = HomePage.objects.first()
    if existing:
        return existing
    for page in root.get_children():
        page.delete()
    home = HomePage(title="London ASB portal", slug="home")
    root.add_child(instance=home)
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
