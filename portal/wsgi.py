"""WSGI entry point for production (gunicorn, see portal/gunicorn_conf.py).

X-Forwarded-* headers are honoured from ``TRUSTED_PROXY`` only (portal/proxy.py)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from portal.proxy import behind_trusted_proxy, trusted_proxy_address

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = behind_trusted_proxy(
    get_wsgi_application(), trusted_proxy_address(settings.TRUSTED_PROXY)
)
