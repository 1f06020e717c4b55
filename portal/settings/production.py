"""Production: everything from the environment; refuses to start with an unsafe one.

It stops with ImproperlyConfigured, saying why, when SECRET_KEY is missing, short or a
development key, when DEBUG is on, or when email would not leave the machine (the rules:
portal/settings/safety.py). Behind the reverse proxy, which terminates TLS: the scheme
comes from the WSGI server, which believes X-Forwarded-Proto from TRUSTED_PROXY only
(portal/proxy.py), so SECURE_PROXY_SSL_HEADER is deliberately not set here.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, EMAIL_BACKEND, SECRET_KEY
from .safety import production_problems

_problems = production_problems(secret_key=SECRET_KEY, debug=DEBUG, email_backend=EMAIL_BACKEND)
if _problems:
    raise ImproperlyConfigured("Refusing to start in production: " + " ".join(_problems))

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
# HTTPS only: plain HTTP is redirected, except the health page (the proxy's and monitors'
# checks on the private address); browsers are told to use HTTPS for a year.
SECURE_SSL_REDIRECT = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
