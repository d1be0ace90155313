"""Forms of the instrument registry's edit pages; writes go through helix.instruments.services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import MunicipalitySize
from helix.actors.forms import LinesField, VersionedForm, limit_terms
from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.widgets import date_input

from .choices import FundingForm
from .models import Instrument

TERM_SCHEMES = {
    "instrument_type": "instrument-types",
    "eu_category": "eu-funding-categories",
    "applicant_types": "applicant-types",
    "phases": "phases",
    "domains": "domains",
}


class DateLinesField(LinesField):
    """Dates, one per line (YYYY-MM-DD)."""

    def to_python(self, value: Any) -> list[datetime.date]:  # type: ignore[override]
        if value and isinstance(value[0] if isinstance(value, list | tuple) else None, datetime.date):
            return list(value)
        dates = []
        for line in super().to_python(value):
            try:
                dates.append(datetime.date.fromisoformat(line))
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date. Write one date per line as YYYY-MM-DD, e.g. 2025-03-31."),
                    params={"value": line},
                ) from None
        return dates

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(v.isoformat() if isinstance(v, datetime.date) else str(v) for v in value)
        return value


FIELDS = [
    "title",
    "title_nl",
    "kind",
    "instrument_type",
    "offered_by",
    "parent",
    "umbrella_programme",
    "eu_category",
    "policy_level",
    "country",
    "description_nl",
    "description_en",
    "link",
    "target_groups",
    "applicant_types",
    "municipality_sizes",
    "territory",
    "consortium_required",
    "phases",
    "domains",
    "funding_forms",
    "cofinancing_rate",
    "amount_min",
    "amount_max",
    "total_budget",
    "opens_on",
    "closes_on",
    "open_until_text",
    "recurrence",
    "deadlines",
    "url",
    "notes",
]
CURATOR_FIELDS = [*FIELDS, "source", "last_verified"]


class InstrumentForm(VersionedForm):
    target_groups = LinesField(label=_("target groups"), required=False, help_text=_("One target group per line."))
    deadlines = DateLinesField(label=_("deadlines"), required=False, help_text=_("One date per line, as YYYY-MM-DD."))
    municipality_sizes = forms.MultipleChoiceField(
        label=_("municipality size classes"),
        choices=MunicipalitySize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    funding_forms = forms.MultipleChoiceField(
        label=_("funding forms"), choices=FundingForm.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    parent = forms.ModelChoiceField(
        queryset=Instrument.objects.none(),
        to_field_name="slug",
        required=False,
        label=_("parent programme"),
        help_text=_("Identifier of the programme this call belongs to (the last part of its address)."),
        widget=forms.TextInput,
    )

    class Meta:
        model = Instrument
        fields = CURATOR_FIELDS
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "opens_on": date_input(),
            "closes_on": date_input(),
            "last_verified": date_input(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_terms(self, TERM_SCHEMES)
        parents = Instrument.objects.live()
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        offered_by = self.fields["offered_by"]
        if is_curator(user):
            offered_by.queryset = Organisation.objects.live()  # type: ignore[attr-defined]
            offered_by.to_field_name = "slug"  # type: ignore[attr-defined]
            offered_by.widget = forms.TextInput()
            offered_by.help_text = _("Identifier of the offering organisation (the last part of its address).")
        else:
            # Members attach instruments only to organisations they edit.
            offered_by.queryset = Organisation.objects.filter(pk__in=organisation_ids_for(user)).order_by("name")  # type: ignore[attr-defined]
            offered_by.required = True
            offered_by.empty_label = None  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.offered_by_id and is_curator(user) and not self.is_bound:
            self.initial["offered_by"] = self.instance.offered_by.slug
        if self.instance.pk and self.instance.parent_id and not self.is_bound:
            self.initial["parent"] = self.instance.parent.slug

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The maximum per project must be at least the minimum (%(min)s).") % {"min": low})
        rate = cleaned.get("cofinancing_rate")
        if rate is not None and not 0 <= rate <= 100:
            self.add_error("cofinancing_rate", _("Enter a percentage between 0 and 100."))
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and opens > closes:
            self.add_error("closes_on", _("The closing date must be on or after the opening date (%(date)s).") % {"date": opens})
        return cleaned


class MemberInstrumentForm(InstrumentForm):
    class Meta(InstrumentForm.Meta):
        fields = FIELDS


def instrument_form_class(user: Any) -> type[InstrumentForm]:
    return InstrumentForm if is_curator(user) else MemberInstrumentForm
