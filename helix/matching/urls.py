from django.urls import URLPattern, URLResolver, path

from . import views
from .match_urls import urlpatterns as match_urlpatterns

app_name = "matching"
urlpatterns: list[URLPattern | URLResolver] = [
    path("financiering/", views.funding_finder, name="funding-finder"),
]
urlpatterns += match_urlpatterns  # matches pages and the curators' policy page (lead)
