"""Forms of the strategy monitor's write pages (the services validate again and check rights)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.widgets import date_input
from helix.market.forms import find_organisation

from .choices import ProgressStatus
from .models import Recommendation

DATE = date_input()


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=ProgressStatus.choices, widget=forms.RadioSelect, help_text=_("The four-step scale.")
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A short explanation of the status: what was done, what is late and why."),
    )
    evidence = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses (https://…) of reports, decisions or results, one per line."),
    )
    as_of = forms.DateField(label=_("Date"), widget=DATE, help_text=_("The day the status describes (today or earlier)."))
    override_reason = forms.CharField(
        label=_("Reason for departing from the suggested status"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you declare another status than the one the indicators suggest."),
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("as_of", timezone.localdate())
        super().__init__(*args, **kwargs)
        if len(organisations) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("On behalf of"),
                queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name"),
                help_text=_("The owner organisation this update is made for."),
            )

    def clean_evidence(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except ValidationError as error:
                raise forms.ValidationError(_("“%(link)s” is not a web address (https://…)."), params={"link": link}) from error
        return links

    def clean_as_of(self) -> Any:
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A progress update describes today or an earlier day."))
        return day


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    organisation = forms.ModelChoiceField(label=_("Owner"), queryset=Organisation.objects.none())
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")  # type: ignore[attr-defined]
        field.help_text = _("One of the owners of the recommendation.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and start > end:
            self.add_error("ends_on", _("The action cannot end before it starts."))
        return data


class OwnerForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        help_text=_("Its exact name or its identifier (the last part of its address)."),
    )

    def clean_organisation(self) -> Organisation:
        return find_organisation(self.cleaned_data["organisation"])


class IndicatorForm(forms.Form):
    name_nl = forms.CharField(label=_("Dutch name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Definition"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("What is measured, and how.")
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("For example %, number, EUR."))
    baseline_value = forms.DecimalField(label=_("Baseline"), required=False, max_digits=16, decimal_places=4)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target_value = forms.DecimalField(label=_("Target"), required=False, max_digits=16, decimal_places=4)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations"),
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, computed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = Recommendation.objects.live().order_by("number")  # type: ignore[attr-defined]
        if computed:  # the definition of a computed indicator is its function
            for name in ("description_en", "unit"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("baseline_date"), data.get("target_date")
        if start and end and start >= end:
            self.add_error("target_date", _("The target date comes after the baseline date."))
        return data


class MeasurementForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    measured_on = forms.DateField(label=_("Date"), widget=DATE)
    source = forms.CharField(
        label=_("Source"), max_length=500, required=False, help_text=_("Where the value comes from (a document or web address).")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("measured_on", timezone.localdate())
        super().__init__(*args, **kwargs)
