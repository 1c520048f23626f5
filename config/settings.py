"""Pamong settings: one module, driven by environment variables.

The embedded default (no variable set) runs on SQLite with local files and the in-process
task backend, so a fresh checkout needs no service. ``DATABASE_URL`` switches to PostgreSQL,
``REDIS_URL`` to Redis for cache and sessions, ``TASK_BACKEND=db`` to the database task queue
served by ``manage.py db_worker``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
PAMONG_ENV = env("PAMONG_ENV", default="development")  # development | test | production
_INSECURE_KEY = "insecure-development-key-not-for-production"
SECRET_KEY = env("SECRET_KEY", default=_INSECURE_KEY)
if PAMONG_ENV == "production" and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("Production needs SECRET_KEY set to a random string of at least 40 characters.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "accounts",
    "organization",
    "personnel",
    "performance",
    "recruitment",
    "exams",
    "learning",
    "publicservice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.admission.AdmissionMiddleware",
    "exams.gate.StartGate",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.actor",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the task worker and the web process share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# A read replica for dashboards, when configured (see docs/deployment.md).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASE_ROUTERS = ["core.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL and PAMONG_ENV == "test" and env("PYTEST_XDIST_WORKER", default=""):
    # Parallel test workers each get their own Redis database (15, 14, …): a test's cache.clear() flushes
    # a whole database and must not empty another worker's cache mid-test.
    _worker = int(env("PYTEST_XDIST_WORKER").removeprefix("gw") or 0)
    _base, _sep, _db = REDIS_URL.rpartition("/")
    REDIS_URL = f"{_base}/{(int(_db) if _db.isdigit() else 15) - _worker}" if _sep else REDIS_URL
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Admission control for the registration surge (core/admission.py): newcomers go in only while fewer
# than CAPACITY registration requests are in flight across all workers (keep it below the gunicorn
# workers, so one stays free for the waiting room and every other page); the rest queue fairly and
# whoever is in keeps going. Off in tests.
ADMISSION = {
    "ENABLED": env.bool("ADMISSION_ENABLED", default=PAMONG_ENV != "test"),
    "CAPACITY": env.int("ADMISSION_CAPACITY", default=4),
    "PATHS": [r"^/seleksi/daftar/", r"^/seleksi/formasi/\d+/lamar/", r"^/seleksi/lamaran/[^/]+/$"],
    "PASS_SECONDS": env.int("ADMISSION_PASS_SECONDS", default=20 * 60),
    "MAX_REQUEST_SECONDS": env.int("ADMISSION_MAX_REQUEST_SECONDS", default=120),  # gunicorn --timeout
}

# CAT start burst: how many exam starts may run at once on one host (gunicorn workers − 1; 0 = no gate).
CAT_START_GATE = env.int("CAT_START_GATE", default=0)
CAT_GATE_DIR = env("CAT_GATE_DIR", default="")

# Mail (Django 6.1 mailers): the console in development, SMTP in production (OPTIONS from the environment).
_MAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PAMONG_ENV == "production"
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _MAIL_BACKEND}}
if _MAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Pamong <noreply@pamong.invalid>")
PAMONG_SITE_URL = env("PAMONG_SITE_URL", default="http://localhost:8000")

# The working-day clocks that core.calendar recomputes in the same transaction when a year's holidays change
# (core imports no domain app): each is called as f(actor=, years=, reason=) and returns how many it moved.
WORKING_DAY_CLOCKS = ["publicservice.clocks.recompute"]

TASK_BACKEND = env("TASK_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "db": "django_tasks_db.DatabaseBackend",
        }[TASK_BACKEND],
    }
}
# Seconds the optimal allocation's solver may search before it keeps the best plan found (a background task).
LEARNING_ALLOCATION_TIME_LIMIT = env.int("LEARNING_ALLOCATION_TIME_LIMIT", default=900)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock an account (per username and address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Admin roles must pass a TOTP second factor; tests and the demo may switch it off explicitly.
PAMONG_REQUIRE_ADMIN_2FA = env.bool("PAMONG_REQUIRE_ADMIN_2FA", default=True)
OTP_TOTP_ISSUER = "Pamong"
OTP_TOTP_TOLERANCE = 1  # one 30 s step either side: phone clocks drift

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PAMONG_ENV == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PAMONG_IMPORT_MAX_BYTES = env.int("PAMONG_IMPORT_MAX_BYTES", default=60 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pamong API",
    "DESCRIPTION": "Registry of agencies and civil servants (ASN). Every call is scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set where fields of different names (or names shared by different sets) use it.
    "ENUM_NAME_OVERRIDES": {
        "PositionTypeEnum": "organization.choices.PositionType",
        "EmployeeStatusEnum": "personnel.choices.EmployeeStatus",
        "RatingEnum": "performance.choices.Rating",
        "PredikatEnum": "performance.choices.Predikat",
        "OrgPredikatEnum": "performance.choices.OrgPredikat",
        "SkpStatusEnum": "performance.choices.SkpStatus",
        "AssessmentStatusEnum": "performance.choices.AssessmentStatus",
        "CoachingStatusEnum": "performance.choices.CoachingStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

if PAMONG_ENV == "production":
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Outside production, whitenoise serves static files straight from the app folders (no collectstatic).
WHITENOISE_USE_FINDERS = PAMONG_ENV != "production"
WHITENOISE_AUTOREFRESH = PAMONG_ENV != "production"

if PAMONG_ENV == "test":
    # Hashing a password properly takes ~0.5 s by design; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server's thread must not keep a connection that blocks dropping the test database.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
