from django.urls import path

from tongxin.core.urls_helpers import ledger_urls
from tongxin.core.views.generic import ObjectDetailView
from tongxin.pairing import ledgers
from tongxin.pairing.views import bulk, campaigns, dashboard, files, mine, pairs, ranking, runs

app_name = "pairing"

urlpatterns = [
    path("mine/", mine.my_pairs_page, name="my_pairs"),
    *ledger_urls(ledgers.campaigns, detail_view=campaigns.CampaignDetailView),
    *ledger_urls(ledgers.pairs, detail_view=pairs.PairDetailView),
    *ledger_urls(ledgers.appointments, detail_view=pairs.AppointmentDetailView, prefix="liaisons/"),
    *ledger_urls(ledgers.activities, detail_view=pairs.ActivityDetailView, prefix="activities/"),
    *ledger_urls(ledgers.supports, detail_view=ObjectDetailView, prefix="support/"),
    *ledger_urls(ledgers.reports, detail_view=pairs.ReportDetailView),
    *ledger_urls(ledgers.groups, prefix="groups/"),
    *ledger_urls(ledgers.members, prefix="members/"),
    *ledger_urls(ledgers.meetings, prefix="meetings/"),
    *ledger_urls(ledgers.decisions),
    path("campaigns/<int:pk>/advance/", campaigns.campaign_advance, name="campaign_advance"),
    path("campaigns/<int:pk>/rank/<int:participant>/", ranking.rank, name="campaign_rank"),
    path("campaigns/<int:pk>/rankings/", ranking.rankings, name="campaign_rankings"),
    path("campaigns/<int:pk>/match/", campaigns.match, name="campaign_match"),
    path("campaigns/<int:pk>/review/", campaigns.review, name="campaign_review"),
    path("campaigns/<int:pk>/review/pick/<str:side>/", campaigns.override_pick, name="campaign_override_pick"),
    path("campaigns/<int:pk>/review/<str:action>/", bulk.review_bulk, name="campaign_review_bulk"),
    path("campaigns/<int:pk>/appoint/", pairs.appoint, name="campaign_appoint"),
    path("campaigns/<int:pk>/dashboard/", dashboard.dashboard, name="campaign_dashboard"),
    path("campaigns/<int:pk>/dashboard/<str:table>.xlsx", dashboard.dashboard_export, name="campaign_dashboard_export"),
    path("campaigns/<int:pk>/ledger.xlsx", dashboard.ledger_export, name="campaign_ledger"),
    path("campaigns/<int:pk>/late/", dashboard.late, name="campaign_late"),
    path("campaigns/<int:pk>/late/export/", dashboard.late_export, name="campaign_late_export"),
    path("campaigns/<int:pk>/late/remind/", bulk.late_remind, name="campaign_late_remind"),
    path("runs/<int:pk>/", runs.match_run, name="matchrun_detail"),
    path("runs/<int:pk>/proposals.xlsx", runs.match_run_export, name="matchrun_export"),
    path("campaigns/<int:pk>/why/", campaigns.why, name="campaign_why"),
    path("pairs/<int:pk>/action/<str:action>/", campaigns.pair_action, name="pair_action"),
    path("pairs/<int:pk>/plan/", pairs.pair_plan, name="pair_plan"),
    path("pairs/<int:pk>/letter/", pairs.pair_letter_issue, name="pair_letter_issue"),
    path("pairs/<int:pk>/letter/preview/", pairs.letter_preview, name="pair_letter_preview"),
    path("pairs/<int:pk>/reports/<str:period>/", pairs.report_edit, name="pair_report"),
    path("liaisons/<int:pk>/letter/", pairs.appointment_letter_issue, name="appointment_letter_issue"),
    path("liaisons/<int:pk>/letter/preview/", pairs.appointment_letter_preview, name="appointment_letter_preview"),
    path("letters/<int:pk>.pdf", pairs.letter_pdf, name="letter_pdf"),
    path("reports/accept/", bulk.reports_accept, name="report_bulk_accept"),
    path("reports/<int:pk>/<str:action>/", pairs.report_review, name="report_review"),
    path("activities/<int:pk>/photos/", pairs.activity_photo, name="activity_photo"),
    path("activities/<int:pk>/confirm/", pairs.activity_confirm, name="activity_confirm"),
    path("activities/<int:pk>/photos/<int:photo>/", files.activity_photo_file, name="activity_photo_file"),
]
