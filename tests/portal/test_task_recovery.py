"""Tasks recover: a task whose worker died is queued again after its lease, and the
sweep never queues a second drain while one is still waiting in the queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal import task_recovery
from reporting.outbox import services as outbox
from reporting.outbox.models import Message, State
from tests.local_services import HACKNEY, submit

pytestmark = pytest.mark.django_db

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DB_QUEUE
    return settings


@pytest.fixture
def file_one(django_capture_on_commit_callbacks):
    """File a report as a request would: its messages' drain is queued on commit."""

    def file() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            submit(HACKNEY, contact=None)

    return file


def _killed_mid_run(result: DBTaskResult, *, ago: float) -> None:
    """What a worker leaves behind when SIGKILLed mid-task: RUNNING, never finished."""
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - timedelta(seconds=ago)
    )


@pytest.mark.django_db(transaction=True)  # db_worker closes its connection
def test_a_task_whose_worker_died_is_queued_again_and_then_runs(
    database_queue, file_one, mailoutbox
):
    database_queue.TASKS_LEASE_SECONDS = 60
    file_one()  # its drain is queued (the database queue runs nothing by itself)
    (drain,) = DBTaskResult.objects.all()
    _killed_mid_run(drain, ago=61)
    assert task_recovery.recover() == 1
    drain.refresh_from_db()
    assert drain.status == TaskResultStatus.READY
    assert task_recovery.recover() == 0  # once
    call_command("db_worker", batch=True, worker_id="a-live-worker", verbosity=0)
    drain.refresh_from_db()
    assert drain.status == TaskResultStatus.SUCCESSFUL
    assert drain.worker_ids == ["worker-that-died", "a-live-worker"]
    assert set(Message.objects.values_list("state", flat=True)) == {State.DELIVERED}


def test_a_task_still_within_its_lease_is_left_running(database_queue, file_one):
    database_queue.TASKS_LEASE_SECONDS = 60
    file_one()
    (drain,) = DBTaskResult.objects.all()
    _killed_mid_run(drain, ago=5)
    assert task_recovery.recover() == 0
    drain.refresh_from_db()
    assert drain.status == TaskResultStatus.RUNNING


def test_the_scheduler_runs_the_recovery(database_queue):
    assert ("recover_tasks", 60) in database_queue.PERIODIC_COMMANDS
    call_command("recover_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db(transaction=True)  # db_worker closes its connection
def test_the_sweep_does_not_queue_a_second_drain_while_one_waits(database_queue, file_one):
    """Busy workers: the drain queued for a report has not started after the running
    slot's TTL. The sweep, every 30 s, finds the work due, but queues nothing more."""
    database_queue.OUTBOX_DRAINERS = 1
    database_queue.OUTBOX_SLOT_TTL_SECONDS = 0.001  # a running drain's slot would be gone
    file_one()
    assert DBTaskResult.objects.count() == 1
    for _ in range(3):
        result = outbox.sweep(now=timezone.now() + timedelta(seconds=40))
        assert result.due and not result.kicked
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, verbosity=0)
    assert set(Message.objects.values_list("state", flat=True)) == {State.DELIVERED}


@pytest.mark.database("postgresql")  # Redis only, whatever the suite's database: run once
def test_an_rq_job_whose_worker_was_killed_runs_again(tmp_path):
    """At scale (RQ on Redis): a real worker is SIGKILLed mid-job; once its heartbeat
    has run out the recovery queues the job again, once, and a new worker finishes it."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.portal.rq_settings",
        "RQ_RECOVERY_REDIS_URL": "redis://127.0.0.1:6379/13",
        "RQ_RECOVERY_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.portal.rq_recovery"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {
        "started": True,
        "recovered_while_heartbeat_fresh": 0,
        "started_entries": 1,
        "recovered": 1,
        "recovered_again": 0,
        "done": True,
        "status": "finished",
    }
