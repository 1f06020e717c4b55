"""X-Forwarded-* from the trusted proxy only (portal/proxy.py), applied to a WSGI app that
shows what it was given. (tests/production/test_serve_production.py checks the same
through gunicorn on loopback.)"""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.proxy import behind_trusted_proxy, trusted_proxy_address

PROXY = "10.0.0.5"


def seen_by_app(peer: str, headers: dict[str, str], trusted: str | None = PROXY) -> dict:
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "portal.internal",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "asb.example.org",
        "REMOTE_ADDR": peer,
        "wsgi.url_scheme": "http",
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    statuses = []
    body = behind_trusted_proxy(app, trusted)(environ, lambda status, _: statuses.append(status))
    assert b"".join(body) == b"ok", statuses
    return seen


FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "198.51.100.1, 203.0.113.9",
    "X-Forwarded-Host": "evil.example",
}


def test_the_trusted_proxy_says_https_and_who_the_visitor_is():
    seen = seen_by_app(PROXY, FORWARDED)
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["REMOTE_ADDR"] == "203.0.113.9"  # the address the proxy itself saw
    assert seen["HTTP_HOST"] == "asb.example.org"  # X-Forwarded-Host is never believed
    assert "HTTP_X_FORWARDED_HOST" not in seen


def test_anyone_else_is_ignored_and_their_headers_removed():
    seen = seen_by_app("198.51.100.1", FORWARDED)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == "198.51.100.1"
    assert not [name for name in seen if name.startswith("HTTP_X_FORWARDED")]


def test_without_a_trusted_proxy_nobody_is_believed():
    seen = seen_by_app(PROXY, FORWARDED, trusted=None)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == PROXY


@pytest.mark.parametrize(("value", "address"), [("", None), (" 127.0.0.1 ", "127.0.0.1")])
def test_trusted_proxy_setting(value, address):
    assert trusted_proxy_address(value) == address


@pytest.mark.parametrize("value", ["*", "10.0.0.0/8", "proxy.internal", "10.0.0.1,10.0.0.2"])
def test_trusted_proxy_must_be_one_address(value):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY"):
        trusted_proxy_address(value)
