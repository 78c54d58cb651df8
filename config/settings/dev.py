"""Local development and the demo: debug on unless told otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("TIENDO_DEBUG", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
