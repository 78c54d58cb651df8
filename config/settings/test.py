"""Test settings: the database comes from DATABASE_URL (SQLite file by default, PostgreSQL in CI)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Manifest storage breaks live_server (hashed names 404): plain storage in tests.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tiendo-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="tiendo-test-static-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"

# The test runner empties tables between browser tests: the append-only triggers would refuse it.
# tiendo/audit/tests install them explicitly to test them.
TIENDO_AUDIT_APPEND_ONLY = False
_AUDIT_DIR = Path(tempfile.mkdtemp(prefix="tiendo-test-audit-"))
TIENDO_AUDIT_KEY_FILE = _AUDIT_DIR / "audit.key"
TIENDO_AUDIT_HEAD_FILE = _AUDIT_DIR / "audit-head.json"
TIENDO_CATALOGUE_DIR = Path(tempfile.mkdtemp(prefix="tiendo-test-catalogue-"))
TIENDO_WAREHOUSE_DIR = Path(tempfile.mkdtemp(prefix="tiendo-test-warehouse-"))
# The catalogue's HTTP pull tests serve JSON from a local thread.
TIENDO_PULL_HOSTS = ["127.0.0.1", "localhost"]
