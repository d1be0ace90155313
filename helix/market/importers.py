"""Bulk loading of challenges and solutions (`manage.py import_market`), e.g. after a reverse-pitching event.

Reuses the import pipeline of helix.core.importing for everything that is not specific to the
marketplace: the guards against hostile files (`check_upload`), the readers (xlsx, JSON, CSV;
row limits), header detection (`detect_layout`), cell parsers (`FieldSpec`s: terms, dates,
amounts, choices) and the report (`ImportPlan`, one `Issue` per problem with sheet, row, column
and reason). What differs from the inventory import, and why it has its own plan and commit:
a challenge's owners are a relation with a role (one lead, co-owners), a solution's references
must be municipalities, and every write goes through helix.market.services so the marketplace's
rules hold for imports as for pages and the API.

The layouts are not registered with the inventory import (`registry`): its web flow and
`import_inventory` do not know owners. See docs/import-formats.md, section "Marketplace".
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.be import vat

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.importing.fields import (
    CellError,
    FieldSpec,
    Index,
    Resolver,
    choice,
    date,
    is_empty,
    references,
    split_list,
    term,
    text,
    text_list,
    to_decimal,
)
from helix.core.importing.guards import CheckedFile
from helix.core.importing.normalise import normalise_municipality, normalise_name
from helix.core.importing.pipeline import (
    Change,
    CommitFailed,
    DetectedSheet,
    ImportPlan,
    Issue,
    RowPlan,
    SheetPlan,
    Status,
    _write_journal,
    detect_layout,
)
from helix.core.importing.readers import read
from helix.core.importing.registry import Layout, RevertTarget, register_revert_target
from helix.core.importing.revert import RevertRefused, RevertReport, revert_batch
from helix.core.models import Term

from . import services
from .choices import ChallengeFormat, ChallengeStatus, OwnerRole, PricingModel
from .models import Challenge, ChallengeOwner, Solution

# --- Organisations: by identifier, enterprise number or name --------------------------------


def live_organisation_index() -> Index:
    """Current (not archived) organisations by slug, enterprise number, names and alternative names."""
    index = Index(fallbacks=(normalise_municipality,))
    rows = Organisation.objects.live().values_list(
        "pk", "slug", "name", "name_nl", "alternative_names", "enterprise_number", "kind"
    )
    for pk, slug, name, name_nl, alternative_names, enterprise_number, kind in rows:
        index.add(
            pk,
            slug=slug,
            label=name,
            names=[name, name_nl, *(alternative_names or [])],
            group=kind,
            enterprise_number=enterprise_number or "",
        )
    return index


_NUMBER = re.compile(r"^(?:BE)?[\s.0-9]{9,14}$", re.IGNORECASE)


def find_organisation(raw: Any, resolver: Resolver, *, municipality: bool = False) -> int:
    """An organisation's pk from its identifier (slug), Belgian enterprise number or exact name."""
    index = resolver.index("organisation")
    value = str(int(raw)).zfill(10) if isinstance(raw, int | float) and not isinstance(raw, bool) else str(raw).strip()
    if _NUMBER.match(value):
        number = re.sub(r"\D", "", value).zfill(10)
        if not vat.is_valid(number):
            raise CellError(_("“%(value)s” is not a valid Belgian enterprise number.") % {"value": raw})
        pk = index.by_key.get("enterprise_number", {}).get(number)
        if pk is None:
            raise CellError(_("No current organisation has the enterprise number %(value)s.") % {"value": number})
    elif municipality:
        try:
            pk = index.find(value, what=_("municipality"), group=OrganisationKind.MUNICIPALITY)
        except CellError:
            index.find(value, what=_("organisation"))  # unknown altogether: say so
            raise CellError(_("“%(value)s” is not a municipality.") % {"value": raw}) from None
    else:
        pk = index.find(value, what=_("organisation"))
    if municipality and index.groups.get(pk) != OrganisationKind.MUNICIPALITY:
        raise CellError(_("“%(value)s” is not a municipality.") % {"value": raw})
    return pk


