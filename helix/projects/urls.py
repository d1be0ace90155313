from django.urls import URLPattern, URLResolver, path

from . import edit_views, knowledge_views, views

app_name = "projects"
urlpatterns: list[URLPattern | URLResolver] = [
    path("projecten/", views.ProjectListView.as_view(), name="project-list"),
    # Before the detail page, so "nieuw" is not taken for a slug.
    path("projecten/nieuw/", edit_views.ProjectCreateView.as_view(), name="project-create"),
    path("projecten/<slug:slug>/", views.project_detail, name="project-detail"),
    path("projecten/<slug:slug>/bewerken/", edit_views.ProjectEditView.as_view(), name="project-edit"),
    path("projecten/<slug:slug>/archiveren/", edit_views.project_archive, name="project-archive"),
    path("projecten/<slug:slug>/herstellen/", edit_views.project_restore, name="project-restore"),
    # Knowledge hub: similar projects elsewhere, lighthouses, overviews (knowledge_views).
    path("projecten/<slug:slug>/vergelijkbaar/", knowledge_views.project_similar, name="project-similar"),
    path("uitdagingen/<slug:slug>/eerder-gedaan/", knowledge_views.challenge_similar, name="challenge-similar"),
    path("kennishub/overzicht/", knowledge_views.overview, name="overview"),
    path("kennishub/vuurtorens/", knowledge_views.lighthouse_list, name="lighthouse-list"),
    path("kennishub/vuurtorens/nieuw/", knowledge_views.lighthouse_edit, name="lighthouse-create"),
    path("kennishub/vuurtorens/<int:pk>/", knowledge_views.lighthouse_detail, name="lighthouse-detail"),
    path("kennishub/vuurtorens/<int:pk>/bewerken/", knowledge_views.lighthouse_edit, name="lighthouse-edit"),
]
