"""Settings for khuyencong, read from environment variables.

Development defaults are safe to run on a laptop (SQLite file in the project folder, DEBUG on
only when asked). Production sets DJANGO_ENV=production (or DEBUG=0 with a real SECRET_KEY) and
passes `manage.py check --deploy`.
"""

import os
import sys
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789abcdef")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The absolute address of the site for links that leave it (certificate QR codes, e-mails). Unset: the address
# the request came in on (core.links); `check --deploy` warns in production when it is unset.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
ADMINS = getaddresses(
    env_list("ADMINS", "")
)  # "Name <a@example.vn>,b@example.vn": errors are e-mailed to them
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", os.environ.get("DEFAULT_FROM_EMAIL", "khuyencong@localhost"))

INSTALLED_APPS = [
    "khuyencong.core.admin_site.AdminConfig",  # django.contrib.admin, its site following accounts' predicates
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "khuyencong.core",
    "khuyencong.geo",
    "khuyencong.accounts",
    "khuyencong.registry",
    "khuyencong.programme",
    "khuyencong.national",
    "khuyencong.notifications",
    "khuyencong.selection",
    "khuyencong.outreach",
    "khuyencong.interchange",
    "khuyencong.reports",
    "khuyencong.catalogue",
    "khuyencong.api",
    "khuyencong.documents",  # late: its catalogue never overrides an earlier app's translation
    "khuyencong.help",  # last: the guide quotes the other apps' labels, their translations win
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "khuyencong.core.middleware.RequestLogMiddleware",
    "khuyencong.core.routers.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.core.middleware.RejectNullCharactersMiddleware",
    "khuyencong.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khuyencong.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
WSGI_APPLICATION = "khuyencong.wsgi.application"

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
                "khuyencong.core.context_processors.navigation",
                "khuyencong.accounts.context_processors.can",
            ],
            "builtins": ["khuyencong.core.templatetags.vn", "khuyencong.accounts.templatetags.permissions"],
        },
    }
]

# Persistent connections (seconds; 0 closes at the end of each request), checked before reuse.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0"))


def database(url: str) -> dict:
    config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_MAX_AGE > 0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # One office on one file: a write transaction takes the write lock when it begins (IMMEDIATE), so two
        # writers queue on the busy timeout instead of one failing with "database is locked" when it upgrades
        # a read lock; WAL lets pages read while a write is under way.
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": int(os.environ.get("SQLITE_TIMEOUT", "30")),
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                    "PRAGMA cache_size=-20000; PRAGMA mmap_size=134217728;"
                ),
            }
        )
    elif config["ENGINE"].startswith("django.db.backends.postgresql"):
        # No JIT: PostgreSQL compiles every query costed above jit_above_cost, and the reports' grouped queries
        # over the whole country spent more time compiling than running (1.2 s of 3.2 s, EXPLAIN ANALYZE on the
        # national dataset); a web request's queries never run long enough to repay it.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL", f"sqlite:///{PROJECT_DIR / 'khuyencong.sqlite3'}"))
}
if os.environ.get("DATABASE_REPLICA_URL"):
    # A read replica: report and catalogue pages read from it (core.routers); writes always go to default.
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["khuyencong.core.routers.ReplicaRouter"]
REPLICA_PATHS = env_list("REPLICA_PATHS", "/reports/,/catalogue/,/verify/,/api/v1/catalogue/")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 24 * 3600  # the reset mail says "for 24 hours"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The client's address behind reverse proxies (see accounts/clients.py): the header the proxies fill in
# (e.g. HTTP_X_FORWARDED_FOR) and how many of them stand in front. Unset: REMOTE_ADDR.
TRUSTED_PROXY_HEADER = os.environ.get("TRUSTED_PROXY_HEADER", "")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
# Login lockout: LOGIN_FAILURE_LIMIT failures of one user name from one address lock that pair (only) for
# LOGIN_COOLOFF_MINUTES after the last failure; other users behind the same address are not affected.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", os.environ.get("AXES_FAILURE_LIMIT", "5")))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "khuyencong.accounts.clients.client_address"
AXES_LOCKOUT_CALLABLE = "khuyencong.accounts.lockout.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time we tell a locked user stays true
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Rate limits per client address (accounts/ratelimits.py), counted in the shared "default" cache:
# "N/s", "N/m", "N/h" or "N/d" for each group of public pages, and for the API per token or address.
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMITS = {
    "verify": os.environ.get("RATE_LIMIT_VERIFY", "60/m"),  # /verify/…: certificate numbers can be guessed
    "catalogue": os.environ.get("RATE_LIMIT_CATALOGUE", "300/m"),  # catalogue search and product pages
    "open_data": os.environ.get("RATE_LIMIT_OPEN_DATA", "30/m"),  # /catalogue/export.*, summary.*
    "password_reset": os.environ.get("RATE_LIMIT_PASSWORD_RESET", "10/h"),  # mails asked for, per address
}
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "120/m"),
    "token": os.environ.get("API_THROTTLE_TOKEN", "1200/m"),
}
RATELIMIT_FAIL_OPEN = True  # the cache unreachable: serve the pages rather than refuse everyone
# Second factor (django-otp, TOTP): who must enrol an authenticator app, a comma-separated list of
# "admins", "officers", "staff", "everyone" (see accounts/second_factor.py); empty: nobody is forced.
OTP_REQUIRED_FOR = env_list("OTP_REQUIRED_FOR", "")
OTP_TOTP_ISSUER = os.environ.get("OTP_ISSUER", "Khuyến công")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", PROJECT_DIR / "media"))
SERVE_MEDIA = env_bool(
    "SERVE_MEDIA", True
)  # the app serves public uploads itself (0: nginx or object storage do)


