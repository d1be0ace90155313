"""The curators' lighthouse form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.models import Term
from helix.core.widgets import date_input

from .models import Lighthouse


class LighthouseForm(forms.ModelForm):
    followers = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label=_("Followers"),
        help_text=_("Municipalities that follow the lighthouse in this domain."),
    )

    class Meta:
        model = Lighthouse
        fields = ["domain", "municipality", "start_date", "end_date", "note", "source"]
        widgets = {
            "start_date": date_input(),
            "end_date": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
        self.fields["municipality"].queryset = towns  # type: ignore[attr-defined]
        self.fields["followers"].queryset = towns  # type: ignore[attr-defined]
        self.fields["domain"].queryset = Term.objects.filter(scheme__slug="domains").order_by("code")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["followers"].initial = list(self.instance.follower_links.values_list("organisation_id", flat=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        town = data.get("municipality")
        if town is not None and town in data.get("followers", []):
            self.add_error("followers", _("The lighthouse cannot follow itself."))
        return data
