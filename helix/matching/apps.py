from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "helix.matching"
    label = "matching"
    verbose_name = "Matching"
