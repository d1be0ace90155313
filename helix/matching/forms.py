"""The funding finder's step form (GET: the URL is the query, so every result has a permalink).

Applicants come in rows: the lead applicant uses the plain names (`municipality`,
`organisation`, `applicant_type`), consortium partners the numbered ones (`municipality_2`,
`organisation_2`, ...). In each row a person picks a municipality, or an organisation of the
registry, or a type of applicant (optionally with the municipality where it is located).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.models import Term

from .adapters import APPLICANT_TYPE_SCHEME, DOMAIN_SCHEME, PHASE_SCHEME
from .services import (
    MAX_APPLICANTS,
    MAX_BUDGET,
    MAX_TEXT,
    ApplicantChoice,
    ApplicantNotFound,
    find_municipality,
    find_organisation,
)

ROW_FIELDS = ("municipality", "organisation", "applicant_type")
PROFILE_FIELDS = (*ROW_FIELDS, "domain", "phase", "budget", "text")
MIN_PARTNER_ROWS = 2  # empty partner rows offered below the filled ones
_BUDGET_NOISE = re.compile(r"[\s\u00a0\u202f€.,']")


def row_suffix(index: int) -> str:
    return "" if index == 1 else f"_{index}"


def is_query(data: QueryDict) -> bool:
    """Whether a request asks for results (any profile field present, also numbered ones)."""
    return any(key.split("_")[0] in ("municipality", "organisation", "applicant") or key in PROFILE_FIELDS for key in data)


def _term_choices(scheme: str) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in Term.objects.filter(scheme__slug=scheme).order_by("order", "code")]


def municipality_choices(extra: list[str] | None = None) -> list[tuple[str, str]]:
    """The region's municipalities by name, REFNIS code as value (plus any asked for by code)."""
    qs = Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False)
    wanted = qs.filter(in_region=True)
    if extra:
        wanted = wanted | qs.filter(refnis__in=[e for e in extra if e])
    rows = sorted(wanted.values_list("refnis", "name", "name_nl"), key=lambda r: (r[2] or r[1]).casefold())
    return [(refnis, name_nl or name) for refnis, name, name_nl in rows]


@dataclass
class ApplicantRow:
    """One row of the form as the template shows it."""

    index: int
    municipality: forms.BoundField
    organisation: forms.BoundField
    applicant_type: forms.BoundField
    errors: list[str]

    @property
    def is_lead(self) -> bool:
        return self.index == 1

    @property
    def filled(self) -> bool:
        return any(f.value() for f in (self.municipality, self.organisation, self.applicant_type))


class BudgetField(forms.Field):
    """Whole euros; accepts "250000", "250.000", "€ 250 000"."""

    def to_python(self, value: Any) -> int | None:
        text = _BUDGET_NOISE.sub("", str(value or ""))[:40]
        if not text:
            return None
        if not text.isdigit() or len(text) > 13:
            raise forms.ValidationError(
                _("Enter the budget in whole euros, with digits only, e.g. 250000."), code="invalid_budget"
            )
        amount = int(text)
        if amount > MAX_BUDGET:
            raise forms.ValidationError(
                _("A budget above one trillion euros is not plausible; check the number."), code="too_large"
            )
        return amount


