from django.urls import path

from tongxin.chambers import views
from tongxin.chambers.ledgers import (
    activities,
    applications,
    board,
    cases,
    chambers,
    dues,
    levels,
    memberships,
    officers,
)
from tongxin.core.urls_helpers import ledger_urls

app_name = "chambers"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/export/", views.DashboardExportView.as_view(), name="dashboard_export"),
    *ledger_urls(chambers, detail_view=views.ChamberDetailView, prefix=""),
    *ledger_urls(officers, prefix="officers/"),
    *ledger_urls(levels, prefix="levels/"),
    path("members/<int:pk>/transition/", views.MembershipTransitionView.as_view(), name="membership_transition"),
    path("members/<int:pk>/certificate/", views.MembershipCertificateView.as_view(), name="membership_certificate"),
    *ledger_urls(memberships, detail_view=views.MembershipDetailView, prefix="members/"),
    # After the ledger's own routes: <pk>/edit/, delete/ and history/ are theirs.
    *ledger_urls(applications, detail_view=views.ApplicationDetailView, prefix="applications/"),
    path("applications/<int:pk>/<str:action>/", views.ApplicationActionView.as_view(), name="application_action"),
    path("dues/raise/", views.DuesRaiseView.as_view(), name="dues_raise"),
    path("dues/<int:pk>/pay/", views.DuesPayView.as_view(), name="dues_pay"),
    *ledger_urls(dues, detail_view=views.DuesDetailView, prefix="dues/"),
    *ledger_urls(cases, detail_view=views.RightsCaseDetailView, prefix="cases/"),
    path("cases/<int:pk>/<str:action>/", views.RightsCaseStepView.as_view(), name="rightscase_step"),
    *ledger_urls(activities, detail_view=views.MemberActivityDetailView, prefix="activities/"),
    path("activities/<int:pk>/<str:action>/", views.ActivityStepView.as_view(), name="memberactivity_step"),
    path("board/<int:pk>/close/", views.BoardPostCloseView.as_view(), name="boardpost_close"),
    *ledger_urls(board, detail_view=views.BoardPostDetailView, prefix="board/"),
]
