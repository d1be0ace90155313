from django.urls import URLPattern, URLResolver, path

from helix.core import history_views as views

app_name = "history"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:model>/<slug:slug>/", views.record_history, name="record"),
    path("<str:model>/<slug:slug>/revert/<int:event_id>/", views.revert, name="revert"),
]
