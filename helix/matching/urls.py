"""Pages of the funding finder and the marketplace matches (Dutch paths, beside the objects they belong to)."""

from django.urls import URLPattern, URLResolver, path

from . import match_views, policy_views, views

app_name = "matching"
urlpatterns: list[URLPattern | URLResolver] = [
    path("financiering/", views.funding_finder, name="funding-finder"),
    path("uitdagingen/<slug:slug>/koppelingen/", match_views.challenge_matches, name="challenge-matches"),
    path("oplossingen/<slug:slug>/koppelingen/", match_views.solution_matches, name="solution-matches"),
    path("organisaties/<slug:slug>/koppelingen/", match_views.organisation_matches, name="organisation-matches"),
    path("koppelingen/beleid/", policy_views.PolicyView.as_view(), name="policy"),
]
