from django.contrib import admin

from tongxin.core.admin import ScopedAdmin
from tongxin.regions.models import County, Township, Village


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    list_display = ("code", "name", "is_demo")


@admin.register(Township)
class TownshipAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "county")
    search_fields = ("code", "name")


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "township")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    filter_horizontal = ("needs", "advantages")
