"""`/api/`: the versioned REST API (v1), its OpenAPI description and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import market_views, matching_views, project_views, similar_views, strategy_views, views
from .auth import ObtainTokenView
from .funding_views import FundingFinderView

router = DefaultRouter(trailing_slash=True)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("projects", project_views.ProjectViewSet, basename="project")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("schemes", views.SchemeViewSet, basename="scheme")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("challenges", market_views.ChallengeViewSet, basename="challenge")
router.register("solutions", market_views.SolutionViewSet, basename="solution")
router.register("responses", market_views.ResponseViewSet, basename="response")
router.register("indicators", strategy_views.IndicatorViewSet, basename="indicator")
router.register("measurements", strategy_views.MeasurementViewSet, basename="measurement")
router.register("progress-updates", strategy_views.ProgressUpdateViewSet, basename="progress-update")

app_name = "api"
urlpatterns = [
    # Matches before the router, so ".../matches/" is not taken for a viewset action.
    path("v1/challenges/<slug:slug>/matches/", matching_views.ChallengeMatchesView.as_view(), name="challenge-matches"),
    path("v1/solutions/<slug:slug>/matches/", matching_views.SolutionMatchesView.as_view(), name="solution-matches"),
    path(
        "v1/organisations/<slug:slug>/partners/", matching_views.OrganisationPartnersView.as_view(), name="organisation-partners"
    ),
    path("v1/organisations/<slug:slug>/peers/", matching_views.OrganisationPeersView.as_view(), name="organisation-peers"),
    path("v1/projects/<slug:slug>/similar/", similar_views.ProjectSimilarView.as_view(), name="project-similar"),
    path("v1/", include(router.urls)),
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path("v1/funding-finder/", FundingFinderView.as_view(), name="funding-finder"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The pages load their scripts from drf-spectacular-sidecar (vendored): no CDN needed.
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
