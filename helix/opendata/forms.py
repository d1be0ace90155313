"""Forms of the harvesting pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for

from .models import HarvestSource


class SourceForm(forms.ModelForm):
    class Meta:
        model = HarvestSource
        fields = ["title", "url", "format", "organisation", "enabled"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["organisation"]
        if is_curator(user):
            field.queryset = Organisation.objects.live().order_by("name")  # type: ignore[attr-defined]
        else:
            field.queryset = Organisation.objects.filter(pk__in=organisation_ids_for(user)).order_by("name")  # type: ignore[attr-defined]
            field.required = True
            field.empty_label = None  # type: ignore[attr-defined]
            field.help_text = _("The organisation whose own portal this is.")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if urlsplit(url).scheme not in ("http", "https"):
            raise forms.ValidationError(_("Only http and https addresses can be harvested."))
        return url


class ResolveForm(forms.Form):
    publisher_uri = forms.CharField(required=False, widget=forms.HiddenInput)
    publisher_name = forms.CharField(required=False, widget=forms.HiddenInput)
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        help_text=_("The identifier (slug) of the organisation in the registry; empty: none of them."),
    )

    def clean_organisation(self) -> Organisation | None:
        slug = (self.cleaned_data.get("organisation") or "").strip()
        if not slug:
            return None
        organisation = Organisation.objects.live().filter(slug=slug).first()
        if organisation is None:
            raise forms.ValidationError(_("No organisation with this identifier."))
        return organisation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("publisher_uri") and not data.get("publisher_name"):
            raise forms.ValidationError(_("The publisher is missing."))
        return data
