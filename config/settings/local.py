"""`make run`: the embedded default (SQLite, console e-mail, eager tasks)."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
