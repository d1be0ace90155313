from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "helix.core"
    label = "core"
    verbose_name = "Helix core"
