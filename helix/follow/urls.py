from django.urls import URLPattern, URLResolver, path

from . import views
from .feeds import SavedSearchFeed

app_name = "follow"
urlpatterns: list[URLPattern | URLResolver] = [
    path("overzichten/", views.overview_index, name="overview-index"),
    path("overzichten/<slug:group>/", views.overview_detail, name="overview-detail"),
    path("overzichten/<slug:group>/afdrukken/", views.overview_print, name="overview-print"),
    path("zoekopdrachten/bewaren/", views.save_search, name="save-search"),
    path("mijn-zoekopdrachten/", views.saved_search_list, name="saved-search-list"),
    path("mijn-zoekopdrachten/<int:pk>/", views.saved_search_edit, name="saved-search-edit"),
    path("mijn-zoekopdrachten/<int:pk>/verwijderen/", views.saved_search_delete, name="saved-search-delete"),
    path("mijn-zoekopdrachten/<int:pk>/nieuwe-feed/", views.saved_search_renew_feed, name="saved-search-renew-feed"),
    path("feeds/<str:token>/", SavedSearchFeed(), name="feed"),
    path("zoekopdrachten/uitschrijven/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
