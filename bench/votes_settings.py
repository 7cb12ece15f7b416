"""``tongxin.settings.prod`` for ``bench.votes``: the vote's per-address limit out of the way
(every benchmark client shares one address) and plain static names (no manifest needed)."""

from tongxin.settings.prod import *  # noqa: F403
from tongxin.settings.prod import STORAGES

SELECTION_LIMITS = {"VOTES_PER_ADDRESS_HOUR": 1_000_000_000}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
