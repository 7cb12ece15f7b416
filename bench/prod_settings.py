"""``tongxin.settings.prod`` for ``bench.lists`` when ``collectstatic`` cannot build the manifest.

The hashed-names storage of production needs ``collectstatic`` to have post-processed every
file; when that fails (a vendored CSS file naming a source map that is not vendored), the
benchmark serves with plain static names instead. Nothing else differs from production.
"""

from tongxin.settings.prod import *  # noqa: F403
from tongxin.settings.prod import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
