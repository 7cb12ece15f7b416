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


def database(url: str | None = None) -> dict[str, object]:
    """Parse DATABASE_URL (SQLite by default, PostgreSQL in production)."""
    config: dict[str, object] = dict(dj_database_url.parse(url or DATABASE_URL, conn_max_age=60))
    if str(config.get("ENGINE", "")).endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    return config
