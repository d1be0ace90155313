from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class LinkeddataConfig(AppConfig):
    name = "helix.linkeddata"
    verbose_name = _("Linked data")

    def ready(self) -> None:
        # Harvested datasets are a kind (and a registry) when the open-data app is installed.
        if apps.is_installed("helix.opendata"):
            from . import datasets

            datasets.register()
