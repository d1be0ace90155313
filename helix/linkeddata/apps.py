from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkeddataConfig(AppConfig):
    name = "helix.linkeddata"
    verbose_name = _("Linked data")
