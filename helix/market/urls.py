"""Marketplace pages (Dutch paths, like the other registries). helix/urls.py includes this once."""

from django.urls import URLPattern, URLResolver, path

from . import edit_views, views

app_name = "market"
urlpatterns: list[URLPattern | URLResolver] = [
    path("markt/", views.market_home, name="home"),
    # Challenges: the write pages come before the detail page, so "nieuw" is not taken for a slug.
    path("uitdagingen/", views.ChallengeListView.as_view(), name="challenge-list"),
    path("uitdagingen/nieuw/", edit_views.ChallengeCreateView.as_view(), name="challenge-create"),
    path("uitdagingen/<slug:slug>/", views.challenge_detail, name="challenge-detail"),
    path("uitdagingen/<slug:slug>/bewerken/", edit_views.ChallengeEditView.as_view(), name="challenge-edit"),
    path("uitdagingen/<slug:slug>/eigenaars/", edit_views.challenge_owners, name="challenge-owners"),
    path(
        "uitdagingen/<slug:slug>/eigenaars/<slug:organisation>/verwijderen/",
        edit_views.challenge_owner_remove,
        name="challenge-owner-remove",
    ),
    path("uitdagingen/<slug:slug>/status/<str:action>/", edit_views.challenge_status, name="challenge-status"),
    path("uitdagingen/<slug:slug>/archiveren/", edit_views.challenge_archive, name="challenge-archive"),
    path("uitdagingen/<slug:slug>/reageren/", edit_views.respond, name="challenge-respond"),
    path("uitdagingen/<slug:slug>/reacties/", edit_views.challenge_responses, name="challenge-responses"),
    # Responses (never public): status changes and outcome follow-up.
    path("markt/reacties/<int:pk>/resultaat/", edit_views.response_outcome, name="response-outcome"),
    path("markt/reacties/<int:pk>/<str:action>/", edit_views.response_action, name="response-action"),
    # Solutions.
    path("oplossingen/", views.SolutionListView.as_view(), name="solution-list"),
    path("oplossingen/nieuw/", edit_views.SolutionCreateView.as_view(), name="solution-create"),
    path("oplossingen/<slug:slug>/", views.solution_detail, name="solution-detail"),
    path("oplossingen/<slug:slug>/bewerken/", edit_views.SolutionEditView.as_view(), name="solution-edit"),
    path("oplossingen/<slug:slug>/archiveren/", edit_views.SolutionArchiveView.as_view(), name="solution-archive"),
]
