"""Settings for the chaos scenario (tests/forwarding/chaos_run.py): the test settings, but a
real database shared by several processes and the database task queue, with short timers
so a thousand deliveries, crashes and retries fit in a few minutes."""

import os

import dj_database_url

from portal.settings.test import *  # noqa: F403

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
                "timeout": 120,
            },
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"stamped": {"format": "%(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "stamped"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django_tasks": {"level": "INFO"}, "django_tasks_db": {"level": "INFO"}},
}

FORWARDING_HTTP_TIMEOUT = 1.0
FORWARDING_BACKOFF_BASE_SECONDS = 0.3
FORWARDING_BACKOFF_MAX_SECONDS = 3.0
FORWARDING_LEASE_SECONDS = 4
FORWARDING_REQUEUE_AFTER_SECONDS = 30
FORWARDING_MAX_ATTEMPTS = 1000  # never give up here: the test counts every report