_THOUSANDS = re.compile(r"^\s*(?:€|EUR)?\s*\d{1,3}(?:\.\d{3})+\s*(?:€|EUR)?\s*$", re.IGNORECASE)


def euros(spec_key: str) -> FieldSpec:
    """An amount in euros; "50.000" is fifty thousand (Dutch thousands separator), not fifty."""

    def parse(raw: Any, _resolver: Resolver) -> Any:
        if isinstance(raw, str) and _THOUSANDS.match(raw):
            raw = re.sub(r"[^0-9]", "", raw)
        return to_decimal(raw)

    return FieldSpec(spec_key, spec_key, parse, empty=lambda: None)


def _show_organisations(value: Any, resolver: Resolver) -> str:
    index = resolver.index("organisation")
    pks = sorted(value) if isinstance(value, frozenset | set | list | tuple) else [value]
    return "; ".join(index.slugs.get(pk, str(pk)) for pk in pks)


def organisation(spec_key: str, attr: str) -> FieldSpec:
    return FieldSpec(spec_key, attr, lambda raw, r: find_organisation(raw, r), empty=lambda: None, show=_show_organisations)


def organisations(spec_key: str, attr: str, *, municipalities: bool = False) -> FieldSpec:
    def parse(raw: Any, resolver: Resolver) -> frozenset[int]:
        found, errors = set(), []
        for item in split_list(raw):
            try:
                found.add(find_organisation(item, resolver, municipality=municipalities))
            except CellError as error:
                errors.append(str(error))
        if errors:
            raise CellError(" ".join(errors))
        return frozenset(found)

    return FieldSpec(spec_key, attr, parse, empty=frozenset, many=True, show=_show_organisations)


# --- What a row may hold ----------------------------------------------------------------------

STATUS_ALIASES = {"concept": "draft", "ontwerp": "draft", "gepubliceerd": "open", "gesloten": "closed", "toegekend": "awarded"}
FORMAT_ALIASES = {"reverse pitching": "reverse_pitch", "uitdaging": "challenge", "groepsaankoop": "group_purchase"}
PRICING_ALIASES = {
    "licentie": "license", "abonnement": "subscription", "per gebruik": "per_use", "opensource": "open_source",
    "op maat": "custom", "offerte": "custom", "onbekend": "unknown",
}  # fmt: skip

# Keys are the list export's column keys (helix.market.tables), so an export imports again.
OWNER_KEYS = ("lead_owner", "co_owners")
ORGANISATION_KEYS = frozenset({"lead_owner", "co_owners", "organisation", "references"})
TERM_KEYS = frozenset({"domains", "sdgs", "roles_needed", "phase_sought", "value_chain_roles", "maturity"})
CHALLENGE_FIELDS: tuple[FieldSpec, ...] = (
    text("slug"),
    text("title"),
    text("title_nl"),
    text("description_nl"),
    text("description_en"),
    organisation("lead_owner", "lead_owner"),
    organisations("co_owners", "co_owners"),
    choice("format", ChallengeFormat, FORMAT_ALIASES),
    choice("status", ChallengeStatus, STATUS_ALIASES),
    references("domains", "domains", "term:domains", what=gettext_lazy("domain")),
    references("sdgs", "sdgs", "term:sdgs", what=gettext_lazy("SDG")),
    references("roles_needed", "value_chain_roles_needed", "term:value-chain-roles", what=gettext_lazy("value-chain role")),
    term("phase_sought", "phases", what=gettext_lazy("phase")),
    euros("budget_min"),
    euros("budget_max"),
    date("deadline"),
    text("source"),
    date("last_verified"),
)
SOLUTION_FIELDS: tuple[FieldSpec, ...] = (
    text("slug"),
    text("title"),
    text("title_nl"),
    text("description_nl"),
    text("description_en"),
    organisation("organisation", "organisation_id"),
    references("domains", "domains", "term:domains", what=gettext_lazy("domain")),
    references("sdgs", "sdgs", "term:sdgs", what=gettext_lazy("SDG")),
    references("value_chain_roles", "value_chain_roles", "term:value-chain-roles", what=gettext_lazy("value-chain role")),
    term("maturity", "phases", what=gettext_lazy("phase")),
    organisations("references", "references", municipalities=True),
    text_list("open_standards"),
    choice("pricing_model", PricingModel, PRICING_ALIASES),
    text("website"),
    text("source"),
    date("last_verified"),
)


