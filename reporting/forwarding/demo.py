"""Demo: the trial boroughs' case systems point at the reference case system.

Run the case system alongside the portal (bin/start does)::

    manage.py run_case_system --port 8100 --db var/casesystem.sqlite3 --pace 60 \\
        --portal-url "http://127.0.0.1:8000/api/case-updates/{borough}/"

with the same three secrets in the environment of both processes:
CASE_SYSTEM_OPEN311_KEY, CASE_SYSTEM_WEBHOOK_SECRET and CASE_SYSTEM_PORTAL_SECRET.
The configurations below only NAME those variables; the values never enter the database.
"""

from __future__ import annotations

import os

from django.db import transaction

from reporting.forwarding.models import Open311ApiKey
from reporting.messages import CASE_REPORT, priority_of
from reporting.models import Report
from reporting.outbox import services as outbox
from reporting.outbox.models import AdapterKind, CaseSystemConfig
from reporting.outbox.services import Outgoing

CASE_SYSTEM_URL = os.environ.get("CASE_SYSTEM_URL", "http://127.0.0.1:8100").rstrip("/")

DEMO_CONFIGS = {
    # Lambeth and Harrow: Open311, updates fetched by polling
    "E09000022": {
        "kind": AdapterKind.OPEN311,
        "endpoint_url": f"{CASE_SYSTEM_URL}/open311/v2/",
        "jurisdiction_id": "E09000022",
        "service_codes": {"noise": "ASB-NOISE", "rowdy-neighbours": "ASB-NEIGHBOURS"},
        "credential_env": "CASE_SYSTEM_OPEN311_KEY",
        "inbound_secret_env": "CASE_SYSTEM_PORTAL_SECRET",
        "poll_updates": True,
    },
    "E09000015": {
        "kind": AdapterKind.OPEN311,
        "endpoint_url": f"{CASE_SYSTEM_URL}/open311/v2/",
        "jurisdiction_id": "E09000015",
        "credential_env": "CASE_SYSTEM_OPEN311_KEY",
        "inbound_secret_env": "CASE_SYSTEM_PORTAL_SECRET",
        "poll_updates": True,
    },
    # Hackney: a signed webhook; the case system pushes updates to the inbound endpoint
    "E09000012": {
        "kind": AdapterKind.WEBHOOK,
        "endpoint_url": f"{CASE_SYSTEM_URL}/webhook/cases",
        "credential_env": "CASE_SYSTEM_WEBHOOK_SECRET",
        "inbound_secret_env": "CASE_SYSTEM_PORTAL_SECRET",
    },
    # Richmond: no API, reports go to a case intake inbox
    "E09000027": {
        "kind": AdapterKind.EMAIL,
        "email_to": "asb-cases@richmond.gov.uk.invalid",
    },
}


def load(*, stdout) -> None:
    with transaction.atomic():
        for code, values in DEMO_CONFIGS.items():
            config, created = CaseSystemConfig.objects.update_or_create(
                borough_code=code, defaults=values
            )
            stdout.write(f"{'Created' if created else 'Updated'} case system for {config}")
        # Demo reports made before their borough had a case system go to it now (once:
        # posting the same report to the same system again writes nothing).
        configs = {c.borough_code: c for c in CaseSystemConfig.objects.filter(enabled=True)}
        waiting = Report.objects.filter(borough_code__in=list(configs)).exclude(
            outbox_messages__kind=CASE_REPORT
        )
        queued = outbox.post(
            Outgoing(
                kind=CASE_REPORT,
                report=report,
                config=configs[report.borough_code],
                priority=priority_of(report),
            )
            for report in waiting
        )
        if queued:
            stdout.write(f"Queued {queued} existing demo reports for their case systems")
        # No key is made for the demo: a secret printed to a terminal (and its scrollback)
        # is a secret given away. Whoever wants to try /open311/v2/ issues one.
        if not Open311ApiKey.objects.exists():
            stdout.write("To try /open311/v2/, issue an API key: manage.py open311_key NAME")
