"""The admin's "view on site" link, answered by the access policy.

Django's own view (``contenttypes.views.shortcut``) redirects any staff member to the
page of any row and answers 404 only for rows that do not exist, which tells that a
foreign row exists and where it lives. This one answers 404 for every row the person may
not view, exactly as for an id that names nothing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponseRedirect

from tongxin.core.scope import VIEW, get_scoped_or_404, has_policy


def view_on_site(request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponseRedirect:
    try:
        content_type = ContentType.objects.get_for_id(int(content_type_id))
    except (ContentType.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404 from exc
    model = content_type.model_class()
    if model is None:
        raise Http404
    if has_policy(model):
        obj = get_scoped_or_404(model, request.user, VIEW, pk=object_id)
    elif getattr(request.user, "is_superuser", False):
        try:
            obj = model._default_manager.get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
    else:
        raise Http404
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        raise Http404
    return HttpResponseRedirect(get_url())
