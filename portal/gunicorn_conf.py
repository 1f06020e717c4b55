"""gunicorn's configuration for production (``bin/serve-production``), from the environment.

    gunicorn --config python:portal.gunicorn_conf

``PORTAL_BIND`` (default ``127.0.0.1:8000``: the reverse proxy is in front),
``PORTAL_WORKERS`` worker processes (default two per core, plus one), ``PORTAL_THREADS``
threads each (default 4), ``PORTAL_TIMEOUT`` seconds before a stuck worker is restarted
(default 60), and ``TRUSTED_PROXY``: the only peer whose X-Forwarded-Proto gunicorn
believes (its ``forwarded_allow_ips``; empty trusts nobody). ``portal/proxy.py`` applies
the same address to X-Forwarded-For inside the application.
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = [os.environ.get("PORTAL_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("PORTAL_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
threads = int(os.environ.get("PORTAL_THREADS") or 4)
timeout = int(os.environ.get("PORTAL_TIMEOUT") or 60)
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY", "").strip()
# A worker that cannot load the portal (e.g. production settings refusing an unsafe
# configuration) stops gunicorn as a whole: it never serves with a broken configuration.
accesslog = "-"
errorlog = "-"
