from django.urls import path

from tongxin.core.urls_helpers import ledger_urls
from tongxin.selection import public, views
from tongxin.selection.ledgers import (
    categories,
    criteria,
    deputies,
    jurors,
    nominations,
    objections,
    recommendations,
    selections,
)

app_name = "selection"

urlpatterns = [
    *ledger_urls(selections, detail_view=views.SelectionDetailView, prefix="selections/"),
    path("selections/<int:pk>/advance/", views.SelectionAdvanceView.as_view(), name="selection_advance"),
    path("selections/<int:pk>/dashboard/", views.DashboardView.as_view(), name="selection_dashboard"),
    path(
        "selections/<int:pk>/dashboard/export/", views.DashboardExportView.as_view(), name="selection_dashboard_export"
    ),
    *ledger_urls(categories, prefix="categories/"),
    *ledger_urls(criteria, prefix="criteria/"),
    *ledger_urls(jurors, prefix="jurors/"),
    *ledger_urls(deputies, prefix="deputies/"),
    *ledger_urls(nominations, detail_view=views.NominationDetailView, prefix="nominations/"),
    path("nominations/<int:pk>/review/<str:action>/", views.NominationReviewView.as_view(), name="nomination_review"),
    path("nominations/<int:pk>/score/", views.NominationScoreView.as_view(), name="nomination_score"),
    path("nominations/<int:pk>/photo/", views.NominationPhotoView.as_view(), name="nomination_photo"),
    *ledger_urls(recommendations, prefix="recommendations/"),
    *ledger_urls(objections, prefix="objections/"),
    path("objections/<int:pk>/answer/", views.ObjectionAnswerView.as_view(), name="objection_answer"),
    # Public pages (no sign-in).
    path("public/", public.PublicListView.as_view(), name="public_list"),
    path("public/<int:pk>/", public.BallotView.as_view(), name="public_ballot"),
    path("public/<int:pk>/challenge/", public.ChallengeView.as_view(), name="public_challenge"),
    path("public/<int:pk>/code/", public.CodeRequestView.as_view(), name="public_code"),
    path("public/<int:pk>/verify/", public.CodeVerifyView.as_view(), name="public_verify"),
    path("public/<int:pk>/vote/<int:candidate>/", public.VoteView.as_view(), name="public_vote"),
    path("public/<int:pk>/results/", public.ResultsView.as_view(), name="public_results"),
]
