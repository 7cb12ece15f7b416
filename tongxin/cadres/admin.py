from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from tongxin.cadres.choices import AccessKind
from tongxin.cadres.models import Person
from tongxin.cadres.privacy import masked
from tongxin.cadres.services.access import person_view_log
from tongxin.core.admin import ScopedAdmin


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    """Files in the admin under the same policy, without their identifiers (masked, read
    only); opening a file here is logged like its page."""

    list_display = ("code", "name", "affiliation", "status", "county")
    list_filter = ("affiliation", "status")
    search_fields = ("code", "name")
    exclude = ("resident_id", "mobile")
    readonly_fields = ("masked_resident_id", "masked_mobile")

    @admin.display(description=Person._meta.get_field("resident_id").verbose_name)
    def masked_resident_id(self, obj: Person) -> str:
        return masked("resident_id", obj.resident_id)

    @admin.display(description=Person._meta.get_field("mobile").verbose_name)
    def masked_mobile(self, obj: Person) -> str:
        return masked("mobile", obj.mobile)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            person = self.get_object(request, object_id)
            if person is not None:
                person_view_log(user=request.user, person=person, kind=AccessKind.PAGE)
        return response
