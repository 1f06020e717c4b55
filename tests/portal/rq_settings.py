"""Settings for the RQ task-recovery scenario (tests/portal/rq_recovery.py): the test
settings with the RQ task backend on a Redis database of its own."""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import INSTALLED_APPS

TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
RQ_QUEUES = {"default": {"URL": os.environ["RQ_RECOVERY_REDIS_URL"], "DEFAULT_TIMEOUT": 600}}
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
