from django.urls import URLPattern, URLResolver, path

from . import quality_views as views

app_name = "opendata_quality"
urlpatterns: list[URLPattern | URLResolver] = [
    path("open-data/kwaliteit/", views.overview, name="overview"),
    path("open-data/kwaliteit/<slug:slug>/", views.portfolio, name="portfolio"),
]
