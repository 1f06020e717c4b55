"""Local development and the demo: the embedded defaults (SQLite, database task queue)."""

from .base import *  # noqa: F403
from .env import env_str

# A fixed development key is fine here: production.py refuses it (settings/safety.py).
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105

# Email never goes to the terminal (residents' details, private links): bin/start sends it
# over SMTP to its local sink (read it in the sink's mailbox page); without the sink, each
# message is a file in var/mail/. Production refuses both file and console backends.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # noqa: F405

# The reference case system and the other stand-ins for outside systems (never installed
# by production settings).
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
