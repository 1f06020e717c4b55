"""Production settings fail closed, and the README's production environment passes
``manage.py check --deploy`` with no warning at all.

Each case runs the real command in a process of its own, with exactly the variables the
README documents (placeholders such as ``<at least 50 random characters…>`` filled in),
and nothing else from this process's environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from devtools.loopback import free_port

# Each case is a process with the README's production environment, not the suite's
# database: they run once, in the PostgreSQL stage (the production database).
pytestmark = pytest.mark.database("postgresql")

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- production-environment -->"
DEV_KEY = "dev-only-insecure-key-change-me"  # portal/settings/dev.py's default


def readme_production_environment() -> dict[str, str]:
    """The README's production environment block, placeholders filled in."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    environment = {}
    for line in block.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            if value.startswith("<") and value.endswith(">"):
                value = secrets.token_urlsafe(50) if name == "SECRET_KEY" else f"x-{name.lower()}"
            environment[name] = value
    return environment


def run(environment: dict[str, str], *args: str, timeout: float = 120):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_readme_documents_the_production_environment():
    environment = readme_production_environment()
    assert environment["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "TRUSTED_PROXY", "DATABASE_URL", "CACHE_URL"):
        assert environment[name], name
    assert environment["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_check_deploy_passes_with_the_readme_environment():
    completed = run(
        readme_production_environment(), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "System check identified no issues" in completed.stdout, output
    assert "WARNING" not in output and "?:" not in output, output


UNSAFE = {
    "no SECRET_KEY": ({"SECRET_KEY": None}, "SECRET_KEY is not set."),
    "empty SECRET_KEY": ({"SECRET_KEY": ""}, "SECRET_KEY is not set."),
    "short SECRET_KEY": ({"SECRET_KEY": "k" * 10 + secrets.token_hex(19)}, "too weak"),
    "dev SECRET_KEY": ({"SECRET_KEY": DEV_KEY}, "development key"),
    "test SECRET_KEY": ({"SECRET_KEY": "test-only-key"}, "development key"),
    "startproject SECRET_KEY": (
        {"SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(50)},
        "development key",
    ),
    "DEBUG on": ({"DEBUG": "true"}, "DEBUG is on"),
    **{
        f"{kind} email": (
            {"EMAIL_BACKEND": f"django.core.mail.backends.{kind}.EmailBackend"},
            f"EMAIL_BACKEND django.core.mail.backends.{kind}.EmailBackend",
        )
        for kind in ("console", "locmem", "dummy", "filebased")
    },
}


@pytest.mark.parametrize(("change", "reason"), UNSAFE.values(), ids=UNSAFE.keys())
def test_production_refuses_an_unsafe_configuration(change, reason):
    environment = readme_production_environment()
    for name, value in change.items():
        if value is None:
            environment.pop(name)
        else:
            environment[name] = value
    completed = run(environment, "manage.py", "check")
    assert completed.returncode != 0
    assert "ImproperlyConfigured: Refusing to start in production:" in completed.stderr
    assert reason in completed.stderr, completed.stderr


def test_gunicorn_refuses_to_serve_an_unsafe_configuration():
    environment = readme_production_environment()
    environment.update(DEBUG="true", PORTAL_BIND=f"127.0.0.1:{free_port()}", PORTAL_WORKERS="1")
    completed = run(environment, "-m", "gunicorn", "--config", "python:portal.gunicorn_conf")
    assert completed.returncode != 0
    assert "Refusing to start in production: DEBUG is on" in completed.stderr


def test_defaults_are_safe_when_the_environment_is_empty():
    show = (
        "import json, importlib, sys; s = importlib.import_module(sys.argv[1]); "
        "print(json.dumps({'debug': s.DEBUG, 'email': s.EMAIL_BACKEND}))"
    )
    base = json.loads(run({}, "-c", show, "portal.settings.base").stdout)
    assert base == {"debug": False, "email": "django.core.mail.backends.smtp.EmailBackend"}
    dev = json.loads(run({}, "-c", show, "portal.settings.dev").stdout)
    # development email goes to files in var/mail/, never to the terminal
    assert dev == {"debug": False, "email": "django.core.mail.backends.filebased.EmailBackend"}
