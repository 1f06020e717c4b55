"""The chaos settings with the task queue on Redis through RQ (tests/forwarding/test_broker.py)."""

import os

from tests.forwarding.chaos_settings import *  # noqa: F403
from tests.forwarding.chaos_settings import INSTALLED_APPS

TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
RQ_QUEUES = {"default": {"URL": os.environ["RQ_REDIS_URL"], "DEFAULT_TIMEOUT": 120}}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
