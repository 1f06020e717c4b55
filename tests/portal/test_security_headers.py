"""Security headers: the Content-Security-Policy (public pages and the admin), the tiles'
origin from MAP_TILE_URL, Permissions-Policy and Django's own headers, on rendered pages
and on copies served from the page cache; and no inline code in the public templates."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from portal.security_headers import permissions_policy, tile_source

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


@pytest.mark.django_db
def test_public_pages_allow_no_inline_code_and_no_framing(client, home_page):
    response = client.get("/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "http://tiles.invalid"]  # test settings
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = response["Permissions-Policy"]
    assert "geolocation=(self)" in features
    for feature in ("camera", "microphone", "payment"):
        assert f"{feature}=()" in features
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.django_db
def test_copies_from_the_page_cache_carry_the_same_headers(client, home_page):
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=300):
        first = client.get("/")
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"):
        assert second[header] == first[header]


@pytest.mark.django_db
def test_the_map_page_starts_leaflet_without_inline_script(client):
    html = client.get(reverse("mapping:london")).content.decode()
    assert 'data-leaflet-map="london-map"' in html
    assert "portal/leaflet-maps.js" in html
    assert not INLINE_SCRIPT.search(html)


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(client):
    response = client.get(reverse("wagtailadmin_login"))
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's inline scripts
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page preview
    assert policy["object-src"] == ["'none'"]
    assert "http://tiles.invalid" in policy["img-src"]  # the report's map


@pytest.mark.django_db
def test_a_page_preview_keeps_the_public_policy_but_may_be_framed_by_the_admin(home_page):
    policy = directives(home_page.make_preview_request())  # as the admin's preview does
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_img_src_follows_map_tile_url(client, home_page):
    with override_settings(MAP_TILE_URL="https://{s}.tiles.example.net/{z}/{x}/{y}.png"):
        policy = directives(client.get("/"))
    assert policy["img-src"][-1] == "https://*.tiles.example.net"


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org"),
        ("http://tiles.local:8080/osm/{z}/{x}/{y}.png", "http://tiles.local:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_source(url, source):
    assert tile_source(url) == source


@pytest.mark.parametrize("url", ["https://tiles-{s}.example.org/{z}.png", "//{s}/{z}.png"])
def test_a_tile_origin_that_varies_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILE_URL"):
        tile_source(url)


def test_permissions_policy_header():
    header = permissions_policy({"geolocation": ["self", "https://maps.example"], "camera": []})
    assert header == 'geolocation=(self "https://maps.example"), camera=()'


def public_templates() -> list[Path]:
    """Templates of public pages: not the admin's (its own policy) nor emails' (not pages)."""
    return [
        path
        for path in TEMPLATES.rglob("*.html")
        if "admin" not in path.relative_to(TEMPLATES).parts[:-1]
        and "email" not in path.relative_to(TEMPLATES).parts[:-1]
    ]


@pytest.mark.parametrize("path", public_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_public_templates_have_no_inline_code(path):
    source = path.read_text(encoding="utf-8")
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", "", source, flags=re.S)
    assert not INLINE_SCRIPT.search(source), "inline <script>: use a static file"
    assert not HANDLER.search(source), "inline event handler: use a static file"
    assert not STYLE_ATTRIBUTE.search(source), "style attribute: use a class"
    assert "javascript:" not in source
