"""Test settings: fast hashing, tasks run immediately, PostgreSQL when DATABASE_URL says so."""

import tempfile
from pathlib import Path

from tongxin.settings.base import *  # noqa: F403
from tongxin.settings.base import TONGXIN

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TONGXIN = {**TONGXIN, "IMPORT_MAX_ROWS": 5_000}

# A file, not memory, for SQLite tests: threads in the concurrency tests need to share it.
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405

# Uploaded files of the tests go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tongxin-test-media-"))
