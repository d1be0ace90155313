"""Helix settings: one environment-driven file.

Every setting read from the environment is documented in docs/configuration.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("HELIX_DEBUG", False)
SECRET_KEY = os.environ.get("HELIX_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("HELIX_REQUIRE_SECRET_KEY"):
        raise RuntimeError("HELIX_SECRET_KEY must be set in production.")
    # Local runs and tests: a key per checkout, never committed.
    _key_file = BASE_DIR / "var" / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.parent.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = [h for h in os.environ.get("HELIX_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("HELIX_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "django_tasks",
    "django_tasks_db",
    "helix.core",
    "helix.actors",
    "helix.instruments",
    "helix.projects",
    "helix.strategy",
    "helix.market",
    "helix.matching",
    "helix.follow",
    "helix.opendata",
    "helix.linkeddata",
    "helix.insights",
    "helix.maturity",
    "helix.api",
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
    "django_htmx.middleware.HtmxMiddleware",
    "helix.core.history.HistoryContextMiddleware",
    "helix.linkeddata.middleware.AlternateLinksMiddleware",
]

ROOT_URLCONF = "helix.urls"
WSGI_APPLICATION = "helix.wsgi.application"
ASGI_APPLICATION = "helix.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "helix" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "helix.core.context_processors.helix",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded server started by `make run` (scripts/devserver.py
# exports DATABASE_URL before Django starts). Tests on CI use 127.0.0.1:5432.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helix"),
        conn_max_age=int(os.environ.get("HELIX_DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: failed attempts per username+IP within the window lock further tries.
HELIX_LOGIN_MAX_FAILURES = int(os.environ.get("HELIX_LOGIN_MAX_FAILURES", "5"))
HELIX_LOGIN_LOCK_SECONDS = int(os.environ.get("HELIX_LOGIN_LOCK_SECONDS", "900"))

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "helix" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "helix" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The region Helix serves: REFNIS code of the region whose municipalities are in scope.
HELIX_REGION_REFNIS = os.environ.get("HELIX_REGION_REFNIS", "02000")  # Vlaams Gewest

# Uploads: refused before parsing above these limits (see docs/import-formats.md).
HELIX_IMPORT_MAX_BYTES = int(os.environ.get("HELIX_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
HELIX_IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("HELIX_IMPORT_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
HELIX_IMPORT_MAX_ZIP_ENTRIES = int(os.environ.get("HELIX_IMPORT_MAX_ZIP_ENTRIES", "2000"))
HELIX_IMPORT_MAX_ROWS = int(os.environ.get("HELIX_IMPORT_MAX_ROWS", "100000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["helix.api.permissions.ReadAnyoneWriteInScope"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "helix.api.pagination.HelixCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "helix.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("HELIX_API_ANON_RATE", "10000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Helix API",
    "DESCRIPTION": "Public, versioned REST API of Helix: the region's smart-city ecosystem.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Conventions and error codes as the description (helix.api.schema).
    "POSTPROCESSING_HOOKS": ["helix.api.schema.postprocess_enums", "helix.api.schema.add_conventions"],
    # /api/docs/ and /api/redoc/ load Swagger UI and Redoc from drf-spectacular-sidecar, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MunicipalitySizeEnum": "helix.actors.choices.MunicipalitySize",
        "ProjectLinkKindEnum": "helix.projects.choices.LinkKind",
        "ResponseOutcomeEnum": "helix.market.choices.ResponseOutcome",
        "ProgressStatusEnum": "helix.strategy.choices.ProgressStatus",
        "FundingCriterionEnum": "helix.matching.engine.types.FundingCriterion",
        "FundingOutcomeEnum": "helix.matching.engine.types.Outcome",
        "FundingVerdictEnum": "helix.matching.engine.types.Verdict",
    },
}


SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("HELIX_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HELIX_LOG_LEVEL", "WARNING")},
}

# Following (helix.follow, docs/follow.md): overviews, saved searches, feeds and e-mail digests.
HELIX_BASE_URL = os.environ.get("HELIX_BASE_URL", "http://127.0.0.1:8000")  # absolute links in e-mails
HELIX_OVERVIEW_CLOSING_DAYS = int(os.environ.get("HELIX_OVERVIEW_CLOSING_DAYS", "60"))
HELIX_OVERVIEW_PERIOD = os.environ.get("HELIX_OVERVIEW_PERIOD", "monthly")
HELIX_FEED_MAX_ENTRIES = int(os.environ.get("HELIX_FEED_MAX_ENTRIES", "50"))
HELIX_FEED_TAG_AUTHORITY = os.environ.get("HELIX_FEED_TAG_AUTHORITY", "")
EMAIL_BACKEND = os.environ.get("HELIX_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("HELIX_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HELIX_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HELIX_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HELIX_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HELIX_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("HELIX_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("HELIX_DEFAULT_FROM_EMAIL", "Helix <helix@localhost>")

# Background work (django-tasks, database backend; a worker runs `manage.py db_worker`).
# HELIX_TASK_BACKEND=immediate runs tasks inside the request (tests, single-process setups).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("HELIX_TASK_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}

# Open-data harvesting (helix.opendata, docs/opendata-harvesting.md): limits per source and run.
HELIX_HARVEST_MAX_BYTES = int(os.environ.get("HELIX_HARVEST_MAX_BYTES", str(50 * 1024 * 1024)))  # per response
HELIX_HARVEST_TIMEOUT = float(os.environ.get("HELIX_HARVEST_TIMEOUT", "60"))  # seconds per response
HELIX_HARVEST_MAX_ITEMS = int(os.environ.get("HELIX_HARVEST_MAX_ITEMS", "20000"))  # datasets per source
HELIX_HARVEST_MAX_PAGES = int(os.environ.get("HELIX_HARVEST_MAX_PAGES", "2000"))
HELIX_HARVEST_MAX_VALUES = int(os.environ.get("HELIX_HARVEST_MAX_VALUES", "100"))  # values per property per record
HELIX_HARVEST_ALLOW_LOOPBACK = env_bool("HELIX_HARVEST_ALLOW_LOOPBACK", False)  # tests and benchmarks only
HELIX_LINKCHECK_ENABLED = env_bool("HELIX_LINKCHECK_ENABLED", True)
HELIX_LINKCHECK_HOST_INTERVAL = float(os.environ.get("HELIX_LINKCHECK_HOST_INTERVAL", "1.0"))  # seconds per host

# Linked open data (helix.linkeddata, docs/linked-data.md): dump folder, catalogue publisher,
# functional contact address (never a person's) and licence of Helix's registries.
HELIX_LINKED_DATA_DIR = os.environ.get("HELIX_LINKED_DATA_DIR", str(BASE_DIR / "var" / "linked-data"))
HELIX_PUBLISHER_NAME = os.environ.get("HELIX_PUBLISHER_NAME", "Helix")
HELIX_DATA_CONTACT_EMAIL = os.environ.get("HELIX_DATA_CONTACT_EMAIL", "")  # default: DEFAULT_FROM_EMAIL's address
HELIX_DATA_LICENCE = os.environ.get("HELIX_DATA_LICENCE", "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")

# Maturity self-assessment (helix.maturity, docs/maturity.md): smallest group of municipalities
# whose aggregate is shown (peer comparison, region-wide distribution).
HELIX_MATURITY_MIN_GROUP = int(os.environ.get("HELIX_MATURITY_MIN_GROUP", "5"))

# Similar projects (docs/knowledge-hub.md): above this many projects (PostgreSQL's estimate) the
# in-memory index gives way to PostgreSQL candidates re-ranked by the engine.
HELIX_SIMILAR_INDEX_MAX = int(os.environ.get("HELIX_SIMILAR_INDEX_MAX", "50000"))

# Server processes freeze their warmed-up objects out of the garbage collector's full passes
# (helix/core/gc_tuning.py): no ~150 ms pauses every dozen requests.
HELIX_GC_FREEZE = env_bool("HELIX_GC_FREEZE", True)
