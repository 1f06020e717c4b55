"""What production refuses to start with (portal/settings/production.py): the rules, as data."""

from __future__ import annotations

MIN_SECRET_KEY_LENGTH = 50
# Keys written in this repository (portal/settings/dev.py and test.py): never a secret.
KNOWN_SECRET_KEYS = frozenset({"dev-only-insecure-key-change-me", "test-only-key"})
KNOWN_SECRET_KEY_PREFIXES = ("django-insecure-",)  # what startproject writes
# Email backends that keep mail on this machine: residents' private links (tracking,
# call-back) would end up in logs or files instead of their inboxes.
UNSAFE_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "prints every email to the log",
    "django.core.mail.backends.locmem.EmailBackend": "keeps every email in memory, unsent",
    "django.core.mail.backends.dummy.EmailBackend": "throws every email away",
    "django.core.mail.backends.filebased.EmailBackend": "writes every email to a file",
}


def production_problems(*, secret_key: str, debug: bool, email_backend: str) -> list[str]:
    """Plain sentences, one per reason the configuration is not safe for production."""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY is not set.")
    elif secret_key in KNOWN_SECRET_KEYS or secret_key.startswith(KNOWN_SECRET_KEY_PREFIXES):
        problems.append("SECRET_KEY is a development key from this repository.")
    elif len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        problems.append(
            f"SECRET_KEY is too weak: use at least {MIN_SECRET_KEY_LENGTH} random characters."
        )
    if debug:
        problems.append("DEBUG is on (it shows settings and personal data on error pages).")
    if email_backend in UNSAFE_EMAIL_BACKENDS:
        problems.append(
            f"EMAIL_BACKEND {email_backend} {UNSAFE_EMAIL_BACKENDS[email_backend]}: "
            "use django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST."
        )
    return problems
