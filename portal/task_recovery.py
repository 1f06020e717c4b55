"""Tasks whose worker died go back to the queue (run by ``manage.py recover_tasks``).

A worker killed mid-task leaves its task marked running for ever: on the database queue
(django-tasks-db) the row stays RUNNING; on RQ the job is moved to the failed registry as
abandoned once the worker's heartbeat is gone. Every task of this portal (outbox drains,
Wagtail's reference index) is safe to run again, so after ``TASKS_LEASE_SECONDS`` such a
task is queued again, once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

DB_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"


def recover(*, now: datetime | None = None) -> int:
    """Queue again the tasks of dead workers; returns how many."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == DB_BACKEND:
        return _recover_database(now or timezone.now())
    if backend == RQ_BACKEND:
        return _recover_rq()
    return 0


def _recover_database(now: datetime) -> int:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    with transaction.atomic():
        count = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .update(status=TaskResultStatus.READY, started_at=None)
        )
    if count:
        logger.warning("Queued %d task(s) again: their worker stopped mid-run", count)
    return count


def _recover_rq() -> int:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    count = 0
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name, job_class=Job)
        # Move jobs whose worker's heartbeat is gone to the failed registry (RQ's own rule).
        StartedJobRegistry(queue=queue).cleanup()
        failed = FailedJobRegistry(queue=queue)
        for job_id in failed.get_job_ids():
            job = queue.fetch_job(job_id)
            result = job.latest_result() if job is not None else None
            if result is None or "AbandonedJobError" not in (result.exc_string or ""):
                continue
            failed.requeue(job_id)
            count += 1
    if count:
        logger.warning("Queued %d RQ job(s) again: their worker stopped mid-run", count)
    return count
