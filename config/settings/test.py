"""With these settings the suite runs fast and touches nothing outside."""

import os

from .base import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Always eager, whatever a developer's .env says for `make worker`; only the
# worker that tests/test_real_worker.py starts turns it off, with a variable
# of its own that no .env sets.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("PASSEND_TEST_WORKER", "") != "1"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "en"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
API_RATE_LIMIT = "100000/m"
# Tests publish a version and expect the notice on the very next page.
PASSEND_STATEMENT_NOTICE_SECONDS = 0
# Each test loads its own ESCO rows: the title normaliser asks the database
# every time whether they changed, instead of trusting its index for 30 s.
TAXONOMY_INDEX_CHECK_SECONDS = 0
# Likewise the matching pool asks whether the index changed on every ranking.
MATCHING_POOL_CHECK_SECONDS = 0
