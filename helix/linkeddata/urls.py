"""Machine URLs of the linked data (outside i18n_patterns: URIs do not depend on a language)."""

from django.urls import URLPattern, URLResolver, path, re_path

from . import views

app_name = "linkeddata_machine"
FMT = r"(?P<fmt>ttl|jsonld)"
SLUG = r"(?P<slug>[-\w]+)"

urlpatterns: list[URLPattern | URLResolver] = [
    path("id/concept/<str:scheme>", views.concept, name="concept-scheme"),
    path("id/concept/<str:scheme>/<str:code>", views.concept, name="concept"),
    re_path(rf"^id/(?P<kind>[a-z]+)/{SLUG}$", views.resource, name="resource"),
    path("data/catalog", views.catalog, name="catalog"),
    re_path(rf"^data/catalog\.{FMT}$", views.catalog_document, name="catalog-document"),
    re_path(r"^data/catalog/(?P<registry>[a-z-]+)$", views.registry, name="registry"),
    re_path(rf"^data/dumps/(?P<registry>[a-z-]+)\.{FMT}$", views.dump, name="dump"),
    re_path(rf"^data/(?P<kind>[a-z]+)/{SLUG}\.{FMT}$", views.document, name="document"),
]