def _headers(fields: tuple[FieldSpec, ...], aliases: dict[str, str]) -> dict[str, str]:
    return {spec.key: spec.key for spec in fields} | aliases


CHALLENGE_ALIASES = {
    "identifier": "slug",
    "titel": "title",
    "nederlandse titel": "title_nl",
    "titel nl": "title_nl",
    "beschrijving": "description_nl",
    "omschrijving": "description_nl",
    "beschrijving nl": "description_nl",
    "description": "description_en",
    "beschrijving en": "description_en",
    "lead": "lead_owner",
    "owner": "lead_owner",
    "trekker": "lead_owner",
    "eigenaar": "lead_owner",
    "co-owners": "co_owners",
    "mede-eigenaars": "co_owners",
    "medeeigenaars": "co_owners",
    "formaat": "format",
    "domeinen": "domains",
    "domein": "domains",
    "sdg": "sdgs",
    "value chain roles needed": "roles_needed",
    "gezochte rollen": "roles_needed",
    "rollen": "roles_needed",
    "gezochte fase": "phase_sought",
    "fase": "phase_sought",
    "budget van": "budget_min",
    "budget tot": "budget_max",
    "uiterste datum": "deadline",
    "bron": "source",
    "laatst geverifieerd": "last_verified",
    "published_at": "published_at",
}
CHALLENGE_LAYOUT = Layout(
    name="market-challenges",
    target="challenge",
    headers=_headers(CHALLENGE_FIELDS, CHALLENGE_ALIASES),
    required=frozenset({"title", "lead_owner"}),
    description=gettext_lazy("Marketplace challenges"),
    ignore=frozenset({"published_at"}),  # derived: set when a challenge leaves the draft status
)
SOLUTION_ALIASES = {
    "identifier": "slug",
    "titel": "title",
    "nederlandse titel": "title_nl",
    "titel nl": "title_nl",
    "beschrijving": "description_nl",
    "omschrijving": "description_nl",
    "beschrijving nl": "description_nl",
    "description": "description_en",
    "beschrijving en": "description_en",
    "provider": "organisation",
    "organisatie": "organisation",
    "aanbieder": "organisation",
    "domeinen": "domains",
    "domein": "domains",
    "sdg": "sdgs",
    "rollen": "value_chain_roles",
    "maturiteit": "maturity",
    "referenties": "references",
    "open standaarden": "open_standards",
    "standaarden": "open_standards",
    "prijsmodel": "pricing_model",
    "bron": "source",
    "laatst geverifieerd": "last_verified",
    "is_startup": "is_startup",
}
SOLUTION_LAYOUT = Layout(
    name="market-solutions",
    target="solution",
    headers=_headers(SOLUTION_FIELDS, SOLUTION_ALIASES),
    required=frozenset({"title", "organisation"}),
    description=gettext_lazy("Marketplace solutions"),
    ignore=frozenset({"is_startup"}),  # derived from the registry
)
LAYOUTS = [CHALLENGE_LAYOUT, SOLUTION_LAYOUT]


@dataclass(frozen=True)
class MarketTarget:
    name: str
    model: type[models.Model]
    fields: tuple[FieldSpec, ...]
    owner_key: str  # the organisation column a row is matched within (with the title)

    @property
    def specs(self) -> dict[str, FieldSpec]:
        return {spec.key: spec for spec in self.fields}


TARGETS = {
    "challenge": MarketTarget("challenge", Challenge, CHALLENGE_FIELDS, "lead_owner"),
    "solution": MarketTarget("solution", Solution, SOLUTION_FIELDS, "organisation"),
}


