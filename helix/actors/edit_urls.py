"""Write pages of the actor registry. helix/urls.py mounts these in the "actors" namespace,
before the read pages, so "organisaties/nieuw/" is not taken for a slug."""

from django.urls import URLPattern, URLResolver, path

from . import edit_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("organisaties/nieuw/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path("organisaties/<slug:slug>/bewerken/", views.OrganisationEditView.as_view(), name="organisation-edit"),
    path("organisaties/<slug:slug>/archiveren/", views.OrganisationArchiveView.as_view(), name="organisation-archive"),
    path("organisaties/<slug:slug>/herstellen/", views.OrganisationRestoreView.as_view(), name="organisation-restore"),
    path("organisaties/<slug:slug>/samenvoegen/", views.merge, name="organisation-merge"),
    path("organisaties/<slug:slug>/contactpersonen/", views.contacts, name="organisation-contacts"),
    path("organisaties/<slug:slug>/contactpersonen/<int:pk>/bewerken/", views.contact_edit, name="contact-edit"),
    path("organisaties/<slug:slug>/contactpersonen/<int:pk>/verwijderen/", views.contact_delete, name="contact-delete"),
]
