"""`make run`: the embedded default (SQLite, console e-mail, eager tasks)."""

from .base import *

DEBUG = env.bool("DJANGO_DEBUG", default=True)
