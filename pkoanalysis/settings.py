"""The only settings file: safe development defaults, deployment knobs from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """postgres://user:pass@host:port/name?opt=v -> Django DATABASES entry (psycopg2)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "sqlite"):
        raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": parsed.path or ":memory:"}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "OPTIONS": dict(parse_qsl(parsed.query)),
        # Reuse connections, and check them first, so a restarted database heals by itself.
        "CONN_MAX_AGE": int(os.getenv("DB_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.getenv("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-dev-key-only-for-debug"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_celery_results",
    "rest_framework",
    "knox",  # API tokens hashed at rest (api.authentication)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "sources",
    "missions",
    "risks",
    "plans",
    "briefings",
    "weights",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "pkoanalysis.roles.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pkoanalysis.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pkoanalysis.urls"
WSGI_APPLICATION = "pkoanalysis.wsgi.application"

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
                "missions.context_processors.data_age",
            ],
        },
    },
]

DATABASE_URL = os.getenv("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not guessable (zxcvbn, offline): refuses "xxxxxxxxxxxx", "analyst2analyst2" (issue 25 F12).
    {"NAME": "pkoanalysis.passwords.GuessableValidator",
     "OPTIONS": {"min_score": int(os.getenv("PASSWORD_MIN_SCORE", "3"))}},
    # Not a rule: a new password revokes the account's API tokens.
    {"NAME": "pkoanalysis.passwords.RevokeTokensOnChange"},
]
# Sessions (ASVS 3.3): signed out after 30 minutes without a request and 12 hours after signing
# in (pkoanalysis.sessions); the cookie dies at the absolute limit too.
SESSION_IDLE_SECONDS = 60 * int(os.getenv("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_SECONDS = 3600 * int(os.getenv("SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with each account's permissions kept in the shared cache (a query pair less a page).
    "pkoanalysis.backends.CachedPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish as written in Mexico: 1,234.5 and "5 de diciembre de 2026" (Django's es writes 1 234,5).
FORMAT_MODULE_PATH = ["pkoanalysis.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.getenv(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if DEBUG:
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pkoanalysis",
    }
}
# Counters every process must agree on (API rate limits): Redis when there is one, else a table
# in the database (created by api's first migration), never per-process memory.
CACHES["shared"] = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "pko_shared_cache"}
if os.getenv("CACHE_URL"):
    CACHES["default"] = CACHES["shared"] = {
        # Django's, one client per pool; a Redis error is logged and answered as a miss, so an
        # outage slows pages down instead of taking them down (pkoanalysis.rediscache).
        "BACKEND": "pkoanalysis.rediscache.ResilientRedisCache",
        "LOCATION": os.environ["CACHE_URL"],
        "OPTIONS": {"socket_connect_timeout": float(os.getenv("CACHE_CONNECT_TIMEOUT", "0.3")),
                    "socket_timeout": float(os.getenv("CACHE_TIMEOUT", "0.5")),
                    "retry_seconds": float(os.getenv("CACHE_RETRY_SECONDS", "5"))},
    }

