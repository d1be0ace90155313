"""Write use cases of the project registry. Every entry point (page, API, import, command) calls
these inside `helix.core.history.history_context`; rights are checked here (`user=None` means a
trusted channel, such as a curator's import, whose rights were checked before).

PermissionDenied: the user lacks the right (403). ValidationError: the change breaks a rule
(the message says which); nothing is written then. StaleVersion: someone saved the project
after `expected_version` (409 / the conflict page).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helix.actors.models import Organisation
from helix.actors.services import unique_slug
from helix.core.models import Term
from helix.core.permissions import is_curator
from helix.core.services import archive_record, restore_record, save_record
from helix.instruments.models import Instrument

from .choices import LinkKind
from .models import Project, ProjectContact, ProjectFunding, ProjectLink, ProjectPartner
from .permissions import can_edit_project, can_lead

# Scheme of the terms each taxonomy field takes (helix.core.models.Term).
TERM_SCHEMES = {"domains": "domains", "sdgs": "sdgs", "phase": "phases"}
RESULT_KEYS = ("indicator", "value", "unit")


@dataclass(frozen=True)
class PartnerRow:
    organisation: Organisation
    role: str = ""


@dataclass(frozen=True)
class FundingRow:
    instrument: Instrument
    amount: decimal.Decimal | None = None


@dataclass(frozen=True)
class LinkRow:
    """ "This project <kind> `project`" (stated from this project's side)."""

    kind: str
    project: Project
    note: str = ""


def _deny(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_terms(data: Mapping[str, Any], m2m: Mapping[str, Iterable[Any]]) -> None:
    """Every taxonomy value comes from its own scheme (a domain is not an SDG)."""
    errors: dict[str, str] = {}
    for field, scheme in TERM_SCHEMES.items():
        if field in m2m:
            given = list(m2m[field])
        elif data.get(field) is not None:
            given = [data[field]]
        else:
            continue
        if not all(isinstance(term, Term) for term in given):
            wrong = True
        else:
            ids = {term.pk for term in given}
            wrong = bool(ids) and Term.objects.filter(pk__in=ids, scheme__slug=scheme).count() != len(ids)
        if wrong:
            errors[field] = _("Choose terms of the “%(scheme)s” scheme.") % {"scheme": scheme}
    if errors:
        raise ValidationError(errors)


def _check_live(record: Any, field: str) -> None:
    if record is not None and record.archived_at is not None:
        raise ValidationError({field: _("“%(name)s” is archived; choose a current record.") % {"name": record}})


def clean_results(results: Any) -> list[Any]:
    """Results as a list of {indicator, value, unit} (texts); plain texts are kept as they are."""
    if results in (None, ""):
        return []
    if not isinstance(results, list):
        raise ValidationError({"results": _("Results are a list of indicators with a value and a unit.")})
    cleaned: list[Any] = []
    for item in results:
        if isinstance(item, str):
            if item.strip():
                cleaned.append(item.strip())
            continue
        if not isinstance(item, Mapping) or set(item) - set(RESULT_KEYS):
            raise ValidationError({"results": _("Each result has an indicator, a value and a unit (nothing else).")})
        row = {key: str(item.get(key) if item.get(key) is not None else "").strip() for key in RESULT_KEYS}
        if not row["indicator"]:
            raise ValidationError({"results": _("Each result needs an indicator (what was measured).")})
        cleaned.append(row)
    return cleaned


def _clean_changes(changes: dict[str, Any], current_links: Sequence[str] = ()) -> None:
    if "results" in changes:
        changes["results"] = clean_results(changes["results"])
    if "link_titles" in changes:
        titles = changes["link_titles"] or {}
        if not isinstance(titles, Mapping) or not all(isinstance(v, str) for v in titles.values()):
            raise ValidationError({"link_titles": _("Link titles are texts, one per link.")})
        changes["link_titles"] = {str(url): title.strip() for url, title in titles.items() if title.strip()}
    if "link_titles" in changes:
        links = changes.get("links", current_links) or []
        unknown = set(changes["link_titles"]) - set(links)
        if unknown:
            raise ValidationError(
                {"link_titles": _("A title belongs to a link of the project: %(url)s.") % {"url": min(unknown)}}
            )
    if changes.get("budget") is not None and changes["budget"] < 0:
        raise ValidationError({"budget": _("A budget cannot be negative.")})


def _check_rows(
    project: Project | None,
    partners: Sequence[PartnerRow] | None,
    fundings: Sequence[FundingRow] | None,
    links_to: Sequence[LinkRow] | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if partners is not None:
        seen: set[int] = set()
        for row in partners:
            if row.organisation.archived_at is not None:
                errors.setdefault("partners", []).append(_("“%(name)s” is archived.") % {"name": row.organisation})
            if row.organisation.pk in seen:
                errors.setdefault("partners", []).append(_("“%(name)s” is listed twice.") % {"name": row.organisation})
            seen.add(row.organisation.pk)
            if len(row.role) > 200:
                errors.setdefault("partners", []).append(_("A role has at most 200 characters."))
    if fundings is not None:
        seen = set()
        for funding in fundings:
            if funding.instrument.pk in seen:
                errors.setdefault("funding", []).append(_("“%(name)s” is listed twice.") % {"name": funding.instrument})
            seen.add(funding.instrument.pk)
            if funding.amount is not None and funding.amount < 0:
                errors.setdefault("funding", []).append(_("An amount cannot be negative."))
    if links_to is not None:
        pairs: set[tuple[str, int]] = set()
        for link in links_to:
            if link.kind not in LinkKind.values:
                errors.setdefault("links_to", []).append(_("Unknown kind of link “%(kind)s”.") % {"kind": link.kind})
            if project is not None and link.project.pk == project.pk:
                errors.setdefault("links_to", []).append(_("A project cannot link to itself."))
            if (link.kind, link.project.pk) in pairs:
                errors.setdefault("links_to", []).append(_("“%(name)s” is linked twice the same way.") % {"name": link.project})
            pairs.add((link.kind, link.project.pk))
    if errors:
        raise ValidationError(errors)


def _set_partners(project: Project, rows: Sequence[PartnerRow]) -> None:
    wanted = {row.organisation.pk: row.role.strip() for row in rows}
    for current in ProjectPartner.objects.filter(project=project):
        if current.organisation_id not in wanted:
            current.delete()
        else:
            role = wanted.pop(current.organisation_id)
            if current.role != role:
                current.role = role
                current.save(update_fields=["role"])
    for organisation_id, role in wanted.items():
        ProjectPartner.objects.create(project=project, organisation_id=organisation_id, role=role)


def _set_fundings(project: Project, rows: Sequence[FundingRow]) -> None:
    wanted = {row.instrument.pk: row.amount for row in rows}
    for current in ProjectFunding.objects.filter(project=project):
        if current.instrument_id not in wanted:
            current.delete()
        else:
            amount = wanted.pop(current.instrument_id)
            if current.amount != amount:
                current.amount = amount
                current.save(update_fields=["amount"])
    for instrument_id, amount in wanted.items():
        ProjectFunding.objects.create(project=project, instrument_id=instrument_id, amount=amount)


def _set_links(project: Project, rows: Sequence[LinkRow]) -> None:
    """Links stated from this project's side; links other projects state to it stay theirs."""
    wanted = {(row.kind, row.project.pk): row.note.strip() for row in rows}
    for current in ProjectLink.objects.filter(from_project=project):
        key = (current.kind, current.to_project_id)
        if key not in wanted:
            current.delete()
        else:
            note = wanted.pop(key)
            if current.note != note:
                current.note = note
                current.save(update_fields=["note"])
    for (kind, to_project_id), note in wanted.items():
        ProjectLink.objects.create(from_project=project, to_project_id=to_project_id, kind=kind, note=note)


def _forget_prefetched(project: Project) -> None:
    cache = getattr(project, "_prefetched_objects_cache", None)
    if cache:
        for name in ("partnerships", "fundings", "links_out"):
            cache.pop(name, None)


def _write_rows(
    project: Project,
    partners: Sequence[PartnerRow] | None,
    fundings: Sequence[FundingRow] | None,
    links_to: Sequence[LinkRow] | None,
) -> None:
    if partners is not None:
        _set_partners(project, partners)
    if fundings is not None:
        _set_fundings(project, fundings)
    if links_to is not None:
        _set_links(project, links_to)
    _forget_prefetched(project)


@transaction.atomic
def create_project(
    *,
    data: Mapping[str, Any],
    user: Any,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    partners: Sequence[PartnerRow] | None = None,
    fundings: Sequence[FundingRow] | None = None,
    links_to: Sequence[LinkRow] | None = None,
) -> Project:
    """A new project. Members create projects led by an organisation they edit."""
    changes = dict(data)
    m2m = dict(m2m or {})
    lead = changes.get("lead")
    if user is not None:
        _deny(lead is not None and can_lead(user, lead.pk), _("You may only add projects led by an organisation you edit."))
    _check_live(lead, "lead")
    _clean_changes(changes)
    _check_terms(changes, m2m)
    _check_rows(None, partners, fundings, links_to)
    slug = changes.pop("slug", None) or unique_slug(Project, str(changes.get("title", "")))
    project = save_record(Project(slug=slug), changes=changes, m2m=m2m, user=None)  # rights checked above
    _write_rows(project, partners, fundings, links_to)
    return project


@transaction.atomic
def update_project(
    *,
    project: Project,
    data: Mapping[str, Any],
    user: Any,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    partners: Sequence[PartnerRow] | None = None,
    fundings: Sequence[FundingRow] | None = None,
    links_to: Sequence[LinkRow] | None = None,
    expected_version: int | None = None,
) -> Project:
    """Save an edit; relations given as None stay as they are. The version goes up once per save."""
    changes = dict(data)
    changes.pop("slug", None)
    m2m = dict(m2m or {})
    if user is not None:
        _deny(can_edit_project(user, project), _("Only the lead organisation's editors may edit this project."))
        if "lead" in changes and (changes["lead"].pk if changes["lead"] else None) != project.lead_id:
            new_lead = changes["lead"]
            _deny(
                new_lead is not None and can_lead(user, new_lead.pk),
                _("You may only hand a project over to an organisation you edit."),
            )
    if "lead" in changes and changes["lead"] is not None and changes["lead"].pk != project.lead_id:
        _check_live(changes["lead"], "lead")
    if "links" in changes and "link_titles" not in changes:
        changes["link_titles"] = {url: title for url, title in (project.link_titles or {}).items() if url in changes["links"]}
    _clean_changes(changes, project.links)
    _check_terms(changes, m2m)
    _check_rows(project, partners, fundings, links_to)
    project = save_record(project, changes=changes, m2m=m2m, user=None, expected_version=expected_version)
    _write_rows(project, partners, fundings, links_to)
    return project


@transaction.atomic
def archive_project(*, project: Project, user: Any) -> None:
    if user is not None:
        _deny(can_edit_project(user, project), _("Only the lead organisation's editors may archive this project."))
    archive_record(project)


@transaction.atomic
def restore_project(*, project: Project, user: Any) -> None:
    if user is not None:
        _deny(is_curator(user), _("Only curators may restore records."))
    restore_record(project)


@transaction.atomic
def set_contact(*, project: Project, name: str, email: str = "", phone: str = "", user: Any) -> ProjectContact | None:
    """The project's contact person (members only); an empty name removes it."""
    if user is not None:
        _deny(can_edit_project(user, project), _("Only the lead organisation's editors may change the contact."))
    name, email, phone = name.strip(), email.strip(), phone.strip()
    current = ProjectContact.objects.filter(project=project).first()
    if not name:
        if email or phone:
            raise ValidationError({"contact_name": _("Give the contact person's name too.")})
        if current is not None:
            current.delete()
        return None
    contact = current or ProjectContact(project=project)
    contact.name, contact.email, contact.phone = name, email, phone
    try:
        contact.full_clean(exclude=["project"])
    except ValidationError as error:
        raise ValidationError({f"contact_{field}": messages for field, messages in error.message_dict.items()}) from error
    contact.save()
    return contact
