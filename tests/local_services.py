"""Constants and handles of the real local stand-ins the tests start (loopback only):
the reference case system (devtools/casesystem.py) and the SMTP sink
(devtools/smtp_sink.py). The fixtures themselves are in tests/conftest.py."""

from __future__ import annotations

from devtools.casesystem import Chaos

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
    """A report as the flow files it (its outbox messages are posted in its transaction)."""
    from reporting.services import submit_report

    return submit_report(draft=make_draft(borough, **kwargs)).report
