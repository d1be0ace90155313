from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "insights"
urlpatterns: list[URLPattern | URLResolver] = [
    path("inzichten/", views.index, name="index"),
    path("inzichten/<slug:slug>/", views.analysis_page, name="analysis"),
    path("inzichten/<slug:slug>/<slug:table>.csv", views.export_csv, name="export"),
]
