"""Forms of the marketplace pages. Validation is the model's plus clear, field-specific messages;
writes go through helix.market.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.actors.forms import LinesField, VersionedForm, limit_terms
from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.widgets import date_input

from .choices import ResponseOutcome
from .models import Challenge, Solution

CHALLENGE_TERMS = {
    "domains": "domains",
    "sdgs": "sdgs",
    "value_chain_roles_needed": "value-chain-roles",
    "phase_sought": "phases",
}
SOLUTION_TERMS = {"domains": "domains", "sdgs": "sdgs", "value_chain_roles": "value-chain-roles", "maturity": "phases"}
CURATOR_ONLY = ["source", "last_verified"]


def find_organisation(text: str, *, kind: str | None = None) -> Organisation:
    """A current organisation by its identifier (slug) or its exact name; ValidationError otherwise."""
    text = text.strip()
    live = Organisation.objects.live()
    if kind:
        live = live.filter(kind=kind)
    found = list(live.filter(slug=text)[:1]) or list(
        live.filter(Q(name__iexact=text) | Q(name_nl__iexact=text)).order_by("-in_region", "name")[:2]
    )
    if not found:
        raise forms.ValidationError(
            _("No organisation is called “%(text)s”. Use its exact name or its identifier (the last part of its address)."),
            params={"text": text},
        )
    if len(found) > 1 and found[0].in_region == found[1].in_region:
        raise forms.ValidationError(
            _("Several organisations are called “%(text)s”; use the identifier (the last part of its address)."),
            params={"text": text},
        )
    return found[0]


def _member_organisations(user: Any) -> Any:
    return Organisation.objects.live().filter(pk__in=organisation_ids_for(user)).order_by("name")


class OrganisationChoice(forms.ModelChoiceField):
    """Members choose among the organisations they edit; curators type any identifier."""

    def __init__(self, *, user: Any, **kwargs: Any) -> None:
        if is_curator(user):
            kwargs.setdefault("help_text", _("Identifier of the organisation (the last part of its address)."))
            super().__init__(queryset=Organisation.objects.live(), to_field_name="slug", widget=forms.TextInput, **kwargs)
        else:
            super().__init__(queryset=_member_organisations(user), empty_label=None, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


# --- Challenges -------------------------------------------------------------------------------


class ChallengeForm(VersionedForm):
    """Describe the problem, not a product: what is needed, for whom, by when, for how much."""

    class Meta:
        model = Challenge
        fields = [
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            "format",
            "domains",
            "sdgs",
            "value_chain_roles_needed",
            "phase_sought",
            "budget_min",
            "budget_max",
            "deadline",
            *CURATOR_ONLY,
        ]
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "deadline": date_input(),
            "last_verified": date_input(),
        }
        help_texts = {
            "description_nl": _("The problem as the municipality sees it: the situation, who suffers from it, what is tried."),
            "budget_min": _("In euros; leave empty when not known."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_terms(self, CHALLENGE_TERMS)
        self.fields["phase_sought"].empty_label = _("Not stated")  # type: ignore[attr-defined]
        if not is_curator(user):
            for name in CURATOR_ONLY:
                self.fields.pop(name, None)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        low, high = cleaned.get("budget_min"), cleaned.get("budget_max")
        for name in ("budget_min", "budget_max"):
            if cleaned.get(name) is not None and cleaned[name] < 0:
                self.add_error(name, _("A budget cannot be negative."))
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper bound must be at least the lower bound (%(min)s).") % {"min": low})
        return cleaned


class ChallengeCreateForm(ChallengeForm):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields = {
            "lead": OrganisationChoice(
                user=user,
                label=_("Published by"),
                help_text=_("The lead owner. Other municipalities can join as co-owners after saving (a joint challenge)."),
            ),
            **self.fields,
        }


class CoOwnerForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        help_text=_("Its exact name (e.g. Leuven) or its identifier (the last part of its address)."),
    )

    def clean_organisation(self) -> Organisation:
        return find_organisation(self.cleaned_data["organisation"])


# --- Solutions --------------------------------------------------------------------------------


class MunicipalitiesField(LinesField):
    """Municipalities, one per line, by name or identifier."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and value and isinstance(value[0], Organisation):
            return "\n".join(str(o) for o in value)
        if isinstance(value, list | tuple) and value and isinstance(value[0], int):
            return "\n".join(str(o) for o in Organisation.objects.filter(pk__in=value).order_by("name"))
        return super().prepare_value(value)

    def clean(self, value: Any) -> list[Organisation]:
        lines = super().clean(value)
        found, errors = [], []
        for line in lines:
            try:
                found.append(find_organisation(line, kind=OrganisationKind.MUNICIPALITY))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(found))


class SolutionForm(VersionedForm):
    open_standards = LinesField(
        label=_("open standards"), required=False, help_text=_("One per line, e.g. OSLO, NGSI-LD, DCAT-AP.")
    )
    references = MunicipalitiesField(
        label=_("references"),
        required=False,
        help_text=_("Municipalities where the solution runs, one per line (name or identifier)."),
    )

    class Meta:
        model = Solution
        fields = [
            "organisation",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            "domains",
            "sdgs",
            "value_chain_roles",
            "maturity",
            "references",
            "open_standards",
            "pricing_model",
            "website",
            *CURATOR_ONLY,
        ]
        widgets = {
            "description_nl": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "last_verified": date_input(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_terms(self, SOLUTION_TERMS)
        self.fields["maturity"].empty_label = _("Not stated")  # type: ignore[attr-defined]
        self.fields["organisation"] = OrganisationChoice(user=user, label=_("provider"))
        if self.instance.pk and not self.is_bound:
            self.initial["references"] = list(self.instance.references.order_by("name"))
            if is_curator(user):
                self.initial["organisation"] = self.instance.organisation.slug
        if not is_curator(user):
            for name in CURATOR_ONLY:
                self.fields.pop(name, None)


# --- Responses --------------------------------------------------------------------------------


class RespondForm(forms.Form):
    solution = forms.ModelChoiceField(
        queryset=Solution.objects.none(),
        label=_("Your solution"),
        empty_label=None,
        help_text=_("One of the solutions of an organisation you edit."),
    )
    proposal = forms.CharField(
        label=_("Proposal"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "How your solution answers this challenge: approach, references, indicative price (at most 5000 characters)."
        ),
    )

    def __init__(self, *args: Any, solutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["solution"]
        field.queryset = solutions  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s} ({s.organisation})"  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ResponseOutcome.choices)
