"""Local development and the demo: the embedded defaults (SQLite, database task queue)."""

from .base import *  # noqa: F403
from .env import env_str

# A fixed development key is fine here: production.py refuses it (settings/safety.py).
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105

# Email is printed to the console unless EMAIL_BACKEND says otherwise (bin/start sends it
# over SMTP to its local sink); production refuses a console backend.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# The reference case system and the other stand-ins for outside systems (never installed
# by production settings).
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
