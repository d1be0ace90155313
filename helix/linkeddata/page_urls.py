"""The human catalogue page (inside i18n_patterns: Dutch at /, English under /en/)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "linkeddata"
urlpatterns: list[URLPattern | URLResolver] = [
    path("gekoppelde-data/", views.catalog_page, name="catalog-page"),
]
