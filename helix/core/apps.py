from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "helix.core"
    label = "core"
    verbose_name = "Helix core"

    def ready(self) -> None:
        if getattr(settings, "HELIX_GC_FREEZE", True):
            from django.core.signals import request_finished

            from helix.core.gc_tuning import freeze_when_warm

            request_finished.connect(freeze_when_warm, dispatch_uid="helix-gc-freeze")
