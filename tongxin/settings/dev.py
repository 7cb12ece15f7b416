"""Local development: SQLite by default, debug on, tasks run by the db worker."""

from tongxin.settings import env
from tongxin.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env.SECRET_KEY or "dev-only-insecure-key-change-me"
ALLOWED_HOSTS = env.ALLOWED_HOSTS or ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # reminders are printed, not sent
