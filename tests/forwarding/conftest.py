"""Fixtures for the forwarding tests: the reference case system on loopback, borough
case system configurations pointing at it, and reports made through submit_report."""

from __future__ import annotations

import threading

import pytest

from devtools.casesystem import Chaos, Config, make_server

LAMBETH = "E09000022"
HACKNEY = "E09000012"
WESTMINSTER = "E09000033"
POINTS = {
    LAMBETH: (51.4607, -0.1163),
    HACKNEY: (51.5450, -0.0553),
    WESTMINSTER: (51.5074, -0.1278),
}
OPEN311_KEY = "open311-test-key"
WEBHOOK_SECRET = "webhook-test-secret"
INBOUND_SECRET = "inbound-test-secret"


class RunningCaseSystem:
    def __init__(self, system, server) -> None:
        self.system = system
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"

    @property
    def chaos(self) -> Chaos:
        return self.system.chaos

    def stats(self) -> dict:
        return self.system.store.stats()

    def cases(self, reference: str = "") -> list[dict]:
        return self.system.store.cases(reference=reference)


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
def open311_config(db, case_system, secrets_env):
    from reporting.forwarding.models import AdapterKind, CaseSystemConfig

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
    from reporting.forwarding.models import AdapterKind, CaseSystemConfig

    return CaseSystemConfig.objects.create(
        borough_code=HACKNEY,
        kind=AdapterKind.WEBHOOK,
        endpoint_url=f"{case_system.url}/webhook/cases",
        credential_env="TEST_WEBHOOK_SECRET",
        inbound_secret_env="TEST_INBOUND_SECRET",
    )


@pytest.fixture
def email_config(db):
    from reporting.forwarding.models import AdapterKind, CaseSystemConfig

    return CaseSystemConfig.objects.create(
        borough_code=WESTMINSTER, kind=AdapterKind.EMAIL, email_to="asb-cases@westminster.invalid"
    )


HIGH_RISK_SCREENING = {
    "how_often": "daily",
    "effects": ["sleep", "health"],
    "unsafe_at_home": "yes",
    "targeted": ["race"],
    "health_worsened": "yes",
    "vulnerable_people": "yes",
    "reported_before": "recent",
}


def make_draft(borough: str = LAMBETH, *, high_risk: bool = False, contact=True, **overrides):
    from reporting.drafts import ContactDetails, ReportDraft

    lat, lon = POINTS[borough]
    values = {
        "category": "noise",
        "qualifier": "nuisance",
        "description": "Loud music from the flat above every night until 4am.",
        "latitude": lat,
        "longitude": lon,
        "screening": HIGH_RISK_SCREENING if high_risk else {"how_often": "few"},
        "contact": (
            ContactDetails(name="Ada Lovelace", email="ada@example.org", phone="020 7946 0000")
            if contact is True
            else (contact or None)
        ),
    }
    values.update(overrides)
    return ReportDraft(**values)


def submit(borough: str = LAMBETH, **kwargs):
    """submit_report + create_deliveries in one transaction, as the lead will wire it."""
    from django.db import transaction

    from reporting.forwarding.services import create_deliveries
    from reporting.services import submit_report

    with transaction.atomic():
        submitted = submit_report(draft=make_draft(borough, **kwargs))
        create_deliveries(report=submitted.report)
    return submitted.report


@pytest.fixture
def file_report(db, django_capture_on_commit_callbacks):
    """Submit a report and run what is enqueued on commit (ImmediateBackend in tests)."""

    def _file(borough: str = LAMBETH, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return submit(borough, **kwargs)

    return _file
