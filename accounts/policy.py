"""Who needs a second factor, and what they may reach before giving it: the rules, as data.

Everyone who can read reports or edit pages signs in with a password and a second factor
(an authenticator app, a passkey, or one of their recovery codes). In practice that is
every account with Wagtail admin access, every superuser and every ``is_staff`` account.
Until they have given it, they reach only the sign-in pages, logout, password reset,
static files and the public site; every other admin URL sends them to the second step.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.urls import reverse

# The permission that opens the Wagtail admin (reports, the outbox, page editing).
ADMIN_PERMISSION = "wagtailadmin.access_admin"

# Staff sessions end after this many seconds without a request (a sliding window).
STAFF_IDLE_SECONDS = 30 * 60

# How many recovery codes a person gets at a time (each works once).
RECOVERY_CODE_COUNT = 10

# Admin URLs (by name) open to someone signed in with a password only. A name covers the
# URLs below it too (password reset: done, confirm, complete).
OPEN_ADMIN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
)


def needs_second_factor(user: AbstractBaseUser) -> bool:
    """Can this account read reports or edit pages (so it must give a second factor)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm(ADMIN_PERMISSION))


@cache
def _admin_prefixes() -> tuple[str, tuple[str, ...]]:
    return reverse("wagtailadmin_home"), tuple(reverse(name) for name in OPEN_ADMIN_URL_NAMES)


def needs_verification(path: str) -> bool:
    """Is this path closed to a person who has not given their second factor yet?"""
    admin, open_paths = _admin_prefixes()
    return path.startswith(admin) and not path.startswith(open_paths)
