from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "helix.api"
    label = "api"
    verbose_name = "Helix API"
