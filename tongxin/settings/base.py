"""Settings shared by every environment."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from tongxin.settings import env

BASE_DIR = env.BASE_DIR
SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "tongxin.core.admin_site.TongxinAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "tongxin.core",
    "tongxin.accounts",
    "tongxin.regions",
    "tongxin.enterprises",
    "tongxin.surveys",
    "tongxin.pairing",
    "tongxin.inbox",
    "tongxin.cadres",
    "tongxin.chambers",
    "tongxin.portal",
    "tongxin.selection",
    "tongxin.platforms",
    "tongxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tongxin.core.db_router.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongxin.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tongxin.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tongxin.urls"
WSGI_APPLICATION = "tongxin.wsgi.application"

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
                "tongxin.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.database()}
# A streaming replica (DATABASE_REPLICA_URL): read-only requests read reports and dashboards
# from it; writes, transactions and everything else stay on the primary (tongxin/core/db_router.py).
if env.DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.database(env.DATABASE_REPLICA_URL)
TONGXIN_READ_REPLICA: str | None = "replica" if env.DATABASE_REPLICA_URL else None
TONGXIN_REPLICA_MODELS = frozenset({"pairing.report"})
TONGXIN_REPLICA_VIEWS = frozenset(
    {
        "pairing:campaign_dashboard",
        "pairing:campaign_dashboard_export",
        "pairing:campaign_ledger",
        "pairing:campaign_late",
        "api-reporting",
    }
)
# Never read from the replica: who is signed in and with which hats, sign-in locks, tasks.
TONGXIN_PRIMARY_APPS = frozenset(
    {"accounts", "auth", "sessions", "contenttypes", "axes", "authtoken", "django_tasks_db"}
)
TONGXIN_REPLICA_PIN_SECONDS = env.DATABASE_REPLICA_PIN_SECONDS
DATABASE_ROUTERS = ["tongxin.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock a username after 5 failures within 30 minutes; unknown users get the
# same answer as known ones because the lock is keyed by the submitted username only.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client address in the lock-out log is the one the rate limits and security log use.
AXES_CLIENT_IP_CALLABLE = "tongxin.core.network.client_ip"
# The user name as typed, cut to the longest a user name can be (axes' column holds 255).
AXES_USERNAME_CALLABLE = "tongxin.accounts.signals.axes_username"
# The lock is per username by design (a shared county office NAT must not lock everyone out).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.STATIC_ROOT
# Uploaded files are never served at MEDIA_URL: scoped views check access, then Django
# (development, tests) or the web server (TONGXIN_FILE_ACCEL "nginx" / "apache") sends them.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.MEDIA_ROOT
TONGXIN_FILE_ACCEL = env.FILE_ACCEL or "django"
TONGXIN_FILE_ACCEL_PREFIX = env.FILE_ACCEL_PREFIX
STORAGES = {
    # MEDIA_ROOT, or a private S3-compatible bucket when MEDIA_S3_BUCKET is set (several servers).
    "default": env.media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: imports are capped well below anything that could hurt the server.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "tongxin.core.ordering.SafeOrderingFilter",
    ],
    # Page and page_size are validated (400 when wrong; page_size at most 500).
    "DEFAULT_PAGINATION_CLASS": "tongxin.core.pagination.ApiPagination",
    "PAGE_SIZE": 50,
    # JSON with limits on nesting, size and integer width (400 when exceeded).
    "DEFAULT_PARSER_CLASSES": [
        "tongxin.core.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tongxin.core.api.exception_handler",
    # Rate limits (counters in the default cache); the token endpoint has its own, stricter one.
    "DEFAULT_THROTTLE_CLASSES": ["tongxin.core.throttles.AnonThrottle", "tongxin.core.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.API_RATE_ANON, "user": env.API_RATE_USER, "token": env.API_RATE_TOKEN},
    "NUM_PROXIES": 0 if env.NUM_PROXIES is None else env.NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tongxin API",
    "DESCRIPTION": "Village–enterprise pairing and united-front work. Every resource is scoped to the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema lists every resource and field: signed-in users only (the docs page, too).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SideEnum": "tongxin.pairing.choices.Side",
        "CouncilLevelEnum": "tongxin.cadres.choices.CouncilLevel",
        # The apps' choice sets that share a field name ("kind", "status", "stage" …): one name each.
        "AccessKindEnum": "tongxin.cadres.choices.AccessKind",
        "BodyKindEnum": "tongxin.cadres.choices.BodyKind",
        "CourseKindEnum": "tongxin.cadres.choices.CourseKind",
        "ReserveStageEnum": "tongxin.cadres.choices.ReserveStage",
        "EnrolmentStatusEnum": "tongxin.cadres.choices.EnrolmentStatus",
        "PersonStatusEnum": "tongxin.cadres.choices.PersonStatus",
        "PostRoleEnum": "tongxin.cadres.choices.PostRole",
        "ChamberKindEnum": "tongxin.chambers.choices.ChamberKind",
        "CaseKindEnum": "tongxin.chambers.choices.CaseKind",
        "MemberKindEnum": "tongxin.chambers.choices.MemberKind",
        "MemberActivityKindEnum": "tongxin.chambers.choices.ActivityKind",
        "ApplicationStatusEnum": "tongxin.chambers.choices.ApplicationStatus",
        "CaseStatusEnum": "tongxin.chambers.choices.CaseStatus",
        "MemberStatusEnum": "tongxin.chambers.choices.MemberStatus",
        "AssociationKindEnum": "tongxin.platforms.choices.AssociationKind",
        "CharityKindEnum": "tongxin.platforms.choices.CharityKind",
        "OrganisationEventKindEnum": "tongxin.platforms.choices.EventKind",
        "OrganisationKindEnum": "tongxin.platforms.choices.OrganisationKind",
        "PromotionKindEnum": "tongxin.platforms.choices.PromotionKind",
        "ServiceFieldEnum": "tongxin.platforms.choices.ServiceField",
        "LeadOriginEnum": "tongxin.platforms.choices.Origin",
        "LeadStageEnum": "tongxin.platforms.choices.LeadStage",
        "ProjectStatusEnum": "tongxin.platforms.choices.ProjectStatus",
        "RequestStatusEnum": "tongxin.platforms.choices.RequestStatus",
        "TopicStatusEnum": "tongxin.platforms.choices.TopicStatus",
        "AnswerStateEnum": "tongxin.platforms.choices.AnswerState",
        "ParticipationRoleEnum": "tongxin.platforms.choices.ParticipationRole",
        "ArticleStatusEnum": "tongxin.portal.choices.ArticleStatus",
        "CriterionKindEnum": "tongxin.selection.choices.CriterionKind",
        "SelectionStageEnum": "tongxin.selection.choices.Stage",
        "NominationStatusEnum": "tongxin.selection.choices.NominationStatus",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# manage.py serve: gunicorn (address, worker processes; 0 = 2 × CPUs + 1, at most 8), the
# task worker and the scheduler, which enqueues each task below daily at its local time.
TONGXIN_SERVE = {"BIND": env.SERVE_BIND, "WORKERS": env.WEB_CONCURRENCY}
TONGXIN_SCHEDULE = {
    "tongxin.pairing.tasks.report_reminders": env.REMINDERS_AT,
    "tongxin.inbox.tasks.send_notification_digest": env.DIGEST_AT,
    "tongxin.cadres.tasks.anonymise_departed": env.RETENTION_AT,
}

EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
# Scheme and host of the site as people open it (no trailing slash), for links in e-mails.
TONGXIN_SITE_URL = env.SITE_URL

# Shared between the web processes and the task worker (import progress, rate limits): a
# file cache in CACHE_DIR needs no extra service on a laptop; Redis (REDIS_URL) serves
# several hosts, and then holds the sessions too (written through to the database).
CACHES = env.caches()
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if env.REDIS_URL else "django.contrib.sessions.backends.db"
)

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-vcenter card-table table-striped"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.LOG_LEVEL},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

TONGXIN = {
    # Excel import limits: anything beyond is refused before any row is read. 100,000 rows
    # (a province's villages) import in well under a minute (`make bench-excel`); such a
    # sheet is about 7 MB packed and 90 MB unpacked.
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 100_000,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 300 * 1024 * 1024,
    "IMPORT_MAX_RATIO": 200,
    # An import stops checking after this many row errors (nothing is written anyway).
    "IMPORT_MAX_ERRORS": 1_000,
    "EXPORT_MAX_ROWS": 200_000,
    # A province or prefecture supervisor's home page counts (the county roll-up) are kept
    # this long in the cache, shared by everyone who sees the same rows; 0: counted on
    # every visit.
    "OVERVIEW_CACHE_SECONDS": 300,
    # Public portal pages are kept whole this long (a new generation on every publish and
    # unpublish; never past the next scheduled article): tongxin/portal/cache.py.
    "PORTAL_CACHE_SECONDS": 300,
}

# Labels used in templates for the demo banner.
DEMO_BANNER = _("Demo data: the county, people and organisations are fictional.")
