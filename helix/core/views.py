from typing import Any

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from helix.actors.models import Organisation
        from helix.instruments.models import Instrument

        ctx = super().get_context_data(**kwargs)
        ctx["organisation_count"] = Organisation.objects.live().count()
        ctx["instrument_count"] = Instrument.objects.live().count()
        return ctx