# --- Plan: read, match, validate, diff (writes nothing) ---------------------------------------


@dataclass
class Existing:
    """What matching needs of the records already in Helix."""

    by_slug: dict[str, int]
    by_title: dict[tuple[str, int | None], list[int]]


def _existing(target: MarketTarget) -> Existing:
    by_slug: dict[str, int] = {}
    by_title: dict[tuple[str, int | None], list[int]] = {}
    if target.name == "challenge":
        leads = dict(ChallengeOwner.objects.filter(role=OwnerRole.LEAD).values_list("challenge_id", "organisation_id"))
        rows = [
            (pk, slug, title, title_nl, leads.get(pk))
            for pk, slug, title, title_nl in Challenge.objects.values_list("pk", "slug", "title", "title_nl")
        ]
    else:
        rows = list(Solution.objects.values_list("pk", "slug", "title", "title_nl", "organisation_id"))
    for pk, slug, title, title_nl, owner in rows:
        by_slug[slug] = pk
        for name in {normalise_name(title), normalise_name(title_nl)} - {""}:
            by_title.setdefault((name, owner), []).append(pk)
    return Existing(by_slug, by_title)


def plan_market_import(checked: CheckedFile) -> ImportPlan:
    """Every row of `checked` read, matched to an existing record, validated and compared."""
    resolver = Resolver({"organisation": live_organisation_index})
    plan = ImportPlan(file_name=checked.name, format=checked.format)
    rows: list[tuple[RowPlan, MarketTarget]] = []
    for grid in read(checked):
        detected = detect_layout(grid, LAYOUTS)
        if detected is None:
            plan.sheets.append(SheetPlan(grid.name, None, None, note=_("No recognised header row; sheet skipped.")))
            continue
        target = TARGETS[detected.layout.target]
        header_number, header_cells = grid.rows[detected.header_index]
        sheet = SheetPlan(grid.name, detected.layout.name, target.name, header_row=header_number or None)
        unknown = [str(c).strip() for i, c in enumerate(header_cells) if i not in detected.columns and not is_empty(c)]
        if unknown:
            sheet.note = _("Columns not recognised (ignored): %(columns)s.") % {"columns": ", ".join(unknown)}
        plan.sheets.append(sheet)
        for number, cells in grid.rows[detected.header_index + 1 :]:
            row = _read_row(grid.name, number, cells, detected, target, resolver)
            row.values["__source__"] = f"{plan.file_name} > {grid.name}"
            plan.rows.append(row)
            rows.append((row, target))
    if not any(sheet.layout for sheet in plan.sheets):
        plan.file_errors.append(
            Issue(
                plan.sheets[0].name if plan.sheets else plan.file_name,
                None,
                "",
                _(
                    "No sheet has a recognised header row. A challenges sheet needs the columns title and lead_owner; "
                    "a solutions sheet title and organisation (see docs/import-formats.md, Marketplace)."
                ),
            )
        )
    existing = {name: _existing(target) for name, target in TARGETS.items() if any(t is target for _r, t in rows)}
    claimed: dict[tuple[str, Any], RowPlan] = {}
    for row, target in rows:
        if not row.errors:
            _match(row, target, existing[target.name], claimed)
    _diff(rows, resolver)
    return plan


def _read_row(
    sheet: str, number: int, cells: list[Any], detected: DetectedSheet, target: MarketTarget, resolver: Resolver
) -> RowPlan:
    layout = detected.layout
    row = RowPlan(sheet=sheet, row=number, target=target.name, label="")
    specs = target.specs
    headers = detected.headers
    for position, key in detected.columns.items():
        spec = specs.get(key)
        value = cells[position] if position < len(cells) else None
        if key in layout.ignore or spec is None or is_empty(value):
            continue  # an empty cell leaves the stored value as it is
        try:
            row.values[key] = spec.parse(value, resolver)
        except CellError as error:
            row.errors.append(Issue(sheet, number, headers.get(key, key), str(error)))
    row.values["__headers__"] = headers
    row.label = str(row.values.get("title") or row.values.get("slug") or "")[:200]
    if (
        not row.values.get("title")
        and not row.values.get("slug")
        and not any(i.column == headers.get("title") for i in row.errors)
    ):
        row.errors.append(Issue(sheet, number, headers.get("title", "title"), _("The row has no title.")))
    if row.errors:
        row.status = Status.ERROR
    return row


