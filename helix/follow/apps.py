from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowConfig(AppConfig):
    name = "helix.follow"
    label = "follow"
    verbose_name = _("Following: overviews, saved searches, feeds and digests")
