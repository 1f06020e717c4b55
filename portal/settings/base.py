"""Settings shared by every environment. Everything that differs comes from the environment.

See the configuration table in README.md for each variable.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The reverse proxy's IP address: only its X-Forwarded-Proto/-For are believed (portal/proxy.py).
TRUSTED_PROXY = env_str("TRUSTED_PROXY", "")

INSTALLED_APPS = [
    "portal",
    "standards",
    "mapping",
    "reporting",
    "reporting.outbox",
    "reporting.forwarding",
    "throttling",
    "accounts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "leaflet",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.security_headers.PortalCSPMiddleware",  # outside the page cache: on every hit too
    "portal.security_headers.PermissionsPolicyMiddleware",
    "portal.plain_errors.PlainErrorBodyMiddleware",  # a bare 4xx (e.g. 405) gets words
    "portal.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "accounts.middleware.SecondFactorMiddleware",  # staff: second factor, 30-minute sessions
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.outage.DatabaseOutageMiddleware",  # database busy or gone: 503, not 500
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the locked-out page
]

# django-axes first: a locked-out account is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: a SQLite file by default; DATABASE_URL for anything else (PostgreSQL at scale).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the worker read while the other writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: a file cache shared by the web process, the worker and management commands,
# so that publishing a page in any process invalidates cached public pages everywhere.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL.startswith("redis://"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 600)
# "Exit this page" (report steps, advice, tracking) leaves for this neutral site.
EXIT_THIS_PAGE_URL = env_str("EXIT_THIS_PAGE_URL", "https://www.bbc.co.uk/weather")
# Every phone number shown to residents, written once (portal/phones.py makes tel: links).
PHONE_NUMBERS = {
    "emergency": "999",
    "police_non_emergency": "101",
    "textphone_emergency": "18000",
    "textphone_non_emergency": "18001 101",
    "victim_support": "08 08 16 89 111",
}

# Sessions: a resident's answers (on what may be a shared device) last 2 hours at most and
# go when the browser closes; expired ones are deleted by the scheduler (clearsessions).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 3600)
# The database is the record; with the shared Redis cache, sessions are read from it.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHE_URL.startswith("redis://")
    else "django.contrib.sessions.backends.db"
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# govuk-frontend is installed from npm by the setup command (never copied into the repo).
NODE_MODULES_DIR = BASE_DIR / "node_modules"
if (NODE_MODULES_DIR / "govuk-frontend" / "dist").is_dir():
    STATICFILES_DIRS.append(("govuk-frontend", NODE_MODULES_DIR / "govuk-frontend" / "dist"))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Email: SMTP unless told otherwise (portal.settings.dev writes files to var/mail/ instead).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before the mail server is given up on for one attempt (the outbox retries).
EMAIL_TIMEOUT = env_float("EMAIL_TIMEOUT", 30.0)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "London ASB portal <no-reply@asb.london.invalid>"
)

# Background tasks: Django's Tasks API through django-tasks; the database queue by default.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task still running after this many seconds is taken to have lost its worker and is
# queued again (portal/task_recovery.py); every task here is safe to run twice.
TASKS_LEASE_SECONDS = env_int("TASKS_LEASE_SECONDS", 900)

# Wagtail
WAGTAIL_SITE_NAME = "London ASB portal"
WAGTAILADMIN_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # staff's email hashes never go to a third party
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin calls no one (and its policy would refuse)

# Maps: tiles come from a configurable URL; nothing is fetched by the server.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# Public Cache-Control max-age of the map data API (/map/data/...), in seconds.
MAP_DATA_MAX_AGE = env_int("MAP_DATA_MAX_AGE", 300)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (51.5074, -0.1278),
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 18,
    "TILES": [("Streets", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION, "maxZoom": 19})],
    "RESET_VIEW": False,
    "ATTRIBUTION_PREFIX": "",
}

# Security headers (portal/security_headers.py; HSTS and secure cookies: production.py).
# Public pages: nothing inline (no <script> blocks, handlers or style attributes; Leaflet's
# maps start from static/portal/leaflet-maps.js, see templates/leaflet/) and nothing from
# elsewhere but the map tiles, whose origin the middleware adds to img-src from MAP_TILE_URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: Leaflet's blank tile
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (everything under /admin/) only. Wagtail 8 writes inline <script>
# blocks without nonces (InlinePanel, date pickers, listing filters) and its editors add
# inline <style>, so here inline scripts and styles may run; still no inline event handlers,
# no eval, and nothing from elsewhere. Its page preview frames the admin itself.
CSP_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE],
    "script-src-attr": [NONE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],  # blob: previews of images being uploaded
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}
PERMISSIONS_POLICY = {
    "geolocation": ["self"],  # "Use my location" on the report's "where" step
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "midi": [],
    "display-capture": [],
    "accelerometer": [],
    "gyroscope": [],
    "magnetometer": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"  # tile servers see the origin only
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Geocoding (place names and postcodes): see geography/geocoding.py.
GEOCODER = env_str("GEOCODER", "offline")  # places: offline (alias gazetteer) | nominatim
GEOCODER_URL = env_str("GEOCODER_URL", "https://nominatim.openstreetmap.org")
GEOCODER_POSTCODES = env_str("GEOCODER_POSTCODES", "offline")  # offline | postcodes.io
GEOCODER_POSTCODES_URL = env_str("GEOCODER_POSTCODES_URL", "https://api.postcodes.io")
GEOCODER_FALLBACK = env_bool("GEOCODER_FALLBACK", True)  # offline answers if online fails
GEOCODER_TIMEOUT = env_float("GEOCODER_TIMEOUT", 3.0)
GEOCODER_USER_AGENT = env_str(
    "GEOCODER_USER_AGENT", "london-asb-portal (anti-social behaviour reporting for London)"
)

# Logs never hold residents' details, private links or secrets: our own lines never write
# them, and portal/log_privacy.py hides them in other people's (Django logs request paths,
# and a tracking link is a path). urllib3 logs whole URLs (API keys) at DEBUG: kept quiet.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"private": {"()": "portal.log_privacy.HidePrivateParts"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["private"], "formatter": "plain"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "WARNING", "filters": ["private"]},
        "django.server": {  # runserver's access log (Django's own config stops it propagating)
            "handlers": ["console"],
            "level": "INFO",
            "filters": ["private"],
            "propagate": False,
        },
        "urllib3": {"level": "WARNING"},
    },
}

# Periodic jobs run by `manage.py run_scheduler` (started by bin/start): (command, seconds).
PERIODIC_COMMANDS = [("publish_scheduled", 60), ("sweep_outbox", 30), ("poll_case_updates", 60)]
PERIODIC_COMMANDS += [  # reporting: photo purge, daily anonymisation
    ("purge_pending_uploads", 3600),
    ("anonymise_reports", 86400),
]
PERIODIC_COMMANDS += [("purge_rate_limits", 3600), ("clearsessions", 3600)]
PERIODIC_COMMANDS += [("recover_tasks", 60)]  # tasks whose worker died: queued again

# --- staff sign-in (accounts): a second factor, lockouts, throttled password resets ---
# Where the webauthn view sends someone after a passkey, when no ?next= came with it.
LOGIN_REDIRECT_URL = "wagtailadmin_home"
# django-axes: this many wrong passwords for one account name, or from one internet address,
# lock it (even with the right password) until LOGIN_LOCKOUT_HOURS after the last failure.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_float("LOGIN_LOCKOUT_HOURS", 1.0)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"  # our plain-English page
AXES_ENABLE_ADMIN = False  # no Django admin: Wagtail admin > Settings > Locked accounts
# django-otp: after each wrong code a device refuses every code for 1, 2, 4, 8... seconds.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = "London ASB portal"
# Passkeys (django-otp-webauthn) as a second factor only, never instead of the password.
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = env_str("OTP_WEBAUTHN_RP_NAME", "London ASB portal")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", ["http://localhost:8000"])
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Password reset requests per internet address, and per email address, per hour.
ACCOUNTS_PASSWORD_RESETS_PER_HOUR = env_int("ACCOUNTS_PASSWORD_RESETS_PER_HOUR", 5)

# --- reporting ---
# Submissions of the report flow per IP address per hour (a clear 429 page beyond).
REPORTING_SUBMISSIONS_PER_HOUR = env_int("REPORTING_SUBMISSIONS_PER_HOUR", 10)
# Attempts at "find my report" (reference + email) per IP address per hour.
REPORTING_LOOKUPS_PER_HOUR = env_int("REPORTING_LOOKUPS_PER_HOUR", 20)
# Photos: at most this many bytes each (re-encoded, metadata stripped).
REPORTING_PHOTO_MAX_BYTES = env_int("REPORTING_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
# Photos uploaded during the flow but never submitted are deleted after this many hours.
REPORTING_PENDING_UPLOAD_HOURS = env_int("REPORTING_PENDING_UPLOAD_HOURS", 24)
# Personal details of closed reports are anonymised this many days after closure.
REPORTING_RETENTION_DAYS = env_int("REPORTING_RETENTION_DAYS", 365)
# Where a report goes when its borough has no ASB inbox published yet: never lost.
REPORTING_FALLBACK_INBOX = env_str("REPORTING_FALLBACK_INBOX", "asb-reports@london.invalid")

# --- the outbox (everything that leaves the portal) ---
# Every HTTP call to a borough case system gives up after this many seconds.
OUTBOX_HTTP_TIMEOUT = env_float("OUTBOX_HTTP_TIMEOUT", 10.0)
# Retry n waits about BASE * 2^(n-1) seconds (capped at MAX): half fixed, half jitter.
OUTBOX_BACKOFF_BASE_SECONDS = env_float("OUTBOX_BACKOFF_BASE_SECONDS", 30.0)
OUTBOX_BACKOFF_MAX_SECONDS = env_float("OUTBOX_BACKOFF_MAX_SECONDS", 1800.0)
# Temporary failures are retried for this long, then the message is dead (staff told).
OUTBOX_RETRY_FOR_HOURS = env_float("OUTBOX_RETRY_FOR_HOURS", 72.0)
# A worker holds a message this long (at least 3 timeouts); the sweep takes it back after.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 120)
# How many workers may drain the outbox at once, and for how long one task drains.
OUTBOX_DRAINERS = env_int("OUTBOX_DRAINERS", 4)
OUTBOX_DRAIN_SECONDS = env_float("OUTBOX_DRAIN_SECONDS", 30.0)
# When everything waiting for a destination is backed off further than this, the sweep
# tries its first waiting message now: a server that is back gets its backlog at once.
OUTBOX_PROBE_AFTER_SECONDS = env_float("OUTBOX_PROBE_AFTER_SECONDS", 30.0)
# A drainer claims this many due messages at a time (renewing the leases of a slow batch).
OUTBOX_CLAIM_BATCH = env_int("OUTBOX_CLAIM_BATCH", 5)
# A drainer that stops renewing its slot (killed) frees it after this many seconds.
OUTBOX_SLOT_TTL_SECONDS = env_float("OUTBOX_SLOT_TTL_SECONDS", 60.0)
# A drain queued but not started yet keeps its slot this long (busy workers): the sweep
# does not queue a second drain meanwhile. A lost task frees its slot after this.
OUTBOX_QUEUED_SLOT_TTL_SECONDS = env_float("OUTBOX_QUEUED_SLOT_TTL_SECONDS", 900.0)
# Who is told about dead letters besides the borough's ASB inbox (comma separated).
OUTBOX_ALERT_EMAILS = env_list("OUTBOX_ALERT_EMAILS", [])
# The right-hand side of every Message-ID the portal sends.
OUTBOX_MESSAGE_ID_DOMAIN = env_str("OUTBOX_MESSAGE_ID_DOMAIN", "asb.london.invalid")

# --- forwarding (what comes back from case systems) ---
# Inbound status updates: signatures older (or newer) than this are refused.
FORWARDING_INBOUND_MAX_SKEW_SECONDS = env_int("FORWARDING_INBOUND_MAX_SKEW_SECONDS", 300)
# The Open311 server shows locations snapped to a grid of this many degrees (~200 m).
OPEN311_PUBLIC_GRID_DEGREES = env_float("OPEN311_PUBLIC_GRID_DEGREES", 0.002)
# The jurisdiction_id clients may send (optional for them; any other is refused).
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID", "asb.london.gov.uk")
# Requests each Open311 API key may file per hour (beyond: 429 with Retry-After).
OPEN311_REQUESTS_PER_KEY_PER_HOUR = env_int("OPEN311_REQUESTS_PER_KEY_PER_HOUR", 600)
# GET requests returns at most this many (the spec's default window is 90 days / 1000).
OPEN311_MAX_REQUESTS = env_int("OPEN311_MAX_REQUESTS", 1000)
# At scale the same tasks run on Redis through RQ: TASKS_BACKEND=django_tasks_rq.RQBackend,
# workers `manage.py rqworker default --with-scheduler` (the scheduler runs retries later).
RQ_QUEUES = {
    "default": {
        "URL": env_str("RQ_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 600),
    }
}
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # runs django-tasks' Task objects
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
