from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "projects"
urlpatterns: list[URLPattern | URLResolver] = [
    path("projecten/", views.ProjectListView.as_view(), name="project-list"),
    path("projecten/<slug:slug>/", views.project_detail, name="project-detail"),
]
