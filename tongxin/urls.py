"""Root URL configuration."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("tongxin.api_urls")),
    path("accounts/", include("tongxin.accounts.urls")),
    path("regions/", include("tongxin.regions.urls")),
    path("enterprises/", include("tongxin.enterprises.urls")),
    path("surveys/", include("tongxin.surveys.urls")),
    path("pairing/", include("tongxin.pairing.urls")),
    path("", include("tongxin.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
