"""Count hits from several processes at once on a SQLite file (run by test_limits.py).

DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.throttling.race 4 50
"""

from __future__ import annotations

import multiprocessing
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def _count(hits: int) -> None:
    import django

    django.setup()
    from throttling import limits

    for _ in range(hits):
        limits.hit("race", "who")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from throttling import limits

    processes, hits = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", "throttling", verbosity=0)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_count, args=(hits,)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(limits.count("race", "who"), sum(w.exitcode for w in workers))


if __name__ == "__main__":
    main()