class FundingFinderForm(forms.Form):
    domain = forms.MultipleChoiceField(label=_("Domains"), required=False, widget=forms.CheckboxSelectMultiple)
    phase = forms.ChoiceField(label=_("Phase of the project"), required=False, widget=forms.RadioSelect)
    budget = BudgetField(
        label=_("Budget needed (euros)"),
        required=False,
        help_text=_("The amount you look for, in whole euros, e.g. 250000."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}),
    )
    text = forms.CharField(
        label=_("Describe your project"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("A few sentences in Dutch or English; they are compared with the instruments' descriptions."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    all = forms.BooleanField(label=_("Also show instruments that are not eligible, with what rules them out"), required=False)

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        data = data if data is not None else QueryDict()
        cast(forms.ChoiceField, self.fields["domain"]).choices = _term_choices(DOMAIN_SCHEME)
        cast(forms.ChoiceField, self.fields["phase"]).choices = [("", _("Not sure yet")), *_term_choices(PHASE_SCHEME)]
        types = [("", _("— choose a type —")), *_term_choices(APPLICANT_TYPE_SCHEME)]
        asked = [data.get(f"municipality{row_suffix(i)}", "") for i in range(1, MAX_APPLICANTS + 1)]
        municipalities = [("", _("— choose a municipality —")), *municipality_choices([a for a in asked if a.isdigit()])]
        filled = [i for i in range(1, MAX_APPLICANTS + 1) if any(data.get(f"{n}{row_suffix(i)}") for n in ROW_FIELDS)]
        self.row_count = min(MAX_APPLICANTS, max([1, *filled]) + MIN_PARTNER_ROWS)
        for i in range(1, self.row_count + 1):
            suffix = row_suffix(i)
            self.fields[f"municipality{suffix}"] = forms.ChoiceField(
                label=_("Municipality"), required=False, choices=municipalities
            )
            self.fields[f"organisation{suffix}"] = forms.CharField(
                label=_("Organisation in the registry"),
                required=False,
                max_length=300,
                help_text=_("Its name or identifier, as on its page in Helix."),
            )
            self.fields[f"applicant_type{suffix}"] = forms.ChoiceField(
                label=_("Type of applicant"), required=False, choices=types
            )
        self.choices: list[ApplicantChoice] = []
        self.row_errors: dict[int, list[str]] = {}

    def _row_error(self, index: int, field: str, message: Any) -> None:
        self.add_error(f"{field}{row_suffix(index)}", message)
        self.row_errors.setdefault(index, []).append(str(message))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choices: list[ApplicantChoice] = []
        for i in range(1, self.row_count + 1):
            suffix = row_suffix(i)
            municipality_code = cleaned.get(f"municipality{suffix}") or ""
            organisation_name = (cleaned.get(f"organisation{suffix}") or "").strip()
            applicant_type = cleaned.get(f"applicant_type{suffix}") or ""
            if not (municipality_code or organisation_name or applicant_type):
                continue
            if organisation_name and (municipality_code or applicant_type):
                self._row_error(
                    i,
                    "organisation",
                    _(
                        "An organisation of the registry already says its type and place: "
                        "leave the municipality and the type of applicant empty, or clear the organisation."
                    ),
                )
                continue
            municipality = organisation = None
            try:
                if municipality_code:
                    municipality = find_municipality(municipality_code)
                if organisation_name:
                    organisation = find_organisation(organisation_name)
            except ApplicantNotFound as error:
                if error.code == "unknown_municipality":
                    self._row_error(i, "municipality", _("Choose a municipality from the list."))
                elif error.code == "ambiguous_organisation":
                    self._row_error(
                        i,
                        "organisation",
                        _("Several organisations are called “%(name)s”: type its identifier as on its page (e.g. imec).")
                        % {"name": error.value},
                    )
                else:
                    self._row_error(
                        i,
                        "organisation",
                        _(
                            "No organisation “%(name)s” in the registry: check the spelling, or choose a type of "
                            "applicant instead."
                        )
                        % {"name": error.value},
                    )
                continue
            choices.append(
                ApplicantChoice(organisation=organisation, municipality=municipality, applicant_type=applicant_type or None)
            )
        if not choices and not self.row_errors:
            self._row_error(
                1,
                "municipality",
                _("Tell who applies: choose a municipality, an organisation of the registry or a type of applicant."),
            )
        self.choices = choices
        return cleaned

    def rows(self) -> list[ApplicantRow]:
        return [
            ApplicantRow(
                index=i,
                municipality=self[f"municipality{row_suffix(i)}"],
                organisation=self[f"organisation{row_suffix(i)}"],
                applicant_type=self[f"applicant_type{row_suffix(i)}"],
                errors=self.row_errors.get(i, []),
            )
            for i in range(1, self.row_count + 1)
        ]

    def domain_groups(self) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
        """Top-level domains with their sub-topics, for the grouped checkboxes."""
        terms = Term.objects.filter(scheme__slug=DOMAIN_SCHEME).select_related("broader").order_by("order", "code")
        groups: dict[str, tuple[tuple[str, str], list[tuple[str, str]]]] = {}
        for term in terms:
            if term.broader_id is None:
                groups.setdefault(term.code, ((term.code, term.label), []))
        for term in terms:
            if term.broader is not None and term.broader.code in groups:
                groups[term.broader.code][1].append((term.code, term.label))
        return list(groups.values())

    def selected_domains(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist("domain")) if hasattr(self.data, "getlist") else set()
        return set()
