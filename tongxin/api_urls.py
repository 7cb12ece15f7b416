"""The REST API: /api/… resources, the token endpoint, the OpenAPI schema and docs."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings

from tongxin.cadres.api import bodies as cadre_bodies
from tongxin.cadres.api import training as cadre_training
from tongxin.cadres.api.views import ComplianceView, PersonViewSet
from tongxin.chambers.api import views as chambers
from tongxin.core.routers import ApiRouter
from tongxin.core.throttles import TokenThrottle
from tongxin.enterprises.api.views import EnterpriseViewSet
from tongxin.pairing.api import views as pairing
from tongxin.platforms.api import views as platforms
from tongxin.portal.api.views import ArticleViewSet
from tongxin.regions.api.views import TownshipViewSet, VillageViewSet
from tongxin.selection.api import views as selection
from tongxin.surveys.api.views import SurveyViewSet

# Format suffixes on lists and details only; letter.pdf with or without the slash.
router = ApiRouter()
router.register("townships", TownshipViewSet)
router.register("villages", VillageViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("surveys", SurveyViewSet)
router.register("campaigns", pairing.CampaignViewSet)
router.register("proposals", pairing.ProposalViewSet, basename="proposal")
router.register("pairs", pairing.PairViewSet, basename="pair")
router.register("liaisons", pairing.LiaisonViewSet, basename="liaison")
router.register("activities", pairing.ActivityViewSet)
router.register("reports", pairing.ReportViewSet, basename="report")
router.register("cadres/people", PersonViewSet)
router.register("cadres/courses", cadre_training.CourseViewSet)
router.register("cadres/enrolments", cadre_training.EnrolmentViewSet)
router.register("cadres/friend-pairs", cadre_training.FriendPairViewSet)
router.register("cadres/friend-contacts", cadre_training.FriendContactViewSet)
router.register("cadres/bodies", cadre_bodies.BodyViewSet)
router.register("cadres/posts", cadre_bodies.PostViewSet)
router.register("cadres/rules", cadre_bodies.StaffingRuleViewSet)
router.register("cadres/stages", cadre_bodies.StageRecordViewSet)
router.register("chambers/chambers", chambers.ChamberViewSet)
router.register("chambers/officers", chambers.OfficerViewSet)
router.register("chambers/levels", chambers.MembershipLevelViewSet)
router.register("chambers/members", chambers.MembershipViewSet)
router.register("chambers/applications", chambers.ApplicationViewSet)
router.register("chambers/dues", chambers.DuesViewSet)
router.register("chambers/cases", chambers.RightsCaseViewSet)
router.register("chambers/activities", chambers.MemberActivityViewSet)
router.register("chambers/board", chambers.BoardPostViewSet)
router.register("portal/articles", ArticleViewSet)
router.register("selection/selections", selection.SelectionViewSet, basename="selection")
router.register("selection/nominations", selection.NominationViewSet, basename="nomination")
router.register("selection/recommendations", selection.RecommendationViewSet, basename="recommendation")
router.register("selection/marks", selection.MarkViewSet, basename="mark")
router.register("platforms/research/topics", platforms.ResearchTopicViewSet, basename="research-topic")
router.register("platforms/research/reports", platforms.ResearchReportViewSet, basename="research-report")
router.register("platforms/research/proposals", platforms.ResearchProposalViewSet, basename="research-proposal")
router.register("platforms/research/instructions", platforms.InstructionViewSet, basename="research-instruction")
router.register("platforms/research/milestones", platforms.MilestoneViewSet, basename="research-milestone")
router.register("platforms/charity/organisations", platforms.OrganisationViewSet, basename="charity-organisation")
router.register("platforms/charity/activities", platforms.CharityActivityViewSet, basename="charity-activity")
router.register("platforms/charity/events", platforms.CharityEventViewSet, basename="charity-event")
router.register("platforms/investment/associations", platforms.AssociationViewSet, basename="investment-association")
router.register("platforms/investment/contacts", platforms.ContactViewSet, basename="investment-contact")
router.register("platforms/investment/promotions", platforms.PromotionEventViewSet, basename="investment-promotion")
router.register("platforms/investment/projects", platforms.InvestmentLeadViewSet, basename="investment-project")
router.register("platforms/investment/talents", platforms.TalentViewSet, basename="investment-talent")
router.register("platforms/intellectuals/profiles", platforms.IntellectualViewSet, basename="intellectual")
router.register("platforms/intellectuals/countryside", platforms.CountrysideActivityViewSet, basename="countryside")
router.register("platforms/intellectuals/requests", platforms.ServiceRequestViewSet, basename="service-request")
router.register("platforms/intellectuals/innovation", platforms.InnovationProjectViewSet, basename="innovation")

urlpatterns = [
    # Token requests have their own, stricter rate limit (password guessing).
    # … and the project's parsers (ObtainAuthToken names DRF's own, without the JSON limits).
    path(
        "token/",
        ObtainAuthToken.as_view(throttle_classes=[TokenThrottle], parser_classes=api_settings.DEFAULT_PARSER_CLASSES),
        name="api-token",
    ),
    # Schema and docs for signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]);
    # the docs page sends anonymous visitors to the login page.
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("dashboard/reporting/", pairing.ReportingView.as_view(), name="api-reporting"),
    path("cadres/compliance/", ComplianceView.as_view(), name="api-cadres-compliance"),
    path("", include(router.urls)),
]
