"""Fixtures shared by the whole suite."""

import os
import threading

import pytest

from devtools.casesystem import Config, make_server
from devtools.smtp_sink import Sink, SinkChaos, make_sink
from tests.local_services import (
    HACKNEY,
    INBOUND_SECRET,
    LAMBETH,
    OPEN311_KEY,
    WEBHOOK_SECRET,
    WESTMINSTER,
    RunningCaseSystem,
    submit,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used
# synchronously from that thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _suite_database() -> str:
    """The vendor of the database this run of the suite is on (bin/test runs it twice)."""
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.database("postgresql")``: a test of that database only, or one that
    brings its own (a PostgreSQL topology, Redis): it runs in that stage of bin/test only,
    and is deselected (not skipped) in the other."""
    vendor = _suite_database()
    keep, other_stage = [], []
    for item in items:
        marker = item.get_closest_marker("database")
        (other_stage if marker and vendor not in marker.args else keep).append(item)
    if other_stage:
        config.hook.pytest_deselected(items=other_stage)
        items[:] = keep


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
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with a second factor as staff must be."""
    from tests.accounts.helpers import login_verified

    login_verified(client, admin_user)
    return client


@pytest.fixture
def home_page(db):
    """A site whose root is the portal's HomePage (replacing Wagtail's welcome page)."""
    from portal.factories import home_page

    return home_page()


# --- real local stand-ins for outside systems (loopback only) ---------------------------


@pytest.fixture
def case_system(tmp_path):
    config = Config(
        db_path=str(tmp_path / "casesystem.sqlite3"),
        open311_key=OPEN311_KEY,
        webhook_secret=WEBHOOK_SECRET,
        portal_secret=INBOUND_SECRET,
        seed=1,
    )
    server, system = make_server("127.0.0.1", 0, config)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    yield RunningCaseSystem(system, server)
    system.stop()
    server.shutdown()
    server.server_close()


@pytest.fixture
def secrets_env(monkeypatch):
    monkeypatch.setenv("TEST_OPEN311_KEY", OPEN311_KEY)
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("TEST_INBOUND_SECRET", INBOUND_SECRET)


@pytest.fixture
def smtp_sink(tmp_path, settings) -> Sink:
    """A real SMTP server on loopback, and the portal's email going to it over SMTP."""
    sink = make_sink("127.0.0.1", 0, 0, str(tmp_path / "mail.sqlite3"), SinkChaos(seed=1))
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.smtp_port
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def open311_config(db, case_system, secrets_env):
    from reporting.outbox.models import AdapterKind, CaseSystemConfig

    return CaseSystemConfig.objects.create(
        borough_code=LAMBETH,
        kind=AdapterKind.OPEN311,
        endpoint_url=f"{case_system.url}/open311/v2/",
        jurisdiction_id="lambeth",
        service_codes={"noise": "ASB-NOISE"},
        credential_env="TEST_OPEN311_KEY",
        inbound_secret_env="TEST_INBOUND_SECRET",
        poll_updates=True,
    )


@pytest.fixture
def webhook_config(db, case_system, secrets_env):
    from reporting.outbox.models import AdapterKind, CaseSystemConfig

    return CaseSystemConfig.objects.create(
        borough_code=HACKNEY,
        kind=AdapterKind.WEBHOOK,
        endpoint_url=f"{case_system.url}/webhook/cases",
        credential_env="TEST_WEBHOOK_SECRET",
        inbound_secret_env="TEST_INBOUND_SECRET",
    )


@pytest.fixture
def email_config(db):
    from reporting.outbox.models import AdapterKind, CaseSystemConfig

    return CaseSystemConfig.objects.create(
        borough_code=WESTMINSTER, kind=AdapterKind.EMAIL, email_to="asb-cases@westminster.invalid"
    )


@pytest.fixture
def file_report(db, django_capture_on_commit_callbacks):
    """Submit a report and run what is enqueued on commit (ImmediateBackend in tests)."""

    def _file(borough: str = LAMBETH, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(borough, **kwargs)

    return _file
