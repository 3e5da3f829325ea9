"""Aduan settings. Everything that differs between machines comes from the environment.

With no environment at all Aduan runs on SQLite and the in-memory channel layer, so a
newcomer sees it work at once; production sets DATABASE_URL, REDIS_URL, SECRET_KEY,
AUDIT_KEY, ALLOWED_HOSTS and the e-mail variables (see README).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Development keys are only acceptable when DEBUG is on or in tests; production must set them.
_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET)
# The audit chain's HMAC key lives outside the database so that someone with write access
# to the database alone cannot forge a consistent chain.
AUDIT_KEY = env("AUDIT_KEY", "dev-insecure-audit-key")
if not DEBUG and not env_bool("ADUAN_ALLOW_DEV_KEYS", False):
    if SECRET_KEY == _DEV_SECRET or AUDIT_KEY == "dev-insecure-audit-key":
        raise ImproperlyConfigured(
            "Set SECRET_KEY and AUDIT_KEY (or DEBUG=1 / ADUAN_ALLOW_DEV_KEYS=1 for local use)."
        )

# The public anchor of the audit chain (complaints.transparency, docs/privacy.md): an Ed25519
# private key, base64 of the raw 32 bytes, kept outside the database like AUDIT_KEY. Without it
# the worker publishes no root (a system check warns when DEBUG is off).
TRANSPARENCY_SIGNING_KEY = env("TRANSPARENCY_SIGNING_KEY", "")
TRANSPARENCY_INTERVAL_MINUTES = float(env("TRANSPARENCY_INTERVAL_MINUTES", "60"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if env_bool("ADUAN_ALLOW_DEV_KEYS", False) and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_fsm",
    "routing",
    "areas",
    "ml",
    "complaints",
    "dashboard",
    "config.apps.ProjectConfig",

    "systemic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.PrivatePagesNotStoredMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the form: a NUL anywhere in the request is answered 400 here.
    "config.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "complaints.context_processors.navigation",
                "systemic.context_processors.nav",
            ],
        },
    },
]

# Databases: SQLite by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        # A kept connection is checked before reuse, so a database restart costs no request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the write lock instead of failing at once when the worker and the server
    # write at the same time.
    # BEGIN IMMEDIATE: a writer takes the lock before it reads, so two transitions on one
    # complaint queue up instead of both acting on the same stale row (SQLite has no
    # SELECT ... FOR UPDATE). Wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    DATABASES["default"].setdefault("TEST", {})
    if env("SQLITE_TEST_NAME"):
        DATABASES["default"]["TEST"]["NAME"] = env("SQLITE_TEST_NAME")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"



def redis_cache(url, prefix):
    """The shared cache on Redis. Short socket timeouts: while Redis is down or unreachable a
    request loses at most a second before the callers' fail-open path (complaints.ratelimit)
    takes over, instead of hanging."""
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}


# Channel layer: in-memory in one process, Redis across processes.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # channels_redis waits for messages with a 5 s blocking pop (BZPOPMIN); redis-py 8
            # reads with a 5 s socket timeout by default, which cut idle dashboard sockets
            # ("Timeout reading", close 1013). Reads may wait longer than the blocking pop; a
            # dead Redis is still noticed (/healthz has its own shorter timeout).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15, "socket_connect_timeout": 5}],
                       "prefix": env("REDIS_PREFIX", "aduan")},
        }
    }
    # A shared cache so that rate limits hold across processes.
    CACHES = {"default": redis_cache(REDIS_URL, env("REDIS_PREFIX", "aduan"))}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Language and time: Indonesian first, Jakarta time.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# Working-day calendar (routing.calendar).
HOLIDAYS_COUNTRY = env("HOLIDAYS_COUNTRY", "ID")
HOLIDAYS_SUBDIVISION = env("HOLIDAYS_SUBDIVISION") or None
HOLIDAYS_CATEGORIES = tuple(env_list("HOLIDAYS_CATEGORIES", "public,government"))

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not env_bool("ADUAN_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Without collectstatic (development, tests) WhiteNoise serves straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG or env_bool("ADUAN_PLAIN_STATIC", False)

# E-mail: console by default; SMTP when EMAIL_HOST is set. With DEBUG off the console
# fallback is a system check error (config.checks): it would print private links.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Aduan <noreply@aduan.localhost>")
EMAIL_BACKEND_IS_FALLBACK = False
if env("EMAIL_BACKEND"):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    EMAIL_BACKEND_IS_FALLBACK = True
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "30"))

# The public base URL used in links inside e-mails.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Security. HTTPS settings switch on with SECURE_SSL_REDIRECT (production behind TLS).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SECURE_SSL_REDIRECT)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if SECURE_SSL_REDIRECT else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_SSL_REDIRECT)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_SSL_REDIRECT)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Pages with personal data or secrets that no browser or proxy cache may keep
# (config.middleware.PrivatePagesNotStoredMiddleware).
PRIVATE_PATH_PREFIXES = ("/staff/", "/track/", "/report/", "/my/", "/accounts/", "/admin/")
# Tracking links carry a secret token for one redirect; never send it onwards.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Client IPs: X-Forwarded-For is believed only when the request comes from one of these.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# --- Content-Security-Policy and Permissions-Policy (config/headers.py) --------------------
# No inline script anywhere (json_script data blocks are not scripts). A map tile server and
# a proof-of-work worker are allowed by naming them here, each in its own directive.
from .headers import content_security_policy  # noqa: E402

# The report form's map (static/citizen/map.js, docs/citizen.md "Map"). MAP_TILE_URL is a
# Leaflet tile URL template, e.g. OpenStreetMap's https://tile.openstreetmap.org/{z}/{x}/{y}.png
# (only within its usage policy); empty = no tiles: the pin on a blank background with the
# city's outline, which tests and the offline demo use. Its host alone joins img-src.
MAP_TILE_URL = env("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")
CONTENT_SECURITY_POLICY = content_security_policy(
    map_tile_url=MAP_TILE_URL, worker_sources=env_list("CSP_WORKER_SRC"), report_uri=env("CSP_REPORT_URI", ""),
)
MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "config.headers.PermissionsPolicyMiddleware")
INSTALLED_APPS += ["csp"]

# --- Staff sign-in security (accounts/) ----------------------------------------------------
# TOTP second factor (django-otp) for privacy officers, oversight, admins and supervisors;
# sign-in throttling per (account, client IP) and per client IP with a doubling back-off;
# every staff sign-in in an append-only security log.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static", "accounts"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
# After MessageMiddleware: an expired session says why on the sign-in page.
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "accounts.middleware.StaffSessionMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("accounts.middleware.StaffSessionMiddleware") + 1,
                  "accounts.middleware.SecondFactorMiddleware")
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Aduan")
SIGNIN_FAILURES_PER_ACCOUNT_IP = int(env("SIGNIN_FAILURES_PER_ACCOUNT_IP", "5"))
SIGNIN_FAILURES_PER_IP = int(env("SIGNIN_FAILURES_PER_IP", "30"))
SIGNIN_BACKOFF_SECONDS = int(env("SIGNIN_BACKOFF_SECONDS", "60"))
SIGNIN_BACKOFF_MAX_SECONDS = int(env("SIGNIN_BACKOFF_MAX_SECONDS", str(6 * 3600)))
# A streak of failures older than this is forgotten.
SIGNIN_FAILURE_MEMORY_SECONDS = int(env("SIGNIN_FAILURE_MEMORY_SECONDS", str(24 * 3600)))
# Staff sessions end with the browser and after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = int(env("STAFF_SESSION_IDLE_MINUTES", "30"))

# Domain settings.
APPEAL_WINDOW_WORKING_DAYS = int(env("APPEAL_WINDOW_WORKING_DAYS", "10"))
NEEDS_INFO_TIMEOUT_WORKING_DAYS = int(env("NEEDS_INFO_TIMEOUT_WORKING_DAYS", "10"))
# A data subject's request (erase, stop) is decided within 3 x 24 hours (UU 27/2022 counts
# hours, not working days: the calendar does not apply). The law's number, not a setting to tune.
SUBJECT_REQUEST_HOURS = 72
# How long the signed link to a citizen's data download works.
SUBJECT_DOWNLOAD_LINK_MINUTES = 10
# How long after a rejection or a duplicate marking the citizen may ask oversight to review it
# (calendar days; the request_review action).
REVIEW_REQUEST_DAYS = int(env("REVIEW_REQUEST_DAYS", "30"))
ML_MODEL_DIR = Path(env("ML_MODEL_DIR", str(BASE_DIR / "var" / "ml_models")))
_threshold = env("ROUTER_AUTO_ROUTE_THRESHOLD")
ROUTER_AUTO_ROUTE_THRESHOLD = float(_threshold) if _threshold else None
# How often a process re-reads which model version is active (seconds), and how often
# run_worker retrains on the triage decisions (hours; 0 = never).
ROUTER_RECHECK_SECONDS = float(env("ROUTER_RECHECK_SECONDS", "5"))
ROUTER_RETRAIN_HOURS = float(env("ROUTER_RETRAIN_HOURS", "0"))
# The model train_router builds: "tfidf" (default, fast) or the optional "embeddings" /
# "ensemble" modes (pip install '.[embeddings]'; see docs/router.md).
ROUTER_MODEL = env("ROUTER_MODEL", "tfidf")
# Auto-route at the threshold each model version measured out of sample for this precision
# (e.g. 0.95; unset = off). With ROUTER_AUTO_ROUTE_THRESHOLD also set, the higher of the two applies.
_precision = env("ROUTER_AUTO_ROUTE_PRECISION")
ROUTER_AUTO_ROUTE_PRECISION = float(_precision) if _precision else None
# The static word embeddings ROUTER_MODEL=static reads (shipped in ml/data, see docs/router.md).
ML_STATIC_EMBEDDINGS_DIR = Path(env("ML_STATIC_EMBEDDINGS_DIR", str(BASE_DIR / "ml" / "data")))
# Early warning (docs/early-warning.md): minutes between scans of each series, on/off.
EARLY_WARNING_INTERVAL_MINUTES = float(env("EARLY_WARNING_INTERVAL_MINUTES", "60"))
EARLY_WARNING_ENABLED = env_bool("EARLY_WARNING_ENABLED", True)

# --- Logs and metrics (config/logs.py, config/metrics.py) ---------------------------------
# LOG_FORMAT=json in production: one JSON object per line with the request id; e-mail
# addresses, phone numbers and secrets in URLs are masked in every format.
from .logs import logging_config  # noqa: E402

LOGGING = logging_config(env("LOG_FORMAT", "text"), env("LOG_LEVEL", "INFO"))
MIDDLEWARE.insert(0, "config.logs.RequestIdMiddleware")
# Prometheus (django-prometheus): /metrics answers only these addresses or networks.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")

# --- Open311 GeoReport v2 (complaints/open311, docs/open311.md) -------------------------
# Requests per minute per client IP (every endpoint) and filings per minute per API key;
# 0 switches a limit off.
OPEN311_RATE_LIMIT_IP = int(env("OPEN311_RATE_LIMIT_IP", "120"))
OPEN311_RATE_LIMIT_KEY = int(env("OPEN311_RATE_LIMIT_KEY", "30"))
# GET requests: the specification's default is the first 1000 requests; page_size may ask
# for fewer (the pagination extension), never more than the maximum.
OPEN311_PAGE_SIZE = int(env("OPEN311_PAGE_SIZE", "1000"))
OPEN311_MAX_PAGE_SIZE = int(env("OPEN311_MAX_PAGE_SIZE", "1000"))
# Without an Idempotency-Key header, an identical submission from the same key within
# this many seconds returns the first one instead of filing again.
OPEN311_IDEMPOTENCY_WINDOW = int(env("OPEN311_IDEMPOTENCY_WINDOW", "600"))
# Discovery texts, and the jurisdiction_id accepted (empty: any value is accepted).
OPEN311_CONTACT = env("OPEN311_CONTACT", DEFAULT_FROM_EMAIL)
OPEN311_KEY_SERVICE = env(
    "OPEN311_KEY_SERVICE", "Ask the administrators for an API key (python manage.py create_api_key NAME)."
)
OPEN311_JURISDICTION_ID = env("OPEN311_JURISDICTION_ID", "")

# --- Citizen side (complaints.citizen) -----------------------------------------------------
# Filing: at most this many reports per client IP per window (0 switches the limit off);
# counted on the shared cache, so with REDIS_URL the limit holds across processes.
CITIZEN_REPORTS_PER_WINDOW = int(env("CITIZEN_REPORTS_PER_WINDOW", "5"))
CITIZEN_REPORT_WINDOW_SECONDS = int(env("CITIZEN_REPORT_WINDOW_SECONDS", "3600"))
# Attachments: size of each file and how many per report.
ATTACHMENT_MAX_BYTES = int(env("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
ATTACHMENT_MAX_FILES = int(env("ATTACHMENT_MAX_FILES", "5"))

# --- E-mail intake (complaints.intake.mail; docs/channels.md) ------------------------------
# The address citizens write to ("lapor@kota.go.id"); replies to notifications come back to
# "<local>+<code>.<signature>@<domain>". Empty: no intake, notifications carry no Reply-To.
INTAKE_ADDRESS = env("INTAKE_ADDRESS", "")
# The category of an e-mailed complaint whose words match no category's keywords (a code).
INTAKE_CATEGORY = env("INTAKE_CATEGORY", "")
# IMAP polling (manage.py poll_mailbox); handled messages are marked seen and, when
# INTAKE_IMAP_DONE_FOLDER is set, moved there.
INTAKE_IMAP_HOST = env("INTAKE_IMAP_HOST", "")
INTAKE_IMAP_PORT = int(env("INTAKE_IMAP_PORT", "993"))
INTAKE_IMAP_USER = env("INTAKE_IMAP_USER", "")
INTAKE_IMAP_PASSWORD = env("INTAKE_IMAP_PASSWORD", "")
INTAKE_IMAP_FOLDER = env("INTAKE_IMAP_FOLDER", "INBOX")
INTAKE_IMAP_DONE_FOLDER = env("INTAKE_IMAP_DONE_FOLDER", "")
INTAKE_IMAP_SSL = env_bool("INTAKE_IMAP_SSL", True)
# New complaints per sender address per window (0 switches the limit off); a flood is
# recorded as "throttled", never filed.
INTAKE_MAIL_PER_SENDER = int(env("INTAKE_MAIL_PER_SENDER", "5"))
INTAKE_MAIL_WINDOW_SECONDS = int(env("INTAKE_MAIL_WINDOW_SECONDS", "3600"))
# A message larger than this is kept (cut at this size) for triage and not read: room for
# every attachment in base64 (4/3) and the text.
INTAKE_MAIL_MAX_BYTES = int(env("INTAKE_MAIL_MAX_MB", "0")) * 1024 * 1024 or (
    ATTACHMENT_MAX_FILES * ATTACHMENT_MAX_BYTES * 4 // 3 + 1024 * 1024)
# Messages no complaint took (ignored, refused, unreadable, throttled) are deleted this many
# days after they arrived (the worker's daily retention pass).
INTAKE_MAIL_RETENTION_DAYS = int(env("INTAKE_MAIL_RETENTION_DAYS", "90"))

# --- SMS intake and outbound SMS (complaints.intake.sms, complaints.sms; docs/channels.md) ---
# The webhook POST /intake/sms/ is refused (403) without SMS_WEBHOOK_SECRET: the gateway signs
# the raw body with it (HMAC-SHA256, hex) in the SMS_SIGNATURE_HEADER header.
SMS_WEBHOOK_SECRET = env("SMS_WEBHOOK_SECRET", "")
SMS_SIGNATURE_HEADER = env("SMS_SIGNATURE_HEADER", "X-Signature")
# The gateway's form field names for the sender, the text and its message id.
SMS_FIELD_FROM = env("SMS_FIELD_FROM", "from")
SMS_FIELD_TEXT = env("SMS_FIELD_TEXT", "text")
SMS_FIELD_ID = env("SMS_FIELD_ID", "id")
SMS_MAX_BODY_BYTES = int(env("SMS_MAX_BODY_BYTES", "16384"))
# Inbound SMS per sender number per window, every command counted (0: no limit); beyond it
# a message is recorded as "throttled", neither filed nor answered.
INTAKE_SMS_PER_SENDER = int(env("INTAKE_SMS_PER_SENDER", "5"))
INTAKE_SMS_WINDOW_SECONDS = int(env("INTAKE_SMS_WINDOW_SECONDS", "3600"))
# Outbound: POST SMS_GATEWAY_URL with form fields SMS_GATEWAY_FIELD_TO / _TEXT and the key in
# the SMS_GATEWAY_KEY_HEADER header. Empty URL: SMS rows wait in the outbox (and are retried).
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", "")
SMS_GATEWAY_KEY_HEADER = env("SMS_GATEWAY_KEY_HEADER", "Authorization")
SMS_GATEWAY_FIELD_TO = env("SMS_GATEWAY_FIELD_TO", "to")
SMS_GATEWAY_FIELD_TEXT = env("SMS_GATEWAY_FIELD_TEXT", "text")
SMS_GATEWAY_TIMEOUT = float(env("SMS_GATEWAY_TIMEOUT", "10"))

# Where the report form's map opens: "latitude,longitude" and the zoom level (the default
# is the demo city, Kota Sukamaju).
def _point(name, value):
    try:
        lat, lng = (float(part) for part in value.split(","))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be 'latitude,longitude', e.g. -7.2571,110.4021.") from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ImproperlyConfigured(f"{name} lies outside the earth's coordinates.")
    return lat, lng


MAP_CENTER = _point("MAP_CENTER", env("MAP_CENTER", "-7.2571,110.4021"))
MAP_ZOOM = env("MAP_ZOOM", "14")
if not MAP_ZOOM.isdigit() or not 0 <= int(MAP_ZOOM) <= 19:
    raise ImproperlyConfigured("MAP_ZOOM must be a whole number from 0 to 19.")
MAP_ZOOM = int(MAP_ZOOM)
# The area the service covers, "south,west,north,east" in degrees: a point outside it is
# refused on filing (complaints.lifecycle.filing.validate), on every channel, because a
# report there reaches no unit. Empty = no limit. The demo city's box is
# -7.3021,110.3524,-7.2049,110.4668 (deploy/aduan.env.example).
SERVICE_AREA_BBOX = None
if env("SERVICE_AREA_BBOX", ""):
    _corners = env("SERVICE_AREA_BBOX").split(",")
    if len(_corners) != 4:
        raise ImproperlyConfigured("SERVICE_AREA_BBOX must be 'south,west,north,east'.")
    SERVICE_AREA_BBOX = (*_point("SERVICE_AREA_BBOX", ",".join(_corners[:2])),
                         *_point("SERVICE_AREA_BBOX", ",".join(_corners[2:])))
    if SERVICE_AREA_BBOX[0] >= SERVICE_AREA_BBOX[2] or SERVICE_AREA_BBOX[1] >= SERVICE_AREA_BBOX[3]:
        raise ImproperlyConfigured("SERVICE_AREA_BBOX: south must be below north and west left of east.")

# Public surfaces show a reported point only as the centre of its cell in a grid of this
# many metres (complaints.models.Complaint.public_point): a point is often a home.
PUBLIC_LOCATION_GRID_M = int(env("PUBLIC_LOCATION_GRID_M", "100"))
if PUBLIC_LOCATION_GRID_M < 1:
    raise ImproperlyConfigured("PUBLIC_LOCATION_GRID_M must be a whole number of metres, at least 1.")

# Request bodies (config.request_limits): the URLs that take attachments accept every file a
# report may carry plus 1 MB for the form fields; every other URL 1 MB. Larger bodies are
# refused with 413 before they are read. Form fields are kept in memory up to 1 MB, files
# above 1 MB are spooled to disk while Django reads them. Staff actions take one: the photo
# proving a resolution.
UPLOAD_URL_NAMES = ("complaints:report", "complaints:track_action", "staff:act")
UPLOAD_BODY_MAX_BYTES = ATTACHMENT_MAX_FILES * ATTACHMENT_MAX_BYTES + 1024 * 1024
REQUEST_BODY_MAX_BYTES = int(env("REQUEST_BODY_MAX_KB", "1024")) * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Signed links in e-mails (tracking, rating, appeal) stop working after this many days.
CITIZEN_LINK_MAX_AGE_DAYS = int(env("CITIZEN_LINK_MAX_AGE_DAYS", "90"))

# --- Public dashboard -------------------------------------------------------------------------
# The live page pings its socket this often and reconnects when two intervals pass in silence
# (a proxy or the network may drop a connection without any close reaching the browser).
DASHBOARD_HEARTBEAT_SECONDS = float(env("DASHBOARD_HEARTBEAT_SECONDS", "25"))
