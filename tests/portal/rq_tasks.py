"""A task for the RQ recovery scenario: the first run hangs (its worker is killed), the
next one finishes."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def nap(directory: str) -> str:
    started = Path(directory) / "started"
    if not started.exists():
        started.write_text("1")
        time.sleep(120)  # killed before this ends
    (Path(directory) / "done").write_text("1")
    return "done"
