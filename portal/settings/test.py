"""Settings for the test suite: fast, isolated, never touching the network."""

from .base import *  # noqa: F403
from .base import VAR_DIR

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405 - the local stand-ins
SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests that exercise the public page cache turn it on with override_settings.
PUBLIC_PAGE_CACHE_SECONDS = 0
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
GEOCODER = "gazetteer"
MAP_TILE_URL = "http://tiles.invalid/{z}/{x}/{y}.png"
LEAFLET_CONFIG["TILES"] = [("Streets", MAP_TILE_URL, {"attribution": "test tiles"})]  # noqa: F405
