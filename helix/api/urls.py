"""`/api/`: the versioned REST API (v1), its OpenAPI description and its documentation pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views
from .auth import ObtainTokenView

router = DefaultRouter(trailing_slash=True)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("instruments", views.InstrumentViewSet, basename="instrument")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("schemes", views.SchemeViewSet, basename="scheme")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The pages load their scripts from drf-spectacular-sidecar (vendored): no CDN needed.
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
