from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "strategy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("strategie/", views.overview, name="overview"),
    path("strategie/aanbevelingen/<slug:slug>/", views.recommendation_detail, name="recommendation-detail"),
]
