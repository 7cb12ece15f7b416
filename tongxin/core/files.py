"""Send a stored file after a view has checked access; uploads are never public.

Who sends the bytes is ``TONGXIN_FILE_ACCEL``: ``"django"`` (a streamed ``FileResponse``,
development and tests), ``"nginx"`` (an empty response with ``X-Accel-Redirect`` to the
internal location ``TONGXIN_FILE_ACCEL_PREFIX``) or ``"apache"`` (``X-Sendfile`` with the
file's path, mod_xsendfile). docs/architecture.md shows the web server side.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.cache import patch_cache_control

from tongxin.core.disposition import content_disposition

MODES = ("django", "nginx", "apache")


def serve_file(file: FieldFile, *, filename: str | None = None, as_attachment: bool = False) -> HttpResponseBase:
    """The response that sends ``file`` (only call it once access is checked); 404 if missing."""
    if not file or not file.name:
        raise Http404
    mode = getattr(settings, "TONGXIN_FILE_ACCEL", "django") or "django"
    if mode not in MODES:
        raise ImproperlyConfigured(f"TONGXIN_FILE_ACCEL must be one of {', '.join(MODES)}, not {mode!r}.")
    name = filename or PurePosixPath(file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response: HttpResponseBase
    if mode == "django":
        try:
            handle = file.storage.open(file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    else:
        if not file.storage.exists(file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        if mode == "nginx":
            prefix = str(getattr(settings, "TONGXIN_FILE_ACCEL_PREFIX", "/protected-media/")).rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(file.name)}"
        else:
            response["X-Sendfile"] = quote(file.path)
    response["Content-Disposition"] = content_disposition(name, inline=not as_attachment)
    # Never run what was uploaded, never keep it in a shared cache.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=3600)
    return response
