"""Forms of the project edit pages. Rows of a relation (partners with roles, funding with amounts,
results, links with titles, typed links to other projects) are typed one per line, with the parts
separated by a vertical bar "|": plain text fields that work with any keyboard and screen reader.
Validation is the model's plus clear, line-specific messages; writes go through
helix.projects.services."""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helix.actors.forms import LinesField, VersionedForm, limit_terms
from helix.actors.models import Organisation
from helix.core.importing.fields import CellError, to_decimal
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.widgets import date_input
from helix.instruments.models import Instrument

from .choices import LinkKind
from .models import Project
from .services import FundingRow, LinkRow, PartnerRow

SEPARATOR = "|"
TERMS = {"domains": "domains", "sdgs": "sdgs", "phase": "phases"}
CURATOR_ONLY = ["source", "last_verified"]
FIELDS = [
    "title",
    "title_nl",
    "summary_nl",
    "summary_en",
    "project_type",
    "lead",
    "places",
    "area",
    "domains",
    "sdgs",
    "status",
    "phase",
    "start_date",
    "end_date",
    "period_text",
    "budget",
    "objectives",
    "success_factors",
    "lessons",
    "risks",
    "notes",
    *CURATOR_ONLY,
]


# Each relation next to what it belongs with; the contact person last.
FORM_ORDER = [
    "title",
    "title_nl",
    "summary_nl",
    "summary_en",
    "project_type",
    "lead",
    "partners",
    "places",
    "area",
    "domains",
    "sdgs",
    "status",
    "phase",
    "start_date",
    "end_date",
    "period_text",
    "budget",
    "funding",
    "objectives",
    "results",
    "success_factors",
    "lessons",
    "risks",
    "web_links",
    "project_links",
    "notes",
    *CURATOR_ONLY,
    "contact_name",
    "contact_email",
    "contact_phone",
]


def parts(line: str, count: int) -> list[str]:
    """A line split on "|" into exactly `count` trimmed parts (missing ones empty; the last keeps any "|")."""
    pieces = [p.strip() for p in line.split(SEPARATOR, count - 1)]
    return pieces + [""] * (count - len(pieces))


def _one(queryset: QuerySet[Any], text: str, names: Iterable[str], what: str) -> Any:
    """A record by its identifier (slug) or exact name; ValidationError when unknown or ambiguous."""
    found = list(queryset.filter(slug=text)[:1])
    if not found:
        match = Q()
        for name in names:
            match |= Q(**{f"{name}__iexact": text})
        found = list(queryset.filter(match)[:2])
    if not found:
        raise forms.ValidationError(
            _("No %(what)s is called “%(text)s”. Use its exact name or its identifier (the last part of its address)."),
            params={"what": what, "text": text},
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("Several records are called “%(text)s”; use the identifier (the last part of its address)."),
            params={"text": text},
        )
    return found[0]


def find_organisation(text: str) -> Organisation:
    organisation: Organisation = _one(Organisation.objects.live(), text, ("name", "name_nl"), str(_("organisation")))
    return organisation


def find_instrument(text: str) -> Instrument:
    instrument: Instrument = _one(Instrument.objects.all(), text, ("title", "title_nl"), str(_("instrument")))
    return instrument


def find_project(text: str) -> Project:
    project: Project = _one(Project.objects.live(), text, ("title", "title_nl"), str(_("project")))
    return project


def find_link_kind(text: str) -> str:
    """A kind of link by its code or its label (Dutch or English), e.g. "scales_up" or "scales up"."""
    folded = text.strip().lower().replace("_", " ")
    for kind in LinkKind:
        if folded in {kind.value.replace("_", " "), str(kind.label).lower()}:
            return str(kind.value)
    allowed = ", ".join(LinkKind.values)
    raise forms.ValidationError(
        _("Unknown kind of link “%(text)s”; use one of: %(allowed)s."), params={"text": text, "allowed": allowed}
    )


