import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


@pytest.fixture
def page_cache_on():
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=300):
        yield


def test_anonymous_visitors_get_a_cached_copy(client, home_page):
    first = client.get("/")
    second = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"


def test_publishing_invalidates_the_cache(client, home_page):
    client.get("/")
    home_page.intro = "A brand new introduction for residents."
    home_page.save_revision().publish()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "A brand new introduction for residents." in response.content.decode()


def test_logged_in_editors_are_never_served_from_the_cache(client, home_page, django_user_model):
    client.get("/")
    user = django_user_model.objects.create_user("editor", password="pw-for-tests")
    client.force_login(user)
    response = client.get("/")
    assert "X-Page-Cache" not in response


def test_restricted_pages_are_not_cached(client, home_page):
    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)
    client.get("/")
    response = client.get("/")
    assert "X-Page-Cache" not in response


def test_other_views_are_not_cached(client, home_page):
    client.get("/search/?query=borough")
    assert "X-Page-Cache" not in client.get("/search/?query=borough")


def test_each_url_has_its_own_entry(client, home_page):
    client.get("/")
    assert client.get("/?utm=1")["X-Page-Cache"] == "miss"


def test_another_process_publishing_invalidates_within_a_second(client, home_page, monkeypatch):
    """The generation lives in the shared cache; other processes re-read it within 1 s."""
    from django.core.cache import cache

    from portal import page_cache

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    cache.incr(page_cache.GENERATION_KEY)  # what invalidate() does in another process
    later = page_cache.clock() + page_cache.GENERATION_RECHECK_SECONDS + 0.01
    monkeypatch.setattr(page_cache, "clock", lambda: later)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_importing_map_data_invalidates_the_cache(
    client, home_page, django_capture_on_commit_callbacks
):
    import datetime as dt

    from mapping.factories import DatasetFactory

    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        DatasetFactory(month=dt.date(2025, 2, 1))
    assert client.get("/")["X-Page-Cache"] == "miss"
