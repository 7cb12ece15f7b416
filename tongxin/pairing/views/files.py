"""Uploaded files of pairing records, sent only through the scope of their record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from tongxin.core.files import serve_file
from tongxin.core.scope import VIEW, get_scoped_or_404
from tongxin.pairing.models import Activity, ActivityPhoto


@login_required
@require_safe
def activity_photo_file(request: HttpRequest, pk: int, photo: int) -> HttpResponseBase:
    """A photo of an activity the user may see; any other photo, or one of another activity, is 404."""
    activity = get_scoped_or_404(Activity, request.user, VIEW, pk=pk)
    image = get_object_or_404(ActivityPhoto, activity=activity, pk=photo)
    return serve_file(image.image)
