"""Deliveries through a real broker: the tasks on Redis via RQ (django-tasks-rq), run by
``manage.py rqworker --with-scheduler``, against the reference case system. Run as its own
process by tests/forwarding/test_broker.py; prints one JSON line with what it counted."""

from __future__ import annotations

import json
import os
import sys
import time

from tests.forwarding.chaos_run import (
    PYTHON,
    SECRETS,
    Processes,
    file_reports,
    free_port,
    log,
    setup_portal,
    wait_for,
)


def main() -> None:
    import random
    from pathlib import Path

    reports = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    directory = Path(os.environ["CHAOS_DIR"])
    env = {**os.environ, **SECRETS, "PYTHONUNBUFFERED": "1"}
    os.environ.update(SECRETS)
    import django

    django.setup()
    from django.conf import settings
    from django_tasks import task_backends

    from reporting.forwarding.models import Delivery, DeliveryState

    backend = task_backends["default"]
    assert type(backend).__name__ == "RQBackend", backend
    case_port = free_port()
    case_url = f"http://127.0.0.1:{case_port}"
    processes = Processes(env, directory)
    try:
        setup_portal(case_url)
        # the case system fails a quarter of the time: retries go through RQ's scheduler
        processes.others.append(
            processes.start(
                [
                    PYTHON,
                    "manage.py",
                    "run_case_system",
                    "--port",
                    str(case_port),
                    "--db",
                    str(directory / "casesystem.sqlite3"),
                    "--fail-rate",
                    "0.25",
                    "--seed",
                    "3",
                ],
                "casesystem",
            )
        )
        wait_for(f"{case_url}/healthz")
        processes.others.append(
            processes.start(
                [
                    PYTHON,
                    "manage.py",
                    "rqworker",
                    "default",
                    "--with-scheduler",
                    "--job-class",
                    "django_tasks_rq.Job",
                ],
                "rqworker",
            )
        )
        references = file_reports(reports, random.Random(5), lambda _n: None)  # noqa: S311
        log(f"filed {len(references)} reports on {settings.RQ_QUEUES['default']['URL']}")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            delivered = Delivery.objects.filter(state=DeliveryState.DELIVERED).count()
            if delivered == reports:
                break
            time.sleep(0.5)
        import sqlite3

        with sqlite3.connect(directory / "casesystem.sqlite3") as db:
            cases = db.execute("SELECT COUNT(*), COUNT(DISTINCT reference) FROM cases").fetchone()
            receipts = db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]
        worker_log = (directory / "rqworker.log").read_text(errors="replace")
        result = {
            "reports": reports,
            "delivered": Delivery.objects.filter(state=DeliveryState.DELIVERED).count(),
            "retried": Delivery.objects.filter(attempts__gt=1).count(),
            "cases": cases[0],
            "distinct_references": cases[1],
            "receipts": receipts,
            "jobs_run_by_rq": worker_log.count("send_delivery"),
        }
    finally:
        processes.stop_all()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
