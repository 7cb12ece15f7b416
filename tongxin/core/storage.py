"""File storages of production: hashed, compressed static files; uploads on disk or in a bucket.

Static files: whitenoise's ``CompressedManifestStaticFilesStorage`` (hashed names cached
forever, gzip and Brotli copies made once by ``collectstatic``) without the rewriting of
``sourceMappingURL`` comments. The vendored bundles (Tabler) name source maps that are not
vendored; Django's manifest storage refuses to finish ``collectstatic`` over a missing
referenced file, and a source map is only ever fetched by a browser's developer tools (a
404 there is harmless). Every ``url(…)`` and ``@import`` is still rewritten and checked.

Uploads live on the disk under ``MEDIA_ROOT`` or, when ``MEDIA_S3_BUCKET`` is set, in an
S3-compatible bucket (django-storages, ``tongxin.settings.env.media_storage``), so several
application servers share the activity photos (docs/scaling.md).
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

SOURCE_MAP_MARKER = "sourceMappingURL"


def _without_source_maps(patterns: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """Django's ``(glob, (pattern | (pattern, template), …))`` list less the source-map patterns."""
    kept: list[tuple[str, tuple[Any, ...]]] = []
    for glob, entries in patterns:
        remaining = tuple(
            entry for entry in entries if SOURCE_MAP_MARKER not in (entry if isinstance(entry, str) else entry[0])
        )
        kept.append((glob, remaining))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed and compressed static files that leave ``sourceMappingURL`` comments as written."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
