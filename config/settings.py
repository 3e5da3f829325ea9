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
    "ml",
    "complaints",
    "dashboard",
    "systemic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
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

# Channel layer: in-memory in one process, Redis across processes.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env("REDIS_PREFIX", "aduan")},
        }
    }
    # A shared cache so that rate limits hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("REDIS_PREFIX", "aduan"),
        }
    }
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
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# E-mail: console by default; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Aduan <noreply@aduan.localhost>")
if env("EMAIL_BACKEND"):
    EMAIL_BACKEND = env("EMAIL_BACKEND")
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
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
# Tracking links carry a secret token for one redirect; never send it onwards.
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Client IPs: X-Forwarded-For is believed only when the request comes from one of these.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Domain settings.
APPEAL_WINDOW_WORKING_DAYS = int(env("APPEAL_WINDOW_WORKING_DAYS", "10"))
NEEDS_INFO_TIMEOUT_WORKING_DAYS = int(env("NEEDS_INFO_TIMEOUT_WORKING_DAYS", "10"))
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

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
# Signed links in e-mails (tracking, rating, appeal) stop working after this many days.
CITIZEN_LINK_MAX_AGE_DAYS = int(env("CITIZEN_LINK_MAX_AGE_DAYS", "90"))
