"""Celery: Redis broker in production; tasks run eagerly in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("passend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
