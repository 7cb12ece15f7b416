from django.contrib import admin

from tongxin.core.admin import ScopedAdmin
from tongxin.inbox.models import Notification


@admin.register(Notification)
class NotificationAdmin(ScopedAdmin):
    """Notifications in the admin obey the same policy: a person sees only their own
    (a superuser every one, for support); only the read mark can be changed."""

    list_display = ("created", "recipient", "kind", "read_at")
    list_filter = ("kind",)
    fields = ("recipient", "kind", "args", "link", "read_at")
    readonly_fields = ("recipient", "kind", "args", "link")
