"""Production: PostgreSQL via DATABASE_URL, secure cookies, HSTS, hashed static files."""

from django.core.exceptions import ImproperlyConfigured

from tongxin.settings import env
from tongxin.settings.base import *  # noqa: F403
from tongxin.settings.base import REST_FRAMEWORK, STORAGES

DEBUG = False
if not env.SECRET_KEY or len(env.SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY (at least 50 random characters) in the environment.")
SECRET_KEY = env.SECRET_KEY
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env.SECURE_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    **STORAGES,
    # Hashed names cached for a year, gzip and Brotli copies made by collectstatic (whitenoise).
    "staticfiles": {"BACKEND": "tongxin.core.storage.StaticFilesStorage"},
}
# Behind one reverse proxy (nginx): its X-Forwarded-For entry is the client's address.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": 1 if env.NUM_PROXIES is None else env.NUM_PROXIES}
# The web server sends the uploaded files once the scoped view has said yes (docs/architecture.md).
TONGXIN_FILE_ACCEL = env.FILE_ACCEL or "nginx"
if TONGXIN_FILE_ACCEL not in {"nginx", "apache", "django"}:
    raise ImproperlyConfigured("FILE_ACCEL must be nginx, apache or django.")