def _header(row: RowPlan, key: str) -> str:
    return str(row.values["__headers__"].get(key, key))


def _match(row: RowPlan, target: MarketTarget, existing: Existing, claimed: dict[tuple[str, Any], RowPlan]) -> None:
    """The existing record a row updates: by identifier (slug), else by title within the same owner."""
    slug = row.values.get("slug")
    pk: int | None = existing.by_slug.get(slug) if slug else None
    if pk is None and not slug and row.values.get("title"):
        owner = row.values.get(target.owner_key)
        found = existing.by_title.get((normalise_name(row.values["title"]), owner), [])
        if len(found) > 1:
            row.errors.append(
                Issue(row.sheet, row.row, _header(row, "title"), _("Several records have this title; add the slug column."))
            )
        elif found:
            pk = found[0]
    key = (
        ("pk", pk)
        if pk is not None
        else ("new", slug or (normalise_name(row.values.get("title")), row.values.get(target.owner_key)))
    )
    first = claimed.get((target.name, key))
    if first is not None:
        row.errors.append(
            Issue(row.sheet, row.row, "", _("Same record as %(sheet)s row %(row)s.") % {"sheet": first.sheet, "row": first.row})
        )
    claimed[(target.name, key)] = row
    row.pk = pk
    if row.errors:
        row.status = Status.ERROR


def _load(target: MarketTarget, pks: list[int]) -> dict[int, Any]:
    qs = target.model._default_manager.filter(pk__in=pks)
    many = [spec.attr for spec in target.fields if spec.many and spec.key not in OWNER_KEYS]
    if target.name == "challenge":
        qs = qs.prefetch_related("ownerships")
    return {obj.pk: obj for obj in qs.prefetch_related(*many)}


def _current(obj: Any, spec: FieldSpec) -> Any:
    if spec.key == "lead_owner":
        return next((o.organisation_id for o in obj.ownerships.all() if o.role == OwnerRole.LEAD), None)
    if spec.key == "co_owners":
        return frozenset(o.organisation_id for o in obj.ownerships.all() if o.role != OwnerRole.LEAD)
    if spec.many:
        return frozenset(item.pk for item in getattr(obj, spec.attr).all())
    return getattr(obj, spec.attr)


def _diff(rows: list[tuple[RowPlan, MarketTarget]], resolver: Resolver) -> None:
    loaded: dict[str, dict[int, Any]] = {}
    for name, target in TARGETS.items():
        pks = [row.pk for row, t in rows if t is target and row.pk is not None and not row.errors]
        loaded[name] = _load(target, pks) if pks else {}
    for row, target in rows:
        if row.errors:
            continue
        specs = target.specs
        values = {k: v for k, v in row.values.items() if not k.startswith("__")}
        obj = loaded[target.name].get(row.pk) if row.pk is not None else None
        if obj is not None:
            row.instance = obj
            row.label = str(obj)
            for key, new in values.items():
                if key == "slug":
                    continue
                old = _current(obj, specs[key])
                if specs[key].same(old, new):
                    continue
                row.changes.append(
                    Change(key, _header(row, key), specs[key].display(old, resolver), specs[key].display(new, resolver))
                )
                if key in OWNER_KEYS:
                    row.values["__owners__"] = True
                elif specs[key].many:
                    row.m2m_changes[specs[key].attr] = new
                    row.m2m_before[specs[key].attr] = sorted(old)  # for the undo (revert_batch)
                else:
                    row.scalar_changes[specs[key].attr] = new
            row.status = Status.CHANGED if row.changes else Status.UNCHANGED
            candidate = copy.copy(obj)
        else:
            missing = target.owner_key not in values
            if missing:
                row.errors.append(
                    Issue(row.sheet, row.row, _header(row, target.owner_key), _("A new record needs this column filled in."))
                )
            row.changes = [
                Change(k, _header(row, k), "—", specs[k].display(v, resolver))
                for k, v in values.items()
                if v not in ("", frozenset())
            ]
            row.scalar_changes = {specs[k].attr: v for k, v in values.items() if not specs[k].many and k not in OWNER_KEYS}
            row.m2m_changes = {specs[k].attr: v for k, v in values.items() if specs[k].many and k not in OWNER_KEYS}
            row.scalar_changes.setdefault("source", row.values["__source__"])
            row.status = Status.NEW
            candidate = target.model()
            candidate.slug = values.get("slug") or "placeholder"  # type: ignore[attr-defined]
        _validate(row, target, candidate, obj, skip=["organisation"] if obj is None and missing else [])


