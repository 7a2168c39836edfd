"""`make run`: the embedded default (SQLite, console e-mail, eager tasks)."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Static files are looked up again on every request only while developing:
# with DEBUG off (the load benchmark's embedded pass) they are indexed once.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
