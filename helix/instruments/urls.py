from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "instruments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("instrumenten/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instrumenten/<slug:slug>/", views.instrument_detail, name="instrument-detail"),
]
