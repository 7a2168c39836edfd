"""Production: PostgreSQL, Redis, HTTPS. Refuses to start on insecure values."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1")}
# Sessions are read from Redis and written through to the database: a signed-in
# page costs no session query, and a flushed cache signs no one out. Erasure
# deletes both copies (passend/privacy/erasure/sessions.py).
SESSION_ENGINE = env("DJANGO_SESSION_ENGINE", default="django.contrib.sessions.backends.cached_db")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Encryption keys have no default in production, and the published
# development keys are refused (docs/crypto.md).
from passend.privacy.crypto.conf import refuse_development_keys  # noqa: E402

PASSEND_MASTER_KEYS = env("PASSEND_MASTER_KEYS")
PASSEND_ACTIVE_MASTER_KEY = env("PASSEND_ACTIVE_MASTER_KEY")
PASSEND_BLIND_INDEX_KEY = env("PASSEND_BLIND_INDEX_KEY")
refuse_development_keys(PASSEND_MASTER_KEYS, PASSEND_ACTIVE_MASTER_KEY, PASSEND_BLIND_INDEX_KEY)
