"""Test settings: fast hashing, tasks run immediately, PostgreSQL when DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path

from tongxin.settings.base import *  # noqa: F403
from tongxin.settings.base import REST_FRAMEWORK, TONGXIN

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TONGXIN = {**TONGXIN, "IMPORT_MAX_ROWS": 5_000, "OVERVIEW_CACHE_SECONDS": 0}
# Rate limits stay on, but far out of the suite's way; the tests of the limits lower them.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/hour", "user": "100000/hour", "token": "100000/hour"},
}
TONGXIN_FILE_ACCEL = "django"

# A file, not memory, for SQLite tests: threads in the concurrency tests need to share it.
# One file per test process, so two runs on one machine never share a database.
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):  # noqa: F405
    _name = Path(tempfile.gettempdir()) / f"tongxin-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_name)}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_tongxin_{os.getpid()}"}  # noqa: F405

# A second alias on the same test database, so the tests of tongxin.core.db_router can turn
# replica reads on (override TONGXIN_READ_REPLICA); off for the rest of the suite.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
TONGXIN_READ_REPLICA = None

# Uploaded files of the tests go to a throw-away folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="tongxin-test-media-"))
