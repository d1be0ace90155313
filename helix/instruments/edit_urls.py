"""Write pages of the instrument registry, mounted by helix/urls.py in the "instruments" namespace
before the read pages (so "instrumenten/nieuw/" is not taken for a slug)."""

from django.urls import URLPattern, URLResolver, path

from . import edit_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("instrumenten/nieuw/", views.InstrumentCreateView.as_view(), name="instrument-create"),
    path("instrumenten/<slug:slug>/bewerken/", views.InstrumentEditView.as_view(), name="instrument-edit"),
    path("instrumenten/<slug:slug>/archiveren/", views.InstrumentArchiveView.as_view(), name="instrument-archive"),
    path("instrumenten/<slug:slug>/herstellen/", views.InstrumentRestoreView.as_view(), name="instrument-restore"),
]