def _validate(row: RowPlan, target: MarketTarget, candidate: Any, obj: Any, *, skip: list[str]) -> None:
    """The model's own validation (fields and check constraints) of the row's values."""
    for attr, value in row.scalar_changes.items():
        setattr(candidate, attr, value)
    if isinstance(candidate, Challenge) and candidate.status != ChallengeStatus.DRAFT and candidate.published_at is None:
        candidate.published_at = timezone.now()
    if isinstance(candidate, Challenge):
        lead = row.values.get("lead_owner") or (_current(obj, TARGETS["challenge"].specs["lead_owner"]) if obj else None)
        if lead is not None and lead in row.values.get("co_owners", frozenset()):
            row.errors.append(
                Issue(row.sheet, row.row, _header(row, "co_owners"), _("The lead owner is listed as a co-owner too."))
            )
    by_attr = {spec.attr: spec.key for spec in target.fields}
    exclude = [f.name for f in candidate._meta.many_to_many] + skip
    try:
        candidate.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            column = _header(row, by_attr.get(name, by_attr.get(f"{name}_id", name))) if name != "__all__" else ""
            row.errors.extend(Issue(row.sheet, row.row, column, message) for message in messages)
    if row.errors:
        row.status = Status.ERROR


# --- Commit: one transaction, one history batch, through the services --------------------------


IMPORTER = "market"  # on the history context of a marketplace import, so its undo knows its batches


def commit_market_import(plan: ImportPlan, *, user: Any = None) -> str | None:
    """Write every new and changed row in one transaction under one batch id (channel "import").

    Refuses a plan with errors; writes nothing (and returns None) when nothing changes.
    The import is a curator's channel: rights were checked by whoever runs it.
    Undone by `undo_market_import(batch)`: the many-to-many values it replaced are kept on the
    batch's history context (`import_m2m_before`), as the inventory import does.
    """
    if plan.errors:
        raise CommitFailed(plan.errors)
    if not plan.has_writes:
        return None
    journal: dict[str, dict[str, dict[str, list[int]]]] = {}
    try:
        with (
            transaction.atomic(),
            history_context(channel=Channel.IMPORT, user=user, file=plan.file_name, importer=IMPORTER) as batch,
        ):
            organisations = Organisation.objects.in_bulk(_referenced(plan, ORGANISATION_KEYS))
            terms = Term.objects.in_bulk(_referenced(plan, TERM_KEYS))
            for row in plan.rows:
                if row.status not in (Status.NEW, Status.CHANGED):
                    continue
                try:
                    _write(row, organisations, terms)
                except ValidationError as error:
                    raise CommitFailed([Issue(row.sheet, row.row, "", "; ".join(error.messages))]) from error
                if row.status == Status.CHANGED and row.m2m_before:
                    journal.setdefault(row.instance._meta.label_lower, {})[str(row.pk)] = row.m2m_before
            _write_journal(batch, journal)
    except IntegrityError as error:
        raise CommitFailed([Issue(plan.file_name, None, "", str(error).splitlines()[0])]) from error
    plan.batch = batch
    plan.committed = True
    return batch


