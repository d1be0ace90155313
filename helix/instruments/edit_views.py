"""Write pages of the instrument registry: edit, create, archive, restore (thin views)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from helix.core.editing import RecordActionView, RecordFormView
from helix.core.permissions import is_curator, organisation_ids_for

from . import services
from .forms import instrument_form_class
from .models import Instrument

DETAIL = "instruments:instrument-detail"


class InstrumentEditView(RecordFormView):
    model = Instrument
    template_name = "instruments/edit/instrument_form.html"
    detail_url_name = DETAIL

    def get_form_class(self) -> Any:
        return instrument_form_class(self.request.user)

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def save(self, form: Any, obj: Any) -> Instrument:
        data, m2m = form.model_changes()
        return services.update_instrument(
            instrument=obj, data=data, m2m=m2m, user=self.request.user, expected_version=form.cleaned_data.get("version")
        )


class InstrumentCreateView(InstrumentEditView):
    """Curators, and members of at least one organisation (for the organisations they edit)."""

    creating = True

    def check_create(self) -> None:
        user = self.request.user
        if not (is_curator(user) or organisation_ids_for(user)):
            raise PermissionDenied

    def save(self, form: Any, obj: Any) -> Instrument:
        data, m2m = form.model_changes()
        return services.create_instrument(data=data, m2m=m2m, user=self.request.user)


class InstrumentArchiveView(RecordActionView):
    model = Instrument
    detail_url_name = DETAIL
    action = staticmethod(services.archive_instrument)
    success_message = gettext_lazy("“%(name)s” is archived. A curator can restore it.")


class InstrumentRestoreView(RecordActionView):
    model = Instrument
    detail_url_name = DETAIL
    action = staticmethod(services.restore_instrument)
    success_message = gettext_lazy("“%(name)s” is restored.")
