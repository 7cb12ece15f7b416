from django.contrib import admin

from tongxin.core.admin import ScopedAdmin
from tongxin.enterprises.models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = ("name", "uscc", "industry", "size", "township")
    list_filter = ("industry", "size")
    search_fields = ("name", "uscc")
    filter_horizontal = ("offers",)
