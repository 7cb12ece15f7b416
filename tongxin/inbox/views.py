"""The person's notifications: the list (read / unread), opening one, marking all read,
the bell's count, and the e-mail preference. Every page shows only the person's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tongxin.core.exceptions import OutOfScopeError
from tongxin.core.redirects import is_safe_next, safe_next
from tongxin.core.scope import CHANGE, get_scoped_or_404
from tongxin.core.services import save_in_scope
from tongxin.inbox.choices import ReadState
from tongxin.inbox.forms import PreferenceForm
from tongxin.inbox.models import Notification, NotificationPreference
from tongxin.inbox.services.notifications import (
    notification_read,
    notifications_read_all,
    own_notifications,
    unread_count,
)

PAGE_SIZE = 50


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first: unread, read or all (``?state=``); an
    unknown state answers 400 with the list of all."""
    state = request.GET.get("state", ReadState.ALL)
    status = 200
    if state not in ReadState.values:
        messages.error(request, _("Choose unread, read or all."))
        state, status = ReadState.ALL, 400
    rows = own_notifications(request.user)
    if state == ReadState.UNREAD:
        rows = rows.filter(read_at__isnull=True)
    elif state == ReadState.READ:
        rows = rows.filter(read_at__isnull=False)
    page = Paginator(rows.order_by("-created", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": ReadState.choices,
        "unread": unread_count(request.user),
    }
    return render(request, "inbox/notification_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the person's own notifications (another person's is 404, like an id that
    names nothing). GET shows it and changes nothing; POST (its button) marks it read and
    goes to the page it links to."""
    notification = get_scoped_or_404(Notification, request.user, CHANGE, pk=pk, recipient=request.user.pk)
    target = notification.link if is_safe_next(request, notification.link) and notification.link.startswith("/") else ""
    if request.method == "POST":
        notification_read(notification=notification, user=request.user)
        return HttpResponseRedirect(target or reverse("inbox:notifications"))
    return render(request, "inbox/notification_detail.html", {"note": notification, "target": target})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all of the person's notifications read."""
    count = notifications_read_all(user=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return HttpResponseRedirect(safe_next(request, reverse("inbox:notifications")))


def bell(request: HttpRequest) -> HttpResponse:
    """The bell of the page header: the number of unread notifications (htmx loads it on
    every page and every minute). Signed out meanwhile: 204, so the page keeps its bell
    instead of showing the login form inside it."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    return render(request, "inbox/_bell.html", {"unread": unread_count(request.user)})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's own choice of e-mail: none, or a daily digest of unread notifications."""
    user: Any = request.user
    preference = NotificationPreference.objects.filter(user=user.pk).first() or NotificationPreference(user=user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            try:
                save_in_scope(user=user, instance=preference, save=form.save, adding=preference.pk is None)
            except OutOfScopeError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(reverse("inbox:preferences"))
        return render(request, "inbox/preferences.html", {"form": form}, status=400)
    return render(request, "inbox/preferences.html", {"form": form})
