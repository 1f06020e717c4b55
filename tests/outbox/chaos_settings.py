"""Settings for the outbox chaos scenarios (tests/outbox/chaos.py): the test settings, but
a real database shared by several processes (a SQLite file, or the PostgreSQL database in
CHAOS_DATABASE_URL), a real task queue (the database queue, or RQ on Redis when
CHAOS_TASKS=rq), email over SMTP to the sink on CHAOS_SMTP_PORT, and short timers so
crashes and retries fit in a few minutes."""

import os

import dj_database_url

from portal.settings.test import *  # noqa: F403
from portal.settings.test import INSTALLED_APPS

CHAOS_DIR = os.environ["CHAOS_DIR"]

if os.environ.get("CHAOS_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["CHAOS_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(CHAOS_DIR, "portal.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 60,
            },
        }
    }

if os.environ.get("CHAOS_TASKS") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    RQ_QUEUES = {"default": {"URL": os.environ["RQ_REDIS_URL"], "DEFAULT_TIMEOUT": 120}}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("CHAOS_SMTP_PORT", "25"))
EMAIL_TIMEOUT = 3.0
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
REPORTING_SUBMISSIONS_PER_HOUR = 0
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"stamped": {"format": "%(asctime)s %(process)d %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "stamped"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django_tasks": {"level": "INFO"}, "reporting.outbox": {"level": "INFO"}},
}

OUTBOX_HTTP_TIMEOUT = 1.5
OUTBOX_BACKOFF_BASE_SECONDS = float(os.environ.get("CHAOS_BACKOFF_BASE", "0.3"))
OUTBOX_BACKOFF_MAX_SECONDS = float(os.environ.get("CHAOS_BACKOFF_MAX", "3"))
OUTBOX_LEASE_SECONDS = 4  # at least 3 timeouts: 9 s
OUTBOX_SLOT_TTL_SECONDS = 6
OUTBOX_QUEUED_SLOT_TTL_SECONDS = 20
TASKS_LEASE_SECONDS = 20  # a drain runs 10 s at most: a killed worker's task comes back
OUTBOX_DRAIN_SECONDS = 10
OUTBOX_DRAINERS = 3