def storages(env, production: bool) -> dict:
    """Uploads in one place every app server sees: folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT; a shared mount
    when there are several servers), or S3-compatible object storage when S3_BUCKET is set (django-storages:
    public photos under media/ with plain URLs, private documents under private/, only ever streamed by the
    views that check permission)."""
    static = {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if production
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    if not env.get("S3_BUCKET"):
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": static}
    s3 = {
        "bucket_name": env["S3_BUCKET"],
        "endpoint_url": env.get("S3_ENDPOINT_URL") or None,
        "region_name": env.get("S3_REGION") or None,
        "access_key": env.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": env.get("S3_SECRET_ACCESS_KEY") or None,
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **s3,
                "location": "media",
                "querystring_auth": False,
                "custom_domain": env.get("S3_PUBLIC_DOMAIN") or None,
            },
        },
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3, "location": "private"}},
        "staticfiles": static,
    }


STORAGES = storages(os.environ, PRODUCTION)
# Dossier and project documents: never under MEDIA_URL, served only by views that check permission.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", PROJECT_DIR / "private_media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))  # documents, import files
UPLOAD_MAX_BYTES_IMAGE = int(os.environ.get("UPLOAD_MAX_BYTES_IMAGE", str(5 * 1024 * 1024)))  # photos

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "khuyencong@localhost")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# Background tasks (django-tasks): long imports run in a worker process, `khuyencong db_worker`, which
# `khuyencong serve` starts beside the web server. The test suite runs tasks at once, in the request.
TESTING = "pytest" in sys.modules
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}
# The worker writes a heartbeat every WORKER_HEARTBEAT_SECONDS (/healthz fails past WORKER_HEARTBEAT_MAX_AGE);
# a running import renews its lease and counts as stopped (failed, retryable) when silent for IMPORT_LEASE_SECONDS.
# The running worker starts the daily jobs (deadline reminders) at the first heartbeat after this local hour.
DAILY_JOBS_HOUR = int(os.environ.get("DAILY_JOBS_HOUR", "7"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_HEARTBEAT_MAX_AGE = float(
    os.environ.get("WORKER_HEARTBEAT_MAX_AGE", str(3 * WORKER_HEARTBEAT_SECONDS))
)
IMPORT_LEASE_SECONDS = float(os.environ.get("IMPORT_LEASE_SECONDS", "60"))
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "khuyencong_cache"


def caches(redis_url: str, testing: bool) -> dict:
    """The shared cache (rate limits, lockouts, cached counts must agree across processes): Redis when
    REDIS_URL is set, otherwise the database (its table is made by `migrate`, see core.apps); a memory
    cache only in the test suite. Progress of a background import is read by the web process while the
    worker's write transaction is open; on SQLite the database is then busy, so progress lives in files
    (or in Redis when there is one)."""
    if testing:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "progress"},
        }
    if redis_url:
        redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
        return {
            "default": {**redis, "KEY_PREFIX": "kc"},
            "progress": {**redis, "KEY_PREFIX": "kc-progress", "TIMEOUT": 24 * 3600},
        }
    return {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE},
        "progress": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("PROGRESS_CACHE_DIR", str(PROJECT_DIR / "tmp" / "progress")),
            "TIMEOUT": 24 * 3600,
        },
    }


CACHES = caches(REDIS_URL, TESTING)

# Logs on standard error: in production one JSON object per line (each request: method, path, status,
# duration in ms, user id — core.middleware.RequestLogMiddleware; REQUEST_LOG=0 turns it off), plain text in
# development. Errors (5xx, uncaught exceptions) are also e-mailed to ADMINS.
REQUEST_LOG = env_bool("REQUEST_LOG", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "khuyencong.core.logs.JsonFormatter"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if PRODUCTION else {})},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "khuyencong.request": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Digital signatures of decisions and certificates (documents.signing): the organisation's PKCS#12 file and
# its passphrase, and the roots a signer's certificate must chain to (comma-separated PEM/DER files). Outside
# production, with nothing configured, a demo CA made under PRIVATE_MEDIA_ROOT/signing/demo/ stands in.
PDF_SIGNING_P12 = os.environ.get("PDF_SIGNING_P12", "")
PDF_SIGNING_PASSPHRASE = os.environ.get("PDF_SIGNING_PASSPHRASE", "")
PDF_TRUST_ROOTS = [p.strip() for p in os.environ.get("PDF_TRUST_ROOTS", "").split(",") if p.strip()]
PDF_SIGNING_DEMO = env_bool("PDF_SIGNING_DEMO", not PRODUCTION)


# The shared key of the signed files a province running its own instance exchanges with the Ministry
# (national.exchange: HMAC-SHA256). Both sides set the same KHUYENCONG_EXCHANGE_KEY; without it no file is
# signed or accepted.
EXCHANGE_KEY = os.environ.get("KHUYENCONG_EXCHANGE_KEY", "dev-only-exchange-key" if DEBUG else "")
