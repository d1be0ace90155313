from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "helix.core"
    label = "core"
    verbose_name = "Helix core"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from helix.core.gc_tuning import freeze_when_warm

        request_finished.connect(freeze_when_warm, dispatch_uid="helix-gc-freeze")
