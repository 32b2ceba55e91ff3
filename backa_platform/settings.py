"""Settings for the Backa barnet platform, read from the environment (12-factor).

One module, small named sections. Every value has a secure default: DEBUG is off unless asked for,
cookies are host-only, and nothing personal is sent to Sentry.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

from backa_platform import embedded_database, local_keys

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Local, git-ignored state: the embedded PostgreSQL's data folder, uploads in development.
LOCAL_STATE_DIR = Path(env.str("BACKA_STATE_DIR", default=str(BASE_DIR / ".local")))

# --- Core -----------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("BACKA_REQUIRE_SECRET_KEY", default=False):
        raise environ.ImproperlyConfigured("SECRET_KEY must be set in production.")
    # Development and tests only: a key kept in the local state folder so sessions survive restarts.
    SECRET_KEY = embedded_database.local_secret_key(LOCAL_STATE_DIR)

# Tenant sites are subdomains of the central domain; ".localhost" covers ystad.localhost in development.
CENTRAL_DOMAIN = env.str("CENTRAL_DOMAIN", default="localhost")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[CENTRAL_DOMAIN, f".{CENTRAL_DOMAIN}", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

ROOT_URLCONF = "backa_platform.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "backa_platform.urls_central"
WSGI_APPLICATION = "backa_platform.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications: what lives in public and what lives in each tenant's schema --------------------
# Apps must never move between these lists once data exists (DESIGN.md §7).
SHARED_APPS = [
    "django_tenants",
    "tenants",
    # The task outbox: one table in public, each row naming the schema its task runs in.
    "backa_platform.core.apps.CoreConfig",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "modules.accounts",
    # The second factor and the lockout live beside the accounts: in public for national users, in each tenant's
    # schema for its staff, so one tenant's failures never lock the same e-mail address at another.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "modules.model_config",
    "modules.training",
    "tenants.releases",
    "tenants.onboarding",
    "tenants.provisioning",
    "tenants.anchors",
    # National statistics: each instance's aggregates and what is published of them, in public.
    "tenants.statistics",
    # National federation IdPs and the directory of (subject hash -> instance) behind "Mina instanser".
    "tenants.identity",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    # Sessions live in each schema: a session key issued by one tenant does not exist in another.
    "django.contrib.sessions",
    "modules.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "modules.organisations",
    "modules.children",
    "modules.consent",
    "modules.chronology",
    "modules.audit",
    "modules.model_config",
    "modules.training",
    "modules.casework",
    "modules.overview",
    # Federated sign-in (SAML 2.0, OpenID Connect): the instance's providers and its staff's bindings.
    "modules.identity",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
# No models: only its system checks (backa_platform/postgres_tools.py).
INSTALLED_APPS += ["backa_platform.apps.PlatformConfig"]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# migrate_schemas (make run) goes over the tenants whose schema exists, like every other per-tenant loop.
GET_EXECUTOR_FUNCTION = "tenants.migration_executor.migration_executor"
DEFAULT_NOT_FOUND_TENANT_VIEW = "backa_platform.views.unknown_host"
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    # Before the tenant lookup: probes from Kubernetes use the pod IP as host, which is no tenant.
    "backa_platform.health.HealthCheckMiddleware",
    # django-tenants' TenantMainMiddleware with a per-process host cache (tenants/routing.py).
    "tenants.routing.CachedTenantMiddleware",
    # Right after the tenant lookup: a paused, archived or half-built tenant answers before any of its tables.
    "tenants.middleware.TenantStatusMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session idle for SESSION_IDLE_MINUTES ends; a signed-in session that is not strongly authenticated
    # (password without its second factor yet) reaches only the sign-in steps (modules/accounts/middleware.py).
    "modules.accounts.middleware.SessionIdleMiddleware",
    "modules.accounts.middleware.StrongAuthMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns the answer to the failure that locks an account or address into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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
                "modules.accounts.context_processors.rules",
            ]
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
# DATABASE_URL unset: start (or reuse) an embedded PostgreSQL in the local state folder.
EMBEDDED_DATABASE = not env.str("DATABASE_URL", default="")
DATABASE_URL = env.str("DATABASE_URL", default="") or embedded_database.ensure_running(LOCAL_STATE_DIR)
# Where pg_dump and psql are taken from (backa_platform/postgres_tools.py): unset means the embedded server's
# own binaries, or PATH with DATABASE_URL. Their major version must equal the server's.
POSTGRES_BIN_DIR = env.str("POSTGRES_BIN_DIR", default="")
# Two roles (DESIGN.md §9). The web and worker processes connect with DATABASE_URL as the runtime role, which
# owns nothing and is not a superuser, so it cannot disable the audit log's triggers or rewrite it. Migrations,
# provisioning and exports connect as the owner role: a process started with BACKA_DATABASE_ROLE=owner
# uses DATABASE_OWNER_URL (a separate login, not `SET ROLE`, which the session could undo).
# `manage.py database_roles` (run as the owner after migrating) grants the runtime role what it needs.
DATABASE_OWNER_URL = env.str("DATABASE_OWNER_URL", default="") or DATABASE_URL
DATABASE_RUNTIME_ROLE = env.str("DATABASE_RUNTIME_ROLE", default="backa_runtime")
if EMBEDDED_DATABASE:
    # make run: the embedded server's superuser is the owner; the runtime login is made at start. With a broker
    # (REDIS_URL, or make run's file broker) the web process connects as the runtime role and a worker started as
    # the owner does the owner's work (provisioning, exports); without one, tasks would run in the web process,
    # which would then need the owner.
    _runtime_url = embedded_database.ensure_role(DATABASE_URL, DATABASE_RUNTIME_ROLE)
    _broker = env.str("REDIS_URL", default="") or env.str("CELERY_BROKER_FOLDER", default="")
    if _broker and env.str("BACKA_DATABASE_ROLE", default="") == "runtime":
        DATABASE_URL = _runtime_url
if env.str("BACKA_DATABASE_ROLE", default="runtime") == "owner":
    DATABASE_URL = DATABASE_OWNER_URL
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# Persistent connections: a new PostgreSQL connection per request costs ~8.5 ms here (DESIGN.md §7).
# django-tenants sets search_path on every cursor, so a reused connection cannot carry a tenant over.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int("DATABASE_CONNECT_TIMEOUT", default=5)
DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME", default="") or None}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# The few hot reads run as prepared statements, one per (connection, schema) (core.db.row_prepared): prepared
# from their Nth run on a connection; the most recently used M kept per connection (M at least the number of
# tenants a worker serves in turn, or they are deallocated before they are used again). Each costs the
# PostgreSQL backend the memory of its plan: ~120 KB per tenant for the child read and the token lookup together
# (measured), ~37 MB per connection for 311 tenants.
DATABASE_PREPARE_THRESHOLD = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
DATABASE_PREPARED_MAX = env.int("DATABASE_PREPARED_MAX", default=1000)
# Per request, django-tenants sends `SET search_path` before every query unless told to send it once after
# each tenant switch; it forgets it on every switch, rollback and reconnect, so once is enough.
TENANT_LIMIT_SET_CALLS = env.bool("TENANT_LIMIT_SET_CALLS", default=True)
# How long a process trusts its answer to "which tenant is this host" (0: ask the database every request).
TENANT_DOMAIN_CACHE_SECONDS = env.int("TENANT_DOMAIN_CACHE_SECONDS", default=10)
TENANT_DOMAIN_CACHE_MAX_ENTRIES = env.int("TENANT_DOMAIN_CACHE_MAX_ENTRIES", default=1024)

# PgBouncer must run in session mode: transaction mode hands one tenant's search_path to another.
DATABASE_POOLER_MODE = env.str("DATABASE_POOLER_MODE", default="session")
if DATABASE_POOLER_MODE != "session":
    raise environ.ImproperlyConfigured(
        f"DATABASE_POOLER_MODE={DATABASE_POOLER_MODE!r} is refused: django-tenants keeps the tenant in the "
        "connection's search_path, which a pooler in transaction or statement mode hands to other "
        "clients. Run PgBouncer with pool_mode=session."
    )

# --- Authentication and sessions ------------------------------------------------------------------
# django-axes first: it refuses a locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses passwords where the instance allows identity providers only (modules/identity/backends.py).
    "modules.identity.backends.PasswordPolicyBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Federated sign-in (modules/identity): pysaml2 verifies signatures with xmlsec1 (Debian's xmlsec1); the clock
# skew allowed for SAML assertions' and OIDC ID tokens' times.
SAML_XMLSEC_BINARY = env.str("SAML_XMLSEC_BINARY", default="/usr/bin/xmlsec1")
SAML_CLOCK_SKEW_SECONDS = env.int("SAML_CLOCK_SKEW_SECONDS", default=60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Host-only cookies (no SESSION_COOKIE_DOMAIN): a cookie set by ystad.localhost is never sent elsewhere.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# A password reset link (e-mailed) works this long, and once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
# A session unused this long ends: the next request is signed out and asked to sign in again.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
# The second factor (django-otp): TOTP in an authenticator app, and single-use recovery codes.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Backa barnet")
RECOVERY_CODE_COUNT = 10
# Lockout of repeated sign-in failures (django-axes, tables in each tenant's schema). An account is locked after
# AUTH_LOCKOUT_ACCOUNT_FAILURES failures from anywhere, an address after AUTH_LOCKOUT_ADDRESS_FAILURES failures
# for any accounts (higher: a whole office may share one address), each for AUTH_LOCKOUT_MINUTES after the last.
# Wrong second-factor codes count as failures too. modules/accounts/lockout.py.
AUTH_LOCKOUT_ACCOUNT_FAILURES = env.int("AUTH_LOCKOUT_ACCOUNT_FAILURES", default=5)
AUTH_LOCKOUT_ADDRESS_FAILURES = env.int("AUTH_LOCKOUT_ADDRESS_FAILURES", default=20)
AUTH_LOCKOUT_MINUTES = env.int("AUTH_LOCKOUT_MINUTES", default=15)
AXES_HANDLER = "modules.accounts.lockout.PerAccountAndAddressHandler"
AXES_FAILURE_LIMIT = AUTH_LOCKOUT_ACCOUNT_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=AUTH_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The e-mail address, as the sign-in form, authenticate() and modules/accounts/strong_auth.py name it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "modules.accounts.lockout.lockout_response"
# Behind the ingress every request comes from its address: the client's is the one it appends to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "modules.accounts.lockout.client_address"
# Reset when the second factor succeeds too, not at the password alone (modules/accounts/strong_auth.py).
AXES_RESET_ON_SUCCESS = False
# The audit log records sign-ins; axes' own log of every success would keep addresses and e-mails forever.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "code", "token", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
# API tokens (`POST /api/token/`) stop working this many hours after they were issued; a new one is fetched.
API_TOKEN_LIFETIME_HOURS = env.int("API_TOKEN_LIFETIME_HOURS", default=30 * 24)
# Rows per page in the national console's list of tenants.
CONSOLE_PAGE_SIZE = env.int("CONSOLE_PAGE_SIZE", default=50)

# --- National statistics (tenants/statistics) ------------------------------------------------------
# A published cell counts at least this many children (or events); smaller ones are shown as "färre än N".
STATISTICS_MIN_CELL = env.int("STATISTICS_MIN_CELL", default=5)

# --- Transport security and headers ----------------------------------------------------------------
# `manage.py check --deploy` is clean with HTTPS=1 (tests/backa_platform/test_deploy_posture.py).
# HTTPS=1 in production (the chart sets it with BEHIND_PROXY=1): plain HTTP is redirected, browsers are told
# to use HTTPS only (HSTS, subdomains included, since every tenant is a subdomain of the central domain), and
# cookies are sent over HTTPS only. Each can still be set on its own from the environment.
HTTPS = env.bool("HTTPS", default=False) and not DEBUG
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=HTTPS)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# /healthz and /readyz answer before SecurityMiddleware (backa_platform/health.py), so probes over plain
# HTTP on the pod IP are never redirected; listed here as well in case the middleware order ever changes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^readyz/web$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Behind the ingress (which terminates TLS), the request's scheme is the one it says in X-Forwarded-Proto.
# Only with BEHIND_PROXY=1: a client reaching the process directly could otherwise claim HTTPS.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp) on every answer: scripts, styles, images and fetches from this site
# only, no inline script or style attribute (templates load static/js/*.js), no plugins, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Personal identity numbers at rest -------------------------------------------------------------
# Personnummer are stored encrypted (Fernet; MultiFernet encrypts with the first key and decrypts with any,
# so a key is rotated by putting a new one first and running `manage.py personnummer_rotate_keys`) and
# found by a keyed HMAC, so lookup and uniqueness work without decrypting. Comma-separated, from the
# environment; development falls back to keys kept in the git-ignored state folder.
PERSONNUMMER_ENCRYPTION_KEYS = env.list("PERSONNUMMER_ENCRYPTION_KEYS", default=[])
PERSONNUMMER_LOOKUP_KEY = env.str("PERSONNUMMER_LOOKUP_KEY", default="")
if not PERSONNUMMER_ENCRYPTION_KEYS or not PERSONNUMMER_LOOKUP_KEY:
    if not DEBUG and env.bool("BACKA_REQUIRE_SECRET_KEY", default=False):
        raise environ.ImproperlyConfigured("PERSONNUMMER_ENCRYPTION_KEYS and PERSONNUMMER_LOOKUP_KEY must be set.")
    PERSONNUMMER_ENCRYPTION_KEYS = PERSONNUMMER_ENCRYPTION_KEYS or [
        local_keys.local_fernet_key(LOCAL_STATE_DIR, "personnummer_encryption_key")
    ]
    PERSONNUMMER_LOOKUP_KEY = PERSONNUMMER_LOOKUP_KEY or local_keys.local_fernet_key(
        LOCAL_STATE_DIR, "personnummer_lookup_key"
    )

# The audit log's entries and anchors carry an HMAC with this key, which the database never holds: someone
# with database access can still delete or rewrite rows, but cannot make the result verify.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")
if not AUDIT_CHAIN_KEY:
    if not DEBUG and env.bool("BACKA_REQUIRE_SECRET_KEY", default=False):
        raise environ.ImproperlyConfigured("AUDIT_CHAIN_KEY must be set.")
    AUDIT_CHAIN_KEY = local_keys.local_fernet_key(LOCAL_STATE_DIR, "audit_chain_key")
# The audit log is partitioned by calendar year (UTC): partitions are made AUDIT_PARTITIONS_AHEAD years ahead
# (migration, then daily on the owner queue), each closed with a signed checkpoint once the next year has
# begun, and dropped whole once its year ended more than AUDIT_RETENTION_YEARS ago (0: never).
AUDIT_RETENTION_YEARS = env.int("AUDIT_RETENTION_YEARS", default=10)
AUDIT_PARTITIONS_AHEAD = env.int("AUDIT_PARTITIONS_AHEAD", default=2)

# Backa barnet supports children and young people: a person this old or older at registration is refused
# (a mistyped century once registered someone born in 1912).
CHILD_MAX_AGE_YEARS = env.int("CHILD_MAX_AGE_YEARS", default=21)
# Nödåtkomst: how long an emergency read access to one child lasts.
EMERGENCY_ACCESS_HOURS = env.int("EMERGENCY_ACCESS_HOURS", default=4)

# --- Language and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(LOCAL_STATE_DIR / "media"))

# --- Onboarding many staff at once (issue 19) ------------------------------------------------------
# An uploaded file of units and staff (CSV or XLSX): larger files or more rows are refused with a message.
# 10,000 rows of CSV are about 1 MB; the file and its rows are kept in the tenant's schema until confirmed.
STAFF_IMPORT_MAX_BYTES = env.int("STAFF_IMPORT_MAX_BYTES", default=5_000_000)
STAFF_IMPORT_MAX_ROWS = env.int("STAFF_IMPORT_MAX_ROWS", default=20_000)
# Required training not completed: the daily task reminds a staff member again after this many days.
TRAINING_REMINDER_INTERVAL_DAYS = env.int("TRAINING_REMINDER_INTERVAL_DAYS", default=7)

# How links in e-mails reach a site: https in production; `make run` sets http and port 8000.
PUBLIC_URL_SCHEME = env.str("PUBLIC_URL_SCHEME", default="https")
PUBLIC_URL_PORT = env.str("PUBLIC_URL_PORT", default="")

# --- E-mail ---------------------------------------------------------------------------------------
# Production (DEBUG off, BACKA_REQUIRE_SECRET_KEY=1 as in the image and the chart) sends by SMTP and refuses
# the console backend: it prints every mail whole, one-time invitation links included, into the log.
# Development writes each mail to a file under EMAIL_FILE_PATH and prints it with its tokens masked
# (backa_platform/core/mail.py).
_MAIL_IN_PRODUCTION = not DEBUG and env.bool("BACKA_REQUIRE_SECRET_KEY", default=False)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if _MAIL_IN_PRODUCTION
    else "backa_platform.core.mail.DevelopmentEmailBackend",
)
if _MAIL_IN_PRODUCTION and EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    raise environ.ImproperlyConfigured(
        "EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend is refused in production: it writes every "
        "e-mail, one-time invitation links included, into the log. Use SMTP (EMAIL_HOST, EMAIL_PORT, ...)."
    )
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Backa barnet <noreply@backabarnet.se>")
# Where the file-based and the development backends write mails (tests that read what a worker sent).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(LOCAL_STATE_DIR / "mail"))

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The token first: an API call without valid credentials then answers 401 with `WWW-Authenticate: Token`
    # (an expired token is told apart from a forbidden action), not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ErrorContractAutoSchema",
    # One body for every 4xx answer: {"detail", "code", "errors"} (api/exceptions.py).
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    # JSON nested deeper than any request needs is a 400, not a RecursionError (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # OPTIONS names the view and its media types; the input is documented in the schema (api/metadata.py).
    "DEFAULT_METADATA_CLASS": "api.metadata.ApiMetadata",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPagePagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Backa barnet platform API",
    "DESCRIPTION": "The central (national) and tenant (municipality, region) APIs of the Backa barnet platform.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Celery ---------------------------------------------------------------------------------------
# REDIS_URL unset: tasks run eagerly in the calling process (development without a broker).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and env.str("PYTEST_XDIST_WORKER", default=""):
    # `make test` runs the suite in parallel processes (pytest-xdist, one database each): each takes its own Redis
    # database too, counting down from the configured one, or one process's worker would take the other's tasks.
    _redis = urlsplit(REDIS_URL)
    _redis_db = int(_redis.path.strip("/") or 0) - int(env.str("PYTEST_XDIST_WORKER").removeprefix("gw"))
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_redis_db % 16}"))
# make run without REDIS_URL: a broker in files under the state folder (kombu's filesystem transport), served by
# the worker make run starts beside the web process, so the web process can be the runtime role there too.
CELERY_BROKER_FOLDER = env.str("CELERY_BROKER_FOLDER", default="")
CELERY_BROKER_URL = REDIS_URL or ("filesystem://" if CELERY_BROKER_FOLDER else "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
# Tasks that create schemas or dump them need the owner role. With CELERY_OWNER_QUEUE set (compose, the chart)
# they go to that queue, served by a worker started with BACKA_DATABASE_ROLE=owner (entrypoint `worker-owner`),
# and every other worker connects as the runtime role. Unset (development, tests): one queue for all.
CELERY_OWNER_QUEUE = env.str("CELERY_OWNER_QUEUE", default="")
CELERY_TASK_ROUTES = {
    name: {"queue": CELERY_OWNER_QUEUE}
    for name in (
        "tenants.provisioning.tasks.run_provisioning_job",
        "tenants.provisioning.tasks.refill_spare_schemas",
        "tenants.tasks.export_tenant",
        "modules.audit.tasks.audit_partitions_maintain_here",
    )
    if CELERY_OWNER_QUEUE
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Work that must survive a killed worker (provisioning, rollouts, exports, decision e-mails) is acknowledged
# late and, when a pool process dies, handed back to the broker (reject_on_worker_lost on those tasks). When the
# whole worker dies the message stays unacknowledged on Redis until this visibility timeout: it must exceed the
# longest such task (an export of the largest instance), or Redis hands a running task to a second worker. The
# sweep below resumes lost jobs long before that; the late redelivery then finds them done and does nothing.
CELERY_VISIBILITY_TIMEOUT_SECONDS = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=6 * 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS}
if CELERY_BROKER_FOLDER and not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": CELERY_BROKER_FOLDER,
        "data_folder_out": CELERY_BROKER_FOLDER,
        "control_folder": str(Path(CELERY_BROKER_FOLDER) / "control"),
    }
# The sweep (beat, every WORK_SWEEP_SECONDS) sends again a provisioning job, a rollout target or a decision
# e-mail whose lease is older than WORK_LEASE_SECONDS and that no live database session holds; after
# WORK_MAX_RESUMES resumes of one job it records the job as failed for a person to look at (a job that kills
# its worker every time must not loop forever).
WORK_LEASE_SECONDS = env.int("WORK_LEASE_SECONDS", default=120)
WORK_SWEEP_SECONDS = env.int("WORK_SWEEP_SECONDS", default=60)
WORK_MAX_RESUMES = env.int("WORK_MAX_RESUMES", default=5)
# tenant-schemas-celery looks the tenant up on every task unless this cache is on (DESIGN.md §7).
CELERY_TASK_TENANT_CACHE_SECONDS = env.int("CELERY_TENANT_CACHE_SECONDS", default=60)
# Celery's Django fixup closes the database connection before and after every task unless this is set: a new
# connection per task cost ~60 ms of a 100 ms task in the rollout benchmark. Reuse is tenant-safe because
# tenant-schemas-celery calls set_tenant before every task, after which django-tenants sets search_path again;
# the connection is still recycled every N tasks. Behind PgBouncer (session mode) each worker process holds
# one server connection: size the pool for web and worker processes together.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100)
# Daily work: each entry runs in public and fans out one task per tenant in service (tenants_ready), in
# small batches. At fixed local times, not every 24 h: beat's schedule file lives in the pod's /tmp, so an
# interval would start counting again at every restart and a platform deployed daily would never run it.
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "casework-reminders": {
        "task": "tenants.tasks.send_reminders_everywhere",
        "schedule": crontab(hour=6, minute=0),
    },
    "casework-retention": {
        "task": "tenants.tasks.cull_closed_cases_everywhere",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly: each tenant's audit chain head is anchored in public, so a deleted tail shows within the hour.
    "audit-anchor": {
        "task": "tenants.tasks.audit_anchor_everywhere",
        "schedule": crontab(minute=40),
    },
    # Daily, as the owner (partitions are tables): the audit log's partitions made ahead, closed, culled.
    "audit-partitions": {
        "task": "tenants.tasks.audit_partitions_maintain_everywhere",
        "schedule": crontab(hour=1, minute=10),
    },
    "training-reminders": {
        "task": "tenants.tasks.send_training_reminders_everywhere",
        "schedule": crontab(hour=7, minute=0),
    },
    "consent-expiry": {
        "task": "tenants.tasks.handle_expired_consents_everywhere",
        "schedule": crontab(hour=0, minute=15),
    },
    # Each instance's figures into public at 03:30, the national publication built from them at 05:00.
    "statistics-snapshot": {
        "task": "tenants.statistics.tasks.statistics_snapshot_everywhere",
        "schedule": crontab(hour=3, minute=30),
    },
    "statistics-publish": {
        "task": "tenants.statistics.tasks.statistics_publish_today",
        "schedule": crontab(hour=5, minute=0),
    },
    # Approved releases scheduled for a date and time are published within five minutes of it (in public).
    "release-scheduled-publish": {
        "task": "tenants.releases.tasks.release_proposals_publish_due_task",
        "schedule": crontab(minute="*/5"),
    },
    # An interval is right here (unlike the daily work): a restart only delays the next sweep by one period.
    "resume-lost-work": {
        "task": "tenants.tasks.resume_lost_work",
        "schedule": WORK_SWEEP_SECONDS,
    },
}

# --- Task outbox (issue 14 §3) -------------------------------------------------------------------
# Tasks are written to the outbox in the transaction of the change that asks for them and sent after the
# commit; whatever a broker outage left behind is sent by this entry, every minute, once the broker is back
# (a crontab like every entry: beat's schedule file does not survive a restart).
CELERY_BEAT_SCHEDULE["outbox-relay"] = {
    "task": "backa_platform.core.tasks.relay_outbox",
    "schedule": crontab(minute="*"),
}

# --- Error reporting (Sentry) ---------------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
if SENTRY_DSN:
    from backa_platform.sentry import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every failure with the e-mail address and the client's address: personal data.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "ERROR"}},
}

# --- Onboarding and tenant lifecycle (issue 4) ----------------------------------------------------
# Where archive exports (pg_dump of a tenant's schema, with manifest and checksum) are written.
TENANT_EXPORT_DIR = env.str("TENANT_EXPORT_DIR", default=str(LOCAL_STATE_DIR / "exports"))
# The signed överenskommelse: PDF only, at most this many bytes.
AGREEMENT_MAX_BYTES = env.int("AGREEMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Fully migrated spare schemas kept ready (renamed on assignment); 0 turns the pool off.
PROVISIONING_SPARE_SCHEMAS = env.int("PROVISIONING_SPARE_SCHEMAS", default=2)
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "TenantStatusEnum": "tenants.models.Tenant.Status",
        "ApplicationStatusEnum": "tenants.onboarding.models.Application.Status",
        "ProvisioningJobStatusEnum": "tenants.provisioning.models.ProvisioningJob.Status",
        "ProvisioningStepStateEnum": "tenants.provisioning.models.ProvisioningStep.State",
        "PlanAgreementMethodEnum": "modules.casework.plan_models.PlanAgreement.Method",
        "GoalOutcomeEnum": "modules.casework.models.Goal.Outcome",
        # A goal's outcome as given at a follow-up: the same choices less "still open".
        "GoalOutcomeGivenEnum": ["reached", "partly", "not_reached"],
        # Issue 19: organisations' and units' kinds, a staff member's role in a tenant, an import's states.
        "OrganisationKindEnum": "modules.organisations.models.Organisation.Kind",
        "UnitKindEnum": "modules.organisations.models.Unit.Kind",
        "StaffRoleEnum": "modules.accounts.models.STAFF_ROLE_CHOICES",
        "UserRoleEnum": "modules.accounts.models.User.Role",
        "StaffImportStatusEnum": "modules.accounts.models.StaffImport.Status",
        "StaffImportRowStatusEnum": "modules.accounts.models.StaffImportRow.Status",
    }
)
