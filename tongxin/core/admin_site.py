"""The project's admin site: Django's, with "view on site" answered by the access policy."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import URLPattern, URLResolver, path


class TongxinAdminSite(admin.AdminSite):
    def get_urls(self) -> list[URLPattern | URLResolver]:
        from tongxin.core.views.view_on_site import view_on_site

        urls = super().get_urls()
        for index, entry in enumerate(urls):
            if isinstance(entry, URLPattern) and entry.name == "view_on_site":
                urls[index] = path(str(entry.pattern), self.admin_view(view_on_site), name="view_on_site")
        return urls


class TongxinAdminConfig(AdminConfig):
    default_site = "tongxin.core.admin_site.TongxinAdminSite"
