from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "helix.api"
    label = "api"
    verbose_name = "Helix API"

    def ready(self) -> None:
        # Registers the OpenAPI field extensions of the API's related-object fields.
        from . import schema  # noqa: F401
