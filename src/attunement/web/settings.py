"""Django settings: environment variables over a zero-configuration default.

With nothing set, Attunement runs on SQLite in ./attunement-data/, with a secret
key generated once and kept beside the database. Production sets at least
ATTUNEMENT_SECRET_KEY, ATTUNEMENT_ALLOWED_HOSTS, DATABASE_URL and ATTUNEMENT_PRODUCTION=1.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or not value.strip() else int(value)


def _local_secret_key(data_dir: Path) -> str:
    """A key made once per installation, readable by its owner only."""
    path = data_dir / "secret-key"
    if not path.exists():
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # private to its owner
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


PRODUCTION = env_bool("ATTUNEMENT_PRODUCTION")
DATA_DIR = Path(env_str("ATTUNEMENT_DATA_DIR", str(Path.cwd() / "attunement-data")))
DEBUG = env_bool("ATTUNEMENT_DEBUG")
SECRET_KEY = env_str("ATTUNEMENT_SECRET_KEY") or _local_secret_key(DATA_DIR)
# Wraps the journal's data keys; kept apart from the database and from SECRET_KEY.
ATTUNEMENT_KEY_FILE = Path(env_str("ATTUNEMENT_KEY_FILE", str(DATA_DIR / "encryption-key")))
ALLOWED_HOSTS = env_str("ATTUNEMENT_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in env_str("ATTUNEMENT_CSRF_TRUSTED_ORIGINS").split(",") if o]
# Where "Quick exit" goes: a neutral page, configurable by the operator.
QUICK_EXIT_URL = env_str("ATTUNEMENT_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
SITE_URL = env_str("ATTUNEMENT_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "ninja",
    "attunement.web.core",
    "attunement.web.accounts",
    "attunement.web.couples",
    "attunement.web.assessments",
    "attunement.web.reports",
    "attunement.web.vault",
    "attunement.web.journal",
    "attunement.web.practices",
    "attunement.web.checkins",
    "attunement.web.privacy",
    "attunement.web.therapists",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "attunement.web.core.middleware.api_errors_in_json",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "attunement.web.core.middleware.session_timeouts",
    "attunement.web.privacy.middleware.track_sessions",
    "attunement.web.assessments.middleware.answers_snapshot",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "attunement.web.core.middleware.private_pages",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "attunement.web.urls"
WSGI_APPLICATION = "attunement.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "attunement.web.core.context_processors.quick_exit",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'attunement.sqlite3'}",
        conn_max_age=env_int("ATTUNEMENT_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests write at once (waitress runs 8 threads). WAL lets readers go on
    # while one writer writes; a write transaction takes the write lock when it begins
    # (IMMEDIATE), so it waits its turn (`timeout`, seconds) instead of failing with
    # "database is locked" when a read inside it turns into a write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("ATTUNEMENT_SQLITE_TIMEOUT", 30),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# How many reverse proxies stand in front of the app, each adding the address it received
# from to X-Forwarded-For. 0 (the embedded default): the header is ignored, since anyone can
# send it. The sign-in pause and the rate limits key on the address this gives.
ATTUNEMENT_TRUSTED_PROXIES = env_int("ATTUNEMENT_TRUSTED_PROXIES", 0)

# Throttle by username and address together, for a limited time, so one partner
# cannot lock the other out for long.
AXES_FAILURE_LIMIT = env_int("ATTUNEMENT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ATTUNEMENT_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "attunement.web.core.addresses.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Attempts made during a pause do not restart it, so the pause really ends when the page says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # privacy: keep no log of successful sign-ins
# A failed sign-in is recorded with its query string; `next` can hold an invitation token.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "next"]

# Sessions: server-side, ended on logout; idle and absolute limits.
# Kept with the person's id in a column of its own, so their sessions are found by index.
SESSION_ENGINE = "attunement.web.accounts.session_store"
SESSION_COOKIE_AGE = env_int("ATTUNEMENT_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_IDLE_SECONDS = env_int("ATTUNEMENT_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("ATTUNEMENT_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Email: printed to the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str(
    "ATTUNEMENT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("ATTUNEMENT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("ATTUNEMENT_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("ATTUNEMENT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("ATTUNEMENT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("ATTUNEMENT_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env_str("ATTUNEMENT_FROM_EMAIL", "Attunement <no-reply@localhost>")

# Cache: Redis where configured (several app processes), local memory otherwise.
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }

# Part of every key of derived data (attunement.web.core.derived): change it to drop them all,
# say after editing an instrument file on a running installation that keeps Redis.
ATTUNEMENT_CACHE_VERSION = env_str("ATTUNEMENT_CACHE_VERSION", "1")

# Rate limits, counted by django-ratelimit in the default cache above (shared through Redis
# between processes; the embedded default is one process, whose memory is enough). Each is
# "N/s", "N/m", "N/h" or "N/d"; an empty value switches that limit off. Going over answers 429.
ATTUNEMENT_RATE_LIMITS = {
    # Each sign-up or reset request sends an email: per email address and per network address.
    "signup_email": env_str("ATTUNEMENT_LIMIT_SIGNUP_EMAIL", "3/h"),
    "signup_address": env_str("ATTUNEMENT_LIMIT_SIGNUP_ADDRESS", "20/h"),
    "reset_email": env_str("ATTUNEMENT_LIMIT_RESET_EMAIL", "3/h"),
    "reset_address": env_str("ATTUNEMENT_LIMIT_RESET_ADDRESS", "20/h"),
    # Per person: the live coach (pages and API), every write to the API, journal writes.
    "coach": env_str("ATTUNEMENT_LIMIT_COACH", "120/m"),
    "api_write": env_str("ATTUNEMENT_LIMIT_API_WRITE", "120/m"),
    "journal_write": env_str("ATTUNEMENT_LIMIT_JOURNAL_WRITE", "120/h"),
}
RATELIMIT_USE_CACHE = "default"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One catalogue folder for the whole package (docs/translations.md): `manage makemessages -l LANG`.
LOCALE_PATHS = [PACKAGE_DIR.parent / "locale"]

STATIC_URL = "/static/"
# The couple report's stylesheet lives with the report renderer (attunement.insight).
STATICFILES_DIRS = [PACKAGE_DIR / "static", PACKAGE_DIR.parent / "insight" / "static"]
# Production serves collected files (collectstatic); locally whitenoise finds them in place.
STATIC_ROOT = (
    Path(env_str("ATTUNEMENT_STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # An oversized body is someone else's mistake, not ours: one line, no traceback.
    "filters": {"one_line": {"()": "attunement.web.core.middleware.WithoutTraceback"}},
    "loggers": {"django.security.RequestDataTooBig": {"filters": ["one_line"]}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ATTUNEMENT_LOG_LEVEL", "WARNING")},
}
