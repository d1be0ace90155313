from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "actors"
urlpatterns: list[URLPattern | URLResolver] = [
    path("organisaties/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisaties/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("gemeenten/", views.MunicipalityListView.as_view(), name="municipality-list"),
    path("gemeenten/<slug:slug>/", views.organisation_detail, name="municipality-detail"),
]