# Proxies whose X-Real-IP names the client (pkoanalysis.clients): nginx on this machine. With
# PROXY_SECRET set (as in deploy/nginx.conf's X-Pko-Proxy), only a request that carries it may
# name its client: another local process reaching gunicorn's loopback port cannot.
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")
PROXY_SECRET = os.getenv("PROXY_SECRET", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: anonymous requests then get 401 with a WWW-Authenticate header.
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.CanView"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Counted in the shared cache, before permissions (so refused requests count), by the
    # client's address behind the proxy (api.throttles).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.UserRateThrottle", "api.throttles.AnonRateThrottle"],
    # Per user, so per token: generous for notebooks, a wall against runaway loops. Anonymous
    # requests and POST /api/token/ per address.
    "DEFAULT_THROTTLE_RATES": {"user": os.getenv("API_RATE_USER", "3000/hour"),
                               "anon": os.getenv("API_RATE_ANON", "120/hour"),
                               "token": os.getenv("API_RATE_TOKEN", "30/hour")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "pkoanalysis API",
    "DESCRIPTION": "UN peacekeeping missions, deployments and fatalities; Mexico's options scored for risk "
                   "and opportunity. Authenticate with a session or `Authorization: Token <key>` "
                   "(POST username and password to /api/token/).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.views.error_responses"],
    "SERVE_PERMISSIONS": ["api.permissions.CanView"],  # any role, as every other endpoint
}
# API tokens expire this long after they were issued; a password change or signing out of the
# site revokes them. An account keeps at most API_TOKENS_PER_USER live tokens (oldest dropped).
API_TOKEN_HOURS = int(os.getenv("API_TOKEN_HOURS", "12"))
API_TOKENS_PER_USER = int(os.getenv("API_TOKENS_PER_USER", "10"))
REST_KNOX = {"TOKEN_TTL": timedelta(hours=API_TOKEN_HOURS), "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks never reach a broker, but Celery still takes a producer from its pool: kombu's
    # in-process memory transport stands in (no socket, no "No hostname was supplied" warning).
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker a briefing renders in a thread of the web process (the request returns at
# once and the page polls its progress) instead of holding the worker for the whole render.
BRIEFINGS_IN_THREAD = os.getenv("BRIEFINGS_IN_THREAD", "true" if CELERY_TASK_ALWAYS_EAGER else "false") == "true"
# Without a broker, what a curator's save recomputes runs in a background thread of the web process
# (pkoanalysis.background), after the response; the pages show the results stale until it is done.
RECOMPUTE_IN_THREAD = envbool("RECOMPUTE_IN_THREAD", "true" if CELERY_TASK_ALWAYS_EAGER else "false")
CELERY_TASK_STORE_EAGER_RESULT = True  # eager tasks write results too, so pages can poll them
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that publishes a task must not hang when the broker is down: a few quick tries,
# then risks.tasks.enqueue gives up, the results stay stale and the sweeper queues them later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}
# Redis: a worker that dies outright (not just its pool child) leaves its task unacknowledged;
# Redis hands it to another worker after this many seconds. Keep it above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2,
                                   "visibility_timeout": int(os.getenv("CELERY_VISIBILITY_TIMEOUT", "3600"))}
# Briefing exports render in a queue of their own ("documents"), so a burst of them never delays
# a recomputation; each account may export BRIEFING_EXPORTS_PER_HOUR and have BRIEFING_PENDING_MAX
# waiting at once, BRIEFING_QUEUE_MAX wait in all; files older than BRIEFING_RETENTION_DAYS are
# deleted (daily, and by `manage.py purge_briefings`).
CELERY_TASK_ROUTES = {"briefings.tasks.*": {"queue": "documents"}}
BRIEFING_EXPORTS_PER_HOUR = int(os.getenv("BRIEFING_EXPORTS_PER_HOUR", "20"))
BRIEFING_PENDING_MAX = int(os.getenv("BRIEFING_PENDING_MAX", "3"))
BRIEFING_QUEUE_MAX = int(os.getenv("BRIEFING_QUEUE_MAX", "20"))
BRIEFING_RETENTION_DAYS = int(os.getenv("BRIEFING_RETENTION_DAYS", "30"))
# Work in progress holds a lease renewed while it works (risks.leases): a worker that dies stops
# renewing, and its work counts as lost after this many seconds (not after the visibility timeout).
TASK_LEASE_SECONDS = int(os.getenv("TASK_LEASE_SECONDS", "60"))
CELERY_BEAT_SCHEDULE = {
    # A save whose task could not be published (broker down) leaves its results stale: requeue.
    "sweep-stale-results": {"task": "risks.tasks.sweep_stale", "schedule": 60},
    # A safety net: saves queue their own recomputations; this catches anything missed.
    "recompute-everything-nightly": {"task": "risks.tasks.recompute_everything", "schedule": 24 * 3600},
    # Plans left stale (broker down at a save) or whose robustness chord was lost.
    "sweep-stale-plans": {"task": "plans.tasks.sweep_stale_plans", "schedule": 300},
    # Briefing files are kept BRIEFING_RETENTION_DAYS, then deleted with their rows.
    "purge-old-briefings": {"task": "briefings.tasks.purge_old_briefings", "schedule": 24 * 3600},
}

# Production hardening: only active with DEBUG off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True

# Login attempts (pages, admin and /api/token/): after AXES_FAILURE_LIMIT wrong passwords for
# one username from one address, that pair is locked out for AXES_COOLOFF_MINUTES; after
# AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address across usernames (spraying), the
# address is (pkoanalysis.lockout.LockoutHandler). The address is the client's, behind nginx too.
AXES_FAILURE_LIMIT = int(os.getenv("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.getenv("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.getenv("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "pkoanalysis.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "pkoanalysis.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "pkoanalysis.lockout.lockout_response"
AXES_COOLOFF_MESSAGE = _("Too many failed login attempts: this account is locked for a while. Try again later, "
                         "or ask an administrator to unlock it.")

# Content Security Policy (django-csp): everything from our own origin, no inline scripts and no
# CDN. Plotly and Swagger UI set inline styles; plotly exports and Redoc use data:/blob: images,
# and Redoc runs its search in a blob: web worker.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # Eager tasks would log every return value (whole CSV chunks) at INFO.
    "loggers": {
        "celery.app.trace": {"level": os.getenv("CELERY_TRACE_LOG_LEVEL", "WARNING")},
        # PDF and chart rendering narrate every step at INFO.
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "kaleido", "choreographer")},
        # django-axes notes every login at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Bounded answers: an account keeps at most SCENARIO_QUOTA scenarios (superusers: no limit).
SCENARIO_QUOTA = int(os.getenv("SCENARIO_QUOTA", "200"))
# /api/deployments/ refuses (400) a grouping with more rows than this; its query stops after
# API_STATEMENT_TIMEOUT_MS on PostgreSQL (pkoanalysis.timeouts), well before gunicorn's 30 s.
DEPLOYMENTS_MAX_ROWS = int(os.getenv("DEPLOYMENTS_MAX_ROWS", "20000"))
API_STATEMENT_TIMEOUT_MS = int(os.getenv("API_STATEMENT_TIMEOUT_MS", "10000"))

# Where the shipped data lives (the import command's default --path).
PKO_DATA_DIR = Path(os.getenv("PKO_DATA_DIR", str(BASE_DIR / "data")))
# Curators' uploads of newer UN releases (missions.releases): the largest file taken, in MB.
PKO_RELEASE_MAX_MB = float(os.getenv("PKO_RELEASE_MAX_MB", "25"))
# ... and the most a compressed upload may decompress to, in MB (the UN monthly file is about 12 MB):
# inflating stops there, so a small "gzip bomb" is refused without filling the memory.
PKO_RELEASE_MAX_UNPACKED_MB = float(os.getenv("PKO_RELEASE_MAX_UNPACKED_MB", "100"))
# Pages and the admin warn when the latest UN monthly report is older than this many months,
# and the curators' attention list names factors whose newest cited year is older than this.
PKO_DATA_MAX_AGE_MONTHS = int(os.getenv("PKO_DATA_MAX_AGE_MONTHS", "6"))
PKO_SOURCE_MAX_AGE_YEARS = int(os.getenv("PKO_SOURCE_MAX_AGE_YEARS", "5"))

# Pesos per US dollar for the cost figures: an approximation of Banco de México's FIX rate over
# 2025 (about 19.2) [verify before a client sees peso figures].
PKO_MXN_PER_USD = float(os.getenv("PKO_MXN_PER_USD", "19.2"))
