"""The editorial side of the portal (signed-in editors and publishers): /editorial/…"""

from django.urls import path

from tongxin.portal.views import editorial

app_name = "editorial"

urlpatterns = [
    path("articles/", editorial.ArticleListView.as_view(), name="article_list"),
    path("articles/add/", editorial.ArticleEditView.as_view(), name="article_add"),
    path("articles/<int:pk>/", editorial.ArticleDetailView.as_view(), name="article_detail"),
    path("articles/<int:pk>/edit/", editorial.ArticleEditView.as_view(), name="article_edit"),
    path("articles/<int:pk>/images/", editorial.ImageUploadView.as_view(), name="image_upload"),
    path("articles/<int:pk>/<str:action>/", editorial.ArticleActionView.as_view(), name="article_action"),
    path("revisions/<int:pk>/", editorial.RevisionDetailView.as_view(), name="revision_detail"),
    path("revisions/<int:pk>/restore/", editorial.RevisionRestoreView.as_view(), name="revision_restore"),
    path("images/<int:pk>/", editorial.ImagePreviewView.as_view(), name="image"),
]
