from django.urls import path

from tongxin.core.views import generic, pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("imports/<int:pk>/", generic.ImportJobView.as_view(), name="import_job"),
]