def _referenced(plan: ImportPlan, keys: frozenset[str]) -> set[int]:
    """Primary keys the rows refer to in these columns (organisations, or terms)."""
    found: set[int] = set()
    for row in plan.rows:
        for key in keys & set(row.values):
            value = row.values[key]
            found |= set(value) if isinstance(value, frozenset) else {value} if isinstance(value, int) else set()
    return found


def _resolve(
    values: dict[str, Any], target: MarketTarget, organisations: dict[int, Any], terms: dict[int, Any]
) -> dict[str, Any]:
    """Scalar changes with foreign keys as objects (the services take objects)."""
    resolved = {}
    for attr, value in values.items():
        if attr.endswith("_id"):
            lookup: dict[int, Any] = organisations if attr == "organisation_id" else terms
            resolved[attr.removesuffix("_id")] = lookup.get(value) if value is not None else None
        else:
            resolved[attr] = value
    return resolved


def _write(row: RowPlan, organisations: dict[int, Any], terms: dict[int, Any]) -> None:
    target = TARGETS[row.target]
    data = _resolve(row.scalar_changes, target, organisations, terms)
    m2m = {
        attr: [(organisations if attr == "references" else terms)[pk] for pk in sorted(pks)]
        for attr, pks in row.m2m_changes.items()
    }
    if target.name == "challenge":
        co_owners = [organisations[pk] for pk in sorted(row.values.get("co_owners", frozenset()))]
        if row.status == Status.NEW:
            lead = organisations[row.values["lead_owner"]]
            row.instance = services.create_challenge(lead=lead, data=data, m2m=m2m, co_owners=co_owners, user=None)
        else:
            challenge = row.instance
            if data or m2m:
                services.update_challenge(challenge=challenge, data=data, m2m=m2m, user=None)
            if row.values.get("__owners__"):
                lead_pk = row.values.get("lead_owner") or _current(challenge, TARGETS["challenge"].specs["lead_owner"])
                if "co_owners" not in row.values:
                    co_owners = [
                        o.organisation
                        for o in challenge.ownerships.all()
                        if o.role != OwnerRole.LEAD and o.organisation_id != lead_pk
                    ]
                services.set_owners(
                    challenge=challenge, lead=Organisation.objects.get(pk=lead_pk), co_owners=co_owners, user=None
                )
    elif row.status == Status.NEW:
        organisation = data.pop("organisation")
        row.instance = services.create_solution(organisation=organisation, data=data, m2m=m2m, user=None)
    else:
        services.update_solution(solution=row.instance, data=data, m2m=m2m, user=None)
    row.pk = row.instance.pk


# --- Undo: the generic revert of helix.core.importing, over the marketplace's models ----------

# Owner links go first and belong to their challenge: an owner added or removed after the import
# counts as a change of the challenge. A created record that something else now refers to (a
# response) is archived instead of deleted.
register_revert_target(RevertTarget(ChallengeOwner, order=40, parent="challenge_id"))
register_revert_target(RevertTarget(Challenge, order=30, keep_referenced=True))
register_revert_target(RevertTarget(Solution, order=30, keep_referenced=True))


def undo_market_import(batch: str, *, user: Any = None) -> RevertReport:
    """Revert every change of the import batch `batch` in one transaction (its own batch, channel
    "import"): created challenges, solutions and owner links are deleted (archived when something
    else now refers to them), updated ones get back their fields, many-to-many values and owners.
    RevertRefused (nothing written) for an unknown batch, a batch of another import, one already
    undone, or one whose records changed after the import."""
    from pghistory.models import Context

    metadata = list(Context.objects.filter(metadata__batch=str(batch)).values_list("metadata", flat=True))
    if metadata and not any(m.get("importer") == IMPORTER for m in metadata):
        raise RevertRefused(
            _("Batch %(batch)s was not written by import_market; undo it where it was made (e.g. import_inventory --revert).")
            % {"batch": batch}
        )
    return revert_batch(batch, user=user)
