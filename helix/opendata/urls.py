from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/datasets/", views.dataset_list, name="dataset_list"),
    path("open-data/datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("open-data/bronnen/", views.source_list, name="source_list"),
    path("open-data/bronnen/nieuw/", views.source_form, name="source_create"),
    path("open-data/bronnen/<int:pk>/", views.source_detail, name="source_detail"),
    path("open-data/bronnen/<int:pk>/bewerken/", views.source_form, name="source_edit"),
    path("open-data/bronnen/<int:pk>/oogsten/", views.source_harvest, name="source_harvest"),
    path("open-data/oogstrondes/<int:pk>/", views.run_detail, name="run_detail"),
    path("open-data/uitgevers/", views.publisher_list, name="publisher_list"),
]
