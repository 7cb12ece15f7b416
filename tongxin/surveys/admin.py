from django.contrib import admin

from tongxin.core.admin import ScopedAdmin
from tongxin.surveys.models import Survey


@admin.register(Survey)
class SurveyAdmin(ScopedAdmin):
    list_display = ("date", "kind", "village", "enterprise", "township")
    list_filter = ("kind",)
