"""Forms of the actor registry's edit pages. Validation is the model's (full_clean) plus clear,
field-specific messages; the write itself goes through helix.actors.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat
from stdnum.exceptions import ValidationError as StdnumError

from helix.core.models import Term
from helix.core.permissions import is_curator
from helix.core.widgets import date_input

from .choices import OrganisationKind
from .models import ContactPerson, Organisation

# Scheme of the terms each taxonomy field offers (see helix.core.filters / the reference loader).
TERM_SCHEMES = {
    "nace_sections": "nace",
    "domains": "domains",
    "sdgs": "sdgs",
    "value_chain_roles": "value-chain-roles",
    "inclusion_reasons": "inclusion-reasons",
}


class LinesField(forms.CharField):
    """A list of short texts, one per line (for ArrayFields such as alternative names)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class VersionedForm(forms.ModelForm):
    """Carries the version the editor opened, for the stale-save check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version

    def model_changes(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(column changes, many-to-many changes) for helix.core.services.save_record."""
        changes: dict[str, Any] = {}
        m2m: dict[str, Any] = {}
        for name in self._meta.fields or ():
            if name not in self.cleaned_data:
                continue
            model_field = self._meta.model._meta.get_field(name)
            if isinstance(model_field, models.ManyToManyField):
                m2m[name] = self.cleaned_data[name]
            else:
                changes[name] = self.cleaned_data[name]
        return changes, m2m


def limit_terms(form: forms.ModelForm, schemes: dict[str, str]) -> None:
    for name, scheme in schemes.items():
        if name in form.fields:
            field = form.fields[name]
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.widget = forms.CheckboxSelectMultiple()
            # Setting the queryset also refreshes the widget's choices.
            field.queryset = Term.objects.filter(scheme__slug=scheme).order_by("order", "code")  # type: ignore[attr-defined]


MEMBER_FIELDS = [
    "name",
    "name_nl",
    "alternative_names",
    "subkind",
    "enterprise_number",
    "nace_sections",
    "sector",
    "founded_year",
    "size_class",
    "website",
    "description_nl",
    "description_en",
    "roles",
    "located_in",
    "province",
    "country",
    "domains",
    "sdgs",
    "value_chain_roles",
    "coordinator_appointed",
    "open_data_charter_signed",
    "formal_strategy",
]
CURATOR_FIELDS = [
    "kind",
    "helix_role",
    *MEMBER_FIELDS,
    "inclusion_reasons",
    "refnis",
    "in_region",
    "is_centrumstad",
    "population",
    "municipality_size",
    "status",
    "source",
    "last_verified",
]


class OrganisationForm(VersionedForm):
    """Members edit their organisation's profile; curators also its classification and status."""

    alternative_names = LinesField(
        label=_("alternative names"), required=False, help_text=_("One name per line (abbreviations, former names).")
    )
    roles = LinesField(label=_("roles in the ecosystem"), required=False, help_text=_("One role per line."))

    class Meta:
        model = Organisation
        fields = CURATOR_FIELDS
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "last_verified": date_input(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_terms(self, TERM_SCHEMES)
        if "located_in" in self.fields:
            qs = Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY).order_by("name")
            if self.instance.pk:
                qs = qs.exclude(pk=self.instance.pk)
            self.fields["located_in"].queryset = qs  # type: ignore[attr-defined]
        if "enterprise_number" in self.fields:
            # Accept the number as people write it ("BE 0123.456.749"); it is stored compact (10 digits).
            number = self.fields["enterprise_number"]
            number.max_length = 20  # type: ignore[attr-defined]
            number.validators = [v for v in number.validators if not isinstance(v, MaxLengthValidator)]
            number.widget.attrs["maxlength"] = 20

    def clean_enterprise_number(self) -> str:
        raw = (self.cleaned_data.get("enterprise_number") or "").strip()
        if not raw:
            return ""
        try:
            number: str = vat.validate(raw)
        except StdnumError:
            raise forms.ValidationError(
                _(
                    "“%(value)s” is not a valid Belgian enterprise number. Enter the 10 digits of the KBO/BCE "
                    "number, e.g. 0123.456.749 (dots, spaces and a BE prefix are allowed)."
                ),
                params={"value": raw},
                code="invalid",
            ) from None
        return number

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        year = cleaned.get("founded_year")
        if year is not None and not 1000 <= year <= 2100:
            self.add_error("founded_year", _("Enter the year the organisation was founded, e.g. 2015."))
        return cleaned


class MemberOrganisationForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = MEMBER_FIELDS


def organisation_form_class(user: Any) -> type[OrganisationForm]:
    return OrganisationForm if is_curator(user) else MemberOrganisationForm


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]


class MergeForm(forms.Form):
    duplicate = forms.SlugField(
        label=_("identifier of the duplicate"),
        help_text=_(
            "The identifier in the duplicate's address (/organisaties/<identifier>/). Its memberships, identifiers, "
            "instruments, contacts and editors move to this organisation; the duplicate is then archived."
        ),
    )

    def __init__(self, *args: Any, keep: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep = keep

    def clean_duplicate(self) -> Organisation:
        slug = self.cleaned_data["duplicate"]
        duplicate = Organisation.objects.live().filter(slug=slug).first()
        if duplicate is None:
            raise forms.ValidationError(_("No live organisation has the identifier “%(slug)s”."), params={"slug": slug})
        if duplicate.pk == self.keep.pk:
            raise forms.ValidationError(_("Choose another organisation than the one you keep."))
        return duplicate
