from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "maturity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("volwassenheid/", views.home, name="home"),
    path("volwassenheid/regio/", views.region, name="region"),
    path("volwassenheid/versies/", views.versions, name="versions"),
    path("volwassenheid/vragenlijst/<int:number>/", views.questionnaire, name="questionnaire"),
    path("volwassenheid/gemeenten/<slug:slug>/", views.municipality, name="municipality"),
    path("volwassenheid/gemeenten/<slug:slug>/starten/", views.start, name="start"),
    path("volwassenheid/gemeenten/<slug:slug>/invullen/", views.fill, name="fill"),
    path("volwassenheid/gemeenten/<slug:slug>/resultaten/<int:pk>/", views.result, name="result"),
    path("volwassenheid/gemeenten/<slug:slug>/resultaten/<int:pk>/delen/", views.share, name="share"),
]
