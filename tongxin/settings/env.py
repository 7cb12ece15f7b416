"""The one place that reads the process environment.

Every setting that depends on the environment is read here and nowhere else, so the
full list of knobs is visible at a glance.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = _str("SECRET_KEY")
DEBUG = _bool("DEBUG", False)
ALLOWED_HOSTS = _list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL = _str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
MEDIA_ROOT = Path(_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STATIC_ROOT = Path(_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
CACHE_DIR = Path(_str("CACHE_DIR", str(BASE_DIR / ".cache")))
LOG_LEVEL = _str("LOG_LEVEL", "INFO")
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(_str("SECURE_HSTS_SECONDS", "31536000"))
CHROMIUM_PATH = _str("CHROMIUM_PATH", "/usr/bin/chromium")
EMAIL_HOST = _str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = _str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = _str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = _str("DEFAULT_FROM_EMAIL", "tongxin@localhost")
# The address people open the site at: links in e-mails (the digest) are built from it.
SITE_URL = _str("SITE_URL", "http://localhost:8000").rstrip("/")
# Uploaded files (activity photos) leave through a scoped view; who sends the bytes:
# "nginx" (X-Accel-Redirect to FILE_ACCEL_PREFIX), "apache" (X-Sendfile) or "django" itself.
# Unset: "django", "nginx" in production.
FILE_ACCEL = _str("FILE_ACCEL").strip().lower() or None
FILE_ACCEL_PREFIX = _str("FILE_ACCEL_PREFIX", "/protected-media/")
# API rate limits (DRF throttles): anonymous clients, signed-in users, the token endpoint.
API_RATE_ANON = _str("API_RATE_ANON", "300/hour")
API_RATE_USER = _str("API_RATE_USER", "2000/hour")
API_RATE_TOKEN = _str("API_RATE_TOKEN", "10/minute")
# Reverse proxies in front of the application whose X-Forwarded-For is trusted for the
# client address (rate limits, lock-out log, security log); unset: 0, 1 in production.
NUM_PROXIES: int | None = int(_str("NUM_PROXIES")) if _str("NUM_PROXIES").strip() else None
# Database connections are kept open this many seconds and reused (0: one per request), and
# checked before reuse so a restarted database costs no failed request (docs/production.md).
DB_CONN_MAX_AGE = int(_str("DB_CONN_MAX_AGE", "60"))
DB_CONN_HEALTH_CHECKS = _bool("DB_CONN_HEALTH_CHECKS", True)
# A streaming replica of the primary (PostgreSQL): read-only requests read progress reports
# and dashboards from it (tongxin.core.db_router); after a write, a browser reads from the
# primary for DATABASE_REPLICA_PIN_SECONDS so it sees its own change (docs/scaling.md).
DATABASE_REPLICA_URL = _str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_PIN_SECONDS = int(_str("DATABASE_REPLICA_PIN_SECONDS", "10"))
# Redis for the cache (rate limits, import progress) and sessions; unset: a file cache in CACHE_DIR.
REDIS_URL = _str("REDIS_URL")
# Uploaded files in a private S3-compatible bucket instead of MEDIA_ROOT (several servers).
MEDIA_S3_BUCKET = _str("MEDIA_S3_BUCKET")
MEDIA_S3_ENDPOINT_URL = _str("MEDIA_S3_ENDPOINT_URL")
MEDIA_S3_ACCESS_KEY_ID = _str("MEDIA_S3_ACCESS_KEY_ID")
MEDIA_S3_SECRET_ACCESS_KEY = _str("MEDIA_S3_SECRET_ACCESS_KEY")
MEDIA_S3_REGION = _str("MEDIA_S3_REGION")
# manage.py serve: where gunicorn listens, how many worker processes (0: 2 × CPUs + 1, at
# most 8) and the local times the scheduler starts the daily report reminders and the daily
# e-mail digest of unread notifications.
SERVE_BIND = _str("SERVE_BIND", "127.0.0.1:8000")
WEB_CONCURRENCY = int(_str("WEB_CONCURRENCY", "0") or "0")
REMINDERS_AT = _str("REMINDERS_AT", "08:00")
DIGEST_AT = _str("DIGEST_AT", "07:00")
# When the retention run anonymises the cadre files of people who left long ago.
RETENTION_AT = _str("RETENTION_AT", "03:00")


def database(url: str | None = None) -> dict[str, object]:
    """Parse DATABASE_URL (SQLite by default, PostgreSQL in production) or another URL."""
    config: dict[str, object] = dict(
        dj_database_url.parse(
            url or DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=DB_CONN_HEALTH_CHECKS
        )
    )
    if str(config.get("ENGINE", "")).endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    return config


def caches(redis_url: str | None = None) -> dict[str, dict[str, object]]:
    """Redis when REDIS_URL is set (shared by every process on every host), else a file cache.

    The file cache needs no service and is shared by the processes of one host (the web
    workers and the task worker, for import progress and the rate limits)."""
    url = REDIS_URL if redis_url is None else redis_url
    if url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "tongxin",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(CACHE_DIR)}}


def media_storage(
    bucket: str | None = None,
    *,
    endpoint_url: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    region: str | None = None,
) -> dict[str, object]:
    """The STORAGES["default"] entry: a private S3-compatible bucket when MEDIA_S3_BUCKET is set, else the disk.

    No ACL is set (the bucket's own policy applies: keep it private), names are never
    overwritten (Django's usual suffix instead) and URLs are signed (SigV4), although no page links to
    one: photos still leave through the scoped view (tongxin.core.files). A custom endpoint
    (MinIO, SeaweedFS, a cloud's S3-compatible object storage) is addressed path-style, which
    every S3-compatible server understands."""
    bucket = MEDIA_S3_BUCKET if bucket is None else bucket
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint_url = MEDIA_S3_ENDPOINT_URL if endpoint_url is None else endpoint_url
    options: dict[str, object] = {
        "bucket_name": bucket,
        "location": "media",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
        "signature_version": "s3v4",
        "access_key": (MEDIA_S3_ACCESS_KEY_ID if access_key is None else access_key) or None,
        "secret_key": (MEDIA_S3_SECRET_ACCESS_KEY if secret_key is None else secret_key) or None,
        "region_name": (MEDIA_S3_REGION if region is None else region) or None,
    }
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
        options["addressing_style"] = "path"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
