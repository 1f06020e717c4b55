"""A real RQ worker dies mid-task; the recovery queues the task again; a new worker runs
it. Run by tests/portal/test_task_recovery.py:

    RQ_RECOVERY_REDIS_URL=redis://127.0.0.1:6379/13 RQ_RECOVERY_DIR=/tmp/x \\
        DJANGO_SETTINGS_MODULE=tests.portal.rq_settings python -m tests.portal.rq_recovery

Prints one JSON line of what happened.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def worker(*extra: str) -> list[str]:
    return [
        sys.executable,
        "manage.py",
        "rqworker",
        "default",
        "--worker-class",
        "rq.worker.SimpleWorker",
        "--job-class",
        "django_tasks_rq.Job",
        *extra,
    ]


def main() -> None:
    import django

    django.setup()
    import django_rq
    from rq.registry import StartedJobRegistry

    from portal.task_recovery import recover
    from tests.portal.rq_tasks import nap

    directory = Path(os.environ["RQ_RECOVERY_DIR"])
    queue = django_rq.get_queue("default")
    queue.connection.flushdb()
    result = nap.enqueue(str(directory))
    process = subprocess.Popen(worker(), cwd=ROOT, env=os.environ.copy())  # noqa: S603
    deadline = time.monotonic() + 60
    while not (directory / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    report = {"started": (directory / "started").exists()}
    report["recovered_while_heartbeat_fresh"] = recover()
    # Time passes: the dead worker's last heartbeat runs out (RQ's own lease, about 90 s).
    registry = StartedJobRegistry(queue=queue)
    entries = registry.connection.zrange(registry.key, 0, -1)
    report["started_entries"] = len(entries)
    registry.connection.zadd(registry.key, {entry: time.time() - 1 for entry in entries})
    report["recovered"] = recover()
    report["recovered_again"] = recover()
    subprocess.run(worker("--burst"), cwd=ROOT, env=os.environ.copy(), timeout=120, check=True)  # noqa: S603
    report["done"] = (directory / "done").exists()
    report["status"] = queue.fetch_job(result.id).get_status().value
    print(json.dumps(report))


if __name__ == "__main__":
    main()
