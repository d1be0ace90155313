"""Match pages (Dutch paths beside the objects they belong to); included with the matching namespace."""

from django.urls import URLPattern, path

from . import match_views, policy_views

urlpatterns: list[URLPattern] = [
    path("uitdagingen/<slug:slug>/koppelingen/", match_views.challenge_matches, name="challenge-matches"),
    path("oplossingen/<slug:slug>/koppelingen/", match_views.solution_matches, name="solution-matches"),
    path("organisaties/<slug:slug>/koppelingen/", match_views.organisation_matches, name="organisation-matches"),
]
urlpatterns += [path("koppelingen/beleid/", policy_views.PolicyView.as_view(), name="policy")]
