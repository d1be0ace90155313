from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "importing"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.upload, name="upload"),
    path("preview/", views.preview, name="preview"),
    path("confirm/", views.confirm, name="confirm"),
    path("revert/", views.revert, name="revert"),
]
