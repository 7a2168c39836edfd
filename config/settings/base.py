"""Settings shared by every environment.

Every variable read here is listed, with a safe development default, in
`.env.example`. Production refuses the insecure defaults (see production.py).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="dev-insecure-key-change-me-0123456789abcdefghijklmnop"
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("PASSEND_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "passend.common",
    "passend.accounts",
    "passend.tenancy",
    "passend.web",
    "passend.api",
    "passend.privacy",
    "passend.privacy.crypto",
    "passend.privacy.audit",
    "passend.privacy.trail",
    "passend.privacy.statement",
    "passend.privacy.support",
    "passend.privacy.consent",
    "passend.privacy.rights",
    "passend.privacy.erasure",
    "passend.privacy.requests",
    "passend.privacy.restriction",
    "passend.taxonomy",
    "passend.candidates",
    "passend.documents",
    "passend.coaching",
    "passend.vacancies",
    "passend.matching",
    "passend.cvimport",
    "passend.notifications",
    "passend.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Everything after WhiteNoise (that is: all but static files) is no-store.
    "passend.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "passend.tenancy.middleware.OrganisationScopeMiddleware",
    "passend.api.middleware.ApiMiddleware",
    "passend.privacy.audit.middleware.AuditActorMiddleware",
    "passend.accounts.middleware.RequireTwoFactorMiddleware",
    "passend.privacy.statement.middleware.StatementNoticeMiddleware",
    "passend.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "passend.web.forms.FormRenderer"
# Uploads are capped while they are received (passend/documents/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "passend.documents.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "passend" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "passend.tenancy.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'passend.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves concurrent readers and a few writers
    # (docs/adr/0009-sqlite-concurrency.md): WAL; every transaction IMMEDIATE,
    # waiting for the write lock with a busy timeout; reads (GET, HEAD,
    # OPTIONS) in autocommit; other requests in one transaction each, begun
    # at their first write (the backend in passend/common/sqlite/).
    from passend.common import sqlite as _sqlite

    DATABASES["default"]["ENGINE"] = "passend.common.sqlite"
    DATABASES["default"]["OPTIONS"] = dict(_sqlite.OPTIONS)
    DATABASES["default"]["ATOMIC_REQUESTS"] = _sqlite.AtomicUnlessReading()
    MIDDLEWARE.append("passend.common.sqlite.RequestTransactionMiddleware")
    # Tests in memory, as with Django's backend (pytest-django knows that one by
    # its ENGINE; named, it leaves the database in memory under xdist too).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://passend")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, sign-up only by invitation (the adapter says
# who may), verification, enumeration-proof password reset (J3b), TOTP.
ACCOUNT_ADAPTER = "passend.tenancy.signup.InvitationAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Failed logins are counted per address *and* client together (the adapter
# puts the client's IP in the key): someone elsewhere hammering a known
# address slows down only themselves, never the person it belongs to. The
# cool-down grows (5 a minute, 10 a quarter of an hour) and one client may
# fail 30 times a quarter of an hour over all addresses. Nothing locks an
# account, and the login page offers a sign-in code by e-mail (J3b: the
# answer is the same for known and unknown addresses).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/m/key,10/15m/key,30/15m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
# Behind the reverse proxy the client's address is in X-Forwarded-For; without
# this, every visitor would share the proxy's address and its limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("PASSEND_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Passend] "
# Encrypts the TOTP secrets and recovery-code seeds with the platform key.
MFA_ADAPTER = "passend.privacy.crypto.mfa.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Passend"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Unambiguous dates in both languages: "7 dec. 2026" / "7 Dec 2026" (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("PASSEND_MEDIA_ROOT", default=BASE_DIR / "var" / "media")

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Passend <noreply@passend.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Optional virus scan of uploads through clamd (a Unix socket or host:port);
# when set and unreachable, uploads fail closed.
PASSEND_CLAMD_SOCKET = env("PASSEND_CLAMD_SOCKET", default="")
INVITATION_VALID_DAYS = env.int("PASSEND_INVITATION_VALID_DAYS", default=14)
API_TOKEN_MAX_DAYS = env.int("PASSEND_API_TOKEN_MAX_DAYS", default=365)
# Rate limits ("N/s", "N/m", "N/h", "N/d"), counted by django-ratelimit in the
# default cache in fixed windows. The cache must be shared by all workers and
# increment atomically: Redis in production (docs/adr/0006-rate-limiting-library.md).
API_RATE_LIMIT = env("PASSEND_API_RATE_LIMIT", default="600/m")
DSR_PUBLIC_RATE_LIMIT = env("PASSEND_DSR_PUBLIC_RATE_LIMIT", default="5/h")
# Applying on the public job pages without an account (passend.vacancies.public_apply):
# how often one client or one e-mail address may apply (and ask for an
# invitation), and how many days the confirmation link works before the
# application and its CV are deleted.
PUBLIC_APPLICATION_RATE_LIMIT = env("PASSEND_PUBLIC_APPLICATION_RATE_LIMIT", default="5/h")
PUBLIC_APPLICATION_DAYS = env.int("PASSEND_PUBLIC_APPLICATION_DAYS", default=7)
# Matching (docs/matching.md): "use" (the packaged multilingual sentence
# encoder) or "none" (model-free: lexical and taxonomy signals only).
MATCHING_ENCODER = env("PASSEND_MATCHING_ENCODER", default="use")
# Embedding search: "auto" (pgvector on PostgreSQL with the extension, else numpy) or "numpy".
MATCHING_VECTOR_BACKEND = env("PASSEND_MATCHING_VECTOR_BACKEND", default="auto")
# One thread: with two, the encoder competes with the other worker process of a
# 2-core machine and ran fifty times slower (docs/matching.md).
MATCHING_ENCODER_THREADS = env.int("PASSEND_MATCHING_ENCODER_THREADS", default=1)
# Embeddings of ESCO's labels, kept between restarts ("" turns the cache off).
# How often a ranking asks whether the index changed (seconds; docs/matching.md).
MATCHING_POOL_CHECK_SECONDS = env.float("PASSEND_MATCHING_POOL_CHECK_SECONDS", default=1.0)
MATCHING_CACHE_DIR = env("PASSEND_MATCHING_CACHE_DIR", default=str(BASE_DIR / "var" / "cache"))
RATELIMIT_USE_CACHE = "default"
# A cache that cannot count refuses (429) rather than letting everyone through.
RATELIMIT_FAIL_OPEN = False

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TIMEZONE = TIME_ZONE
# How long a "download my data" link works (passend.privacy.rights).
PASSEND_EXPORT_VALID_HOURS = env.int("PASSEND_EXPORT_VALID_HOURS", default=24)
# Periodic jobs (`make beat`). Each is idempotent: running one twice does no harm.
CELERY_BEAT_SCHEDULE = {
    "remind-lapsing-requests": {
        "task": "passend.privacy.requests.tasks.remind_lapsing_requests",
        "schedule": crontab(hour=7, minute=0),
    },
    "exports-housekeeping": {
        "task": "passend.privacy.rights.tasks.exports_housekeeping_task",
        "schedule": crontab(minute=5),
    },
    "documents-housekeeping": {
        "task": "passend.documents.tasks.documents_housekeeping",
        "schedule": crontab(hour=3, minute=30),
    },
    # CV imports nobody confirmed are deleted 30 days after upload (docs/cvimport.md).
    "purge-expired-cv-imports": {
        "task": "passend.cvimport.tasks.purge_expired_cv_imports",
        "schedule": crontab(hour=3, minute=40),
    },
    "resume-erasures": {
        "task": "passend.privacy.erasure.tasks.resume_erasures",
        "schedule": crontab(minute="*/15"),
    },
    # Chains the audit events recorded since the last run (docs/audit.md).
    "seal-audit-trail": {
        "task": "passend.privacy.audit.tasks.seal_audit_trail",
        "schedule": crontab(),  # every minute
    },
    # Notifications (passend.notifications): once per request deadline, once per task.
    "notify-request-deadlines": {
        "task": "passend.notifications.tasks.notify_request_deadlines",
        "schedule": crontab(hour=7, minute=10),
    },
    "notify-tasks-due-tomorrow": {
        "task": "passend.coaching.tasks.notify_tasks_due_tomorrow",
        "schedule": crontab(hour=7, minute=20),
    },
    # Planned trajectories whose start date has come become active (coaching).
    "start-due-trajectories": {
        "task": "passend.coaching.tasks.start_due_trajectories",
        "schedule": crontab(hour=0, minute=15),
    },
    # A vacancy closes at the end of its closing date.
    "close-due-vacancies": {
        "task": "passend.vacancies.tasks.close_due",
        "schedule": crontab(hour=0, minute=5),
    },
    # Applications from the public job pages whose confirmation link expired go, CV and all.
    "purge-expired-public-applications": {
        "task": "passend.vacancies.tasks.purge_expired_public_applications",
        "schedule": crontab(hour=0, minute=25),
    },
}

# Every log line goes through the root's console handler, which masks BSNs
# and IBANs (below). Django's own handlers are replaced: its console handler
# and runserver's request log would write paths and query strings unmasked,
# and mail_admins would mail the whole request. LOGGING_CONFIG applies this
# and then masks the handlers set up outside it (gunicorn's access and error
# logs, in a worker) and the request loggers themselves.
LOGGING_CONFIG = "passend.privacy.crypto.logging.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Encryption at rest (passend.privacy.crypto, docs/crypto.md). Master keys wrap
# the per-organisation data keys; the blind-index key is separate. The
# defaults are published development keys, which production refuses.
from typing import Any  # noqa: E402

from passend.privacy.crypto.conf import (  # noqa: E402
    DEVELOPMENT_BLIND_INDEX_KEY,
    DEVELOPMENT_MASTER_KEY_ID,
    DEVELOPMENT_MASTER_KEYS,
)

PASSEND_MASTER_KEYS = env("PASSEND_MASTER_KEYS", default=DEVELOPMENT_MASTER_KEYS)
PASSEND_ACTIVE_MASTER_KEY = env("PASSEND_ACTIVE_MASTER_KEY", default=DEVELOPMENT_MASTER_KEY_ID)
PASSEND_BLIND_INDEX_KEY = env("PASSEND_BLIND_INDEX_KEY", default=DEVELOPMENT_BLIND_INDEX_KEY)
PASSEND_DATA_KEY_CACHE_SECONDS = env.int("PASSEND_DATA_KEY_CACHE_SECONDS", default=300)
# How long a process trusts its answer to "which statement version is the
# newest" for the notice on every page (passend/privacy/statement/middleware.py).
PASSEND_STATEMENT_NOTICE_SECONDS = env.int("PASSEND_STATEMENT_NOTICE_SECONDS", default=10)
_logging: dict[str, Any] = LOGGING
_logging.setdefault("filters", {})["mask_personal_data"] = {
    "()": "passend.privacy.crypto.logging.MaskPersonalDataFilter"
}
# Every handler masks, so a handler added later cannot leak a BSN or IBAN.
for _handler in _logging["handlers"].values():
    _handler.setdefault("filters", []).append("mask_personal_data")

# ESCO for the taxonomy (passend/taxonomy, docs/taxonomy.md). Empty (the
# default): `manage.py load_esco` loads the bundle shipped in the repository.
# Set, it names a folder (the official ESCO download) or a bundle to load
# instead; a relative path is taken from the project folder.
_esco_data_dir = env("ESCO_DATA_DIR", default="")
ESCO_DATA_DIR = BASE_DIR / _esco_data_dir if _esco_data_dir else None
