from django.urls import URLPattern, URLResolver, path

from . import edit_views, views

app_name = "strategy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("strategie/", views.overview, name="overview"),
    path("strategie/rapport/", views.steering_report, name="report"),
    path("strategie/rapport/afdrukken/", views.steering_report_print, name="report-print"),
    path("strategie/indicatoren/", views.indicator_list, name="indicator-list"),
    path("strategie/indicatoren/nieuw/", edit_views.indicator_edit, name="indicator-create"),
    path("strategie/indicatoren/<slug:slug>/", views.indicator_detail, name="indicator-detail"),
    path("strategie/indicatoren/<slug:slug>/bewerken/", edit_views.indicator_edit, name="indicator-edit"),
    path("strategie/indicatoren/<slug:slug>/metingen/nieuw/", edit_views.measurement_create, name="measurement-create"),
    path("strategie/aanbevelingen/<slug:slug>/", views.recommendation_detail, name="recommendation-detail"),
    path("strategie/aanbevelingen/<slug:slug>/voortgang/", edit_views.progress_create, name="progress-create"),
    path("strategie/aanbevelingen/<slug:slug>/eigenaars/", edit_views.owners, name="owners"),
    path("strategie/aanbevelingen/<slug:slug>/acties/nieuw/", edit_views.action_create, name="action-create"),
    path("strategie/acties/<int:pk>/bewerken/", edit_views.action_edit, name="action-edit"),
    path("strategie/acties/<int:pk>/verwijderen/", edit_views.action_delete, name="action-delete"),
]