class RowsField(LinesField):
    """One row per line, parsed by `parse_line`; every bad line is reported with its number."""

    widget = forms.Textarea(attrs={"rows": 4})

    def parse_line(self, line: str) -> Any:
        raise NotImplementedError

    def show(self, item: Any) -> str:
        return str(item)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(item if isinstance(item, str) else self.show(item) for item in value)
        return value

    def clean(self, value: Any) -> list[Any]:
        lines = super().clean(value)
        found: list[Any] = []
        errors: list[str] = []
        for number, line in enumerate(lines, start=1):
            try:
                found.append(self.parse_line(line))
            except forms.ValidationError as error:
                errors.extend(_("Line %(number)s: %(error)s") % {"number": number, "error": m} for m in error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return found


class PartnersField(RowsField):
    def parse_line(self, line: str) -> PartnerRow:
        name, role = parts(line, 2)
        return PartnerRow(find_organisation(name), role)

    def show(self, item: Any) -> str:
        return f"{item.organisation.slug} | {item.role}" if item.role else item.organisation.slug


class PlacesField(RowsField):
    def parse_line(self, line: str) -> Organisation:
        return find_organisation(line)

    def show(self, item: Any) -> str:
        return item.slug if isinstance(item, Organisation) else str(item)

    def clean(self, value: Any) -> list[Any]:
        return list(dict.fromkeys(super().clean(value)))


class FundingField(RowsField):
    def parse_line(self, line: str) -> FundingRow:
        name, amount = parts(line, 2)
        try:
            value = to_decimal(amount) if amount else None
        except CellError as error:
            raise forms.ValidationError(str(error)) from None
        return FundingRow(find_instrument(name), value)

    def show(self, item: Any) -> str:
        return f"{item.instrument.slug} | {item.amount}" if item.amount is not None else item.instrument.slug


class ResultsField(RowsField):
    def parse_line(self, line: str) -> Any:
        if SEPARATOR not in line:
            return line  # a result stated as text (as the study does) stays text
        indicator, value, unit = parts(line, 3)
        if not indicator:
            raise forms.ValidationError(_("Name the indicator before the first “|”."))
        return {"indicator": indicator, "value": value, "unit": unit}

    def show(self, item: Any) -> str:
        if isinstance(item, dict):
            return " | ".join(str(item.get(k) or "") for k in ("indicator", "value", "unit")).rstrip(" |")
        return str(item)


class WebLinksField(RowsField):
    """Links and documents: "URL | title" per line (the title is optional)."""

    validate_url = URLValidator(schemes=["http", "https"])

    def parse_line(self, line: str) -> tuple[str, str]:
        url, title = parts(line, 2)
        try:
            self.validate_url(url)
        except forms.ValidationError:
            raise forms.ValidationError(_("“%(url)s” is not a web address (https://…)."), params={"url": url}) from None
        if len(url) > 500:
            raise forms.ValidationError(_("A web address has at most 500 characters."))
        return url, title

    def show(self, item: Any) -> str:
        url, title = item
        return f"{url} | {title}" if title else url


class ProjectLinksField(RowsField):
    """Typed links to other projects: "kind | project | note" per line (the note is optional)."""

    def parse_line(self, line: str) -> LinkRow:
        kind, name, note = parts(line, 3)
        if not name:
            raise forms.ValidationError(_("Write the kind of link, a “|”, then the project."))
        return LinkRow(find_link_kind(kind), find_project(name), note)

    def show(self, item: Any) -> str:
        text = f"{item.kind} | {item.project.slug}"
        return f"{text} | {item.note}" if item.note else text


def _lead_field(form: forms.ModelForm, user: Any) -> None:
    lead: Any = form.fields["lead"]
    if is_curator(user):
        lead.queryset = Organisation.objects.live()
        lead.to_field_name = "slug"
        lead.widget = forms.TextInput()
        lead.help_text = _("Identifier of the lead organisation (the last part of its address).")
        if form.instance.pk and form.instance.lead_id and not form.is_bound:
            form.initial["lead"] = form.instance.lead.slug
    else:
        # Members lead projects only with organisations they edit.
        lead.queryset = Organisation.objects.live().filter(pk__in=organisation_ids_for(user)).order_by("name")
        lead.required = True
        lead.empty_label = None


class ProjectForm(VersionedForm):
    """Everything a project page shows, plus its contact person (shown to signed-in members only)."""

    places = PlacesField(
        label=_("places"),
        required=False,
        help_text=_("Municipalities (or cities abroad), one per line: identifier or exact name."),
    )
    partners = PartnersField(
        label=_("partners"),
        required=False,
        help_text=_("One per line: organisation | role, e.g. “imec | research partner”. The role is optional."),
    )
    funding = FundingField(
        label=_("funding"),
        required=False,
        help_text=_("One per line: instrument | amount in euros, e.g. “city-of-things-call | 150000”. The amount is optional."),
    )
    results = ResultsField(
        label=_("results"),
        required=False,
        help_text=_("One indicator per line: indicator | value | unit, e.g. “sensors installed | 40 | sensors”."),
    )
    web_links = WebLinksField(
        label=_("links and documents"),
        required=False,
        help_text=_("One per line: web address | title, e.g. “https://example.org/report.pdf | Final report”."),
    )
    project_links = ProjectLinksField(
        label=_("linked projects"),
        required=False,
        help_text=_(
            "One per line: kind | project | note. Kinds: replicates, scales up, follow-up of, inspired by, "
            "joint with, related. The note is optional."
        ),
    )
    contact_name = forms.CharField(
        label=_("contact person"), max_length=200, required=False, help_text=_("Shown only to signed-in members.")
    )
    contact_email = forms.EmailField(label=_("contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=40, required=False)

    class Meta:
        model = Project
        fields = FIELDS
        widgets = {
            "summary_nl": forms.Textarea(attrs={"rows": 5}),
            "summary_en": forms.Textarea(attrs={"rows": 5}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "success_factors": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "start_date": date_input(),
            "end_date": date_input(),
            "last_verified": date_input(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_terms(self, TERMS)
        self.fields["phase"].empty_label = _("Not stated")  # type: ignore[attr-defined]
        _lead_field(self, user)
        if not is_curator(user):
            for name in CURATOR_ONLY:
                self.fields.pop(name, None)
        self.order_fields(FORM_ORDER)
        project = self.instance
        if project.pk and not self.is_bound:
            self.initial.update(
                places=list(project.places.order_by("name")),
                partners=[PartnerRow(p.organisation, p.role) for p in project.partnerships.select_related("organisation")],
                funding=[FundingRow(f.instrument, f.amount) for f in project.fundings.select_related("instrument")],
                results=list(project.results) if isinstance(project.results, list) else [project.results],
                web_links=[(url, (project.link_titles or {}).get(url, "")) for url in project.links],
                project_links=[LinkRow(lk.kind, lk.to_project, lk.note) for lk in project.links_out.select_related("to_project")],
            )
            contact = getattr(project, "contact", None)
            if contact is not None:
                self.initial.update(contact_name=contact.name, contact_email=contact.email, contact_phone=contact.phone)

    def clean_budget(self) -> decimal.Decimal | None:
        budget: decimal.Decimal | None = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError(_("A budget cannot be negative."))
        return budget

    def project_changes(self) -> dict[str, Any]:
        """Keyword arguments for services.create_project / update_project."""
        data, m2m = self.model_changes()
        cleaned = self.cleaned_data
        links = cleaned.get("web_links", [])
        data["results"] = cleaned.get("results", [])
        data["links"] = [url for url, _title in links]
        data["link_titles"] = {url: title for url, title in links if title}
        return {
            "data": data,
            "m2m": m2m,
            "partners": cleaned.get("partners", []),
            "fundings": cleaned.get("funding", []),
            "links_to": cleaned.get("project_links", []),
        }

    def contact(self) -> dict[str, str]:
        return {
            "name": self.cleaned_data.get("contact_name", ""),
            "email": self.cleaned_data.get("contact_email", ""),
            "phone": self.cleaned_data.get("contact_phone", ""),
        }
