"""The REST API: /api/… resources, the token endpoint, the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from tongxin.enterprises.api.views import EnterpriseViewSet
from tongxin.regions.api.views import TownshipViewSet, VillageViewSet
from tongxin.surveys.api.views import SurveyViewSet

router = DefaultRouter()
router.register("townships", TownshipViewSet)
router.register("villages", VillageViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("surveys", SurveyViewSet)

urlpatterns = [
    path("token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
