"""ORM -> matching-engine types: the only place where Django objects become engine input.

The engine (`helix.matching.engine`) is pure Python and sees codes only. This module reads the
registry and builds its frozen dataclasses:

- `instrument_profiles(queryset)`: instruments as `InstrumentProfile`s, in a fixed number of
  queries (one for the rows, one per many-to-many relation, one for the domain tree), whatever
  the number of instruments;
- `applicant_from_organisation(org)`, `applicant_of_type(code, municipality=...)`: applicants;
- `funding_catalogue()`: the engine's `FundingIndex` over every live instrument, built once per
  process and data version (see below), with what the pages need to show the results.

Readings (documented in docs/data-model.md, "Funding finder"):

- Applicant types of an organisation follow from its kind (`APPLICANT_TYPES_BY_KIND`), for
  governments and intermediaries from its sub-kind or helix role, for companies from the size
  class (micro/small/medium: also "sme") and sub-kind (start-up/scale-up: also "start-up"). The
  engine knows that a start-up is an SME and a company (`engine.funding.TYPE_IMPLIES`).
- Areas of an applicant: its municipality's REFNIS code, province, region and country ("be"), and
  the named areas the municipality belongs to (`NAMED_AREAS`, e.g. the Kempen); an organisation
  lies where its municipality (`located_in`) or else its province lies; a foreign one in its
  country. The size class is the municipality's `municipality_size` (municipalities only).
- Domains are matched on the taxonomy tree: a domain stands for its sub-topics too, on both
  sides (an instrument for "Smart Environment" fits a project on waste management, and a project
  in "Smart Environment" fits an instrument for waste management), but two different sub-topics
  of one domain do not match.
- `supports`: a matchmaking/support instrument supports the financial instruments of its
  programme tree (its nearest financial ancestor and that ancestor's financial descendants, and
  its own financial descendants: NCP Flanders under Horizon 2020 supports Horizon 2020), and the
  financial instruments offered by the same organisation under the same umbrella programme (PIO's
  guidance supports PIO's co-financing).
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from helix.actors.choices import CompanySize, OrganisationKind
from helix.actors.models import Organisation, Province, Region
from helix.core.listing import data_version
from helix.core.loaders.vocabularies import (
    BELGIUM,
    BRUSSELS_REGION,
    COUNTRY_AREAS,
    NAMED_AREAS,
    named_areas_of,
)
from helix.core.models import Term
from helix.instruments.choices import InstrumentKind
from helix.instruments.models import Instrument

from .engine.types import Applicant, InstrumentProfile

DOMAIN_SCHEME = "domains"
APPLICANT_TYPE_SCHEME = "applicant-types"
PHASE_SCHEME = "phases"

# Organisation kind -> applicant types (kinds that depend on more are handled in _types_of).
APPLICANT_TYPES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.MUNICIPALITY: ("municipality",),
    OrganisationKind.FOREIGN_CITY: ("municipality",),
    OrganisationKind.INTERCOMMUNALE: ("intercommunale",),
    OrganisationKind.KNOWLEDGE_INSTITUTION: ("knowledge-institution",),
    OrganisationKind.COMPANY: ("company",),
}
# Government sub-kinds that are local rather than Flemish/federal government.
LOCAL_GOVERNMENT_SUBKINDS = frozenset(
    {"port_authority", "city_ict_partner", "province", "ocmw", "police_zone", "autonomous_municipal_company"}
)
# Helix role -> applicant type, for intermediaries, networks and foreign organisations.
APPLICANT_TYPES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "government": ("regional-government",),
    "municipality": ("intercommunale",),  # associations of local governments
    "academia": ("knowledge-institution",),
    "business": ("non-profit",),  # clusters, networks, incubators: mostly non-profit associations
    "civil_society": ("non-profit",),
}
FOREIGN_TYPES_BY_ROLE: dict[str, tuple[str, ...]] = {
    **APPLICANT_TYPES_BY_ROLE,
    "business": ("company",),
    "municipality": ("municipality",),
}
# English names of the regions and provinces (the reference data hold Dutch and French ones).
REGION_NAMES_EN = {"02000": "Flemish Region", "03000": "Walloon Region", "04000": "Brussels-Capital Region"}
PROVINCE_NAMES_EN = {
    "10000": "Antwerp",
    "20001": "Flemish Brabant",
    "20002": "Walloon Brabant",
    "30000": "West Flanders",
    "40000": "East Flanders",
    "50000": "Hainaut",
    "60000": "Liège",
    "70000": "Limburg",
    "80000": "Luxembourg",
    "90000": "Namur",
}
SME_SIZES = frozenset({CompanySize.MICRO, CompanySize.SMALL, CompanySize.MEDIUM})
START_UP_SUBKINDS = frozenset({"start-up", "startup", "start_up", "scale-up", "scaleup", "scale_up"})


# --- Applicants --------------------------------------------------------------------------------


def _types_of(org: Organisation) -> frozenset[str]:
    kind = org.kind
    subkind = (org.subkind or "").strip().lower()
    if kind == OrganisationKind.GOVERNMENT:
        types: tuple[str, ...] = ("other-local-government",) if subkind in LOCAL_GOVERNMENT_SUBKINDS else ("regional-government",)
    elif kind == OrganisationKind.COMPANY:
        codes = ["company"]
        if org.size_class in SME_SIZES:
            codes.append("sme")
        if subkind in START_UP_SUBKINDS:
            codes.append("start-up")
        types = tuple(codes)
    elif kind == OrganisationKind.FOREIGN_ORGANISATION:
        types = FOREIGN_TYPES_BY_ROLE.get(org.helix_role, ())
    elif kind in APPLICANT_TYPES_BY_KIND:
        types = APPLICANT_TYPES_BY_KIND[kind]
    else:  # intermediaries, networks and programmes
        types = APPLICANT_TYPES_BY_ROLE.get(org.helix_role, ("non-profit",))
    return frozenset(types)


def _province_areas(province: Province | None) -> set[str]:
    if province is None:
        return set()
    region: Region | None = province.region
    return {province.refnis, region.refnis} if region is not None else {province.refnis}


def municipality_areas(municipality: Organisation) -> frozenset[str]:
    """A municipality's areas: its REFNIS code, province, region, country and named areas."""
    areas = _province_areas(municipality.province)
    refnis = municipality.refnis
    if refnis:
        areas.add(refnis)
        areas.update(named_areas_of(refnis))
        if refnis.startswith("21"):  # the 19 Brussels municipalities belong to no province
            areas.add(BRUSSELS_REGION)
    country = (municipality.country or "").lower()
    if country:
        areas.add(country)
    elif refnis or municipality.province_id:
        areas.add(BELGIUM)
    if not refnis and municipality.located_in_id and municipality.located_in is not None:
        areas |= municipality_areas(municipality.located_in)
    return frozenset(areas)


# Organisations the registry knows only by their registered seat: they may have establishments
# (branches, campuses) in other areas, so a territorial rule they fail by seat is "unknown".
SEATED_KINDS = frozenset(
    {OrganisationKind.COMPANY, OrganisationKind.KNOWLEDGE_INSTITUTION, OrganisationKind.FOREIGN_ORGANISATION}
)


def _areas_of(org: Organisation) -> frozenset[str]:
    if org.kind == OrganisationKind.MUNICIPALITY:
        return municipality_areas(org)
    if org.located_in_id and org.located_in is not None:
        return municipality_areas(org.located_in)
    areas = _province_areas(org.province)
    country = (org.country or "").lower()
    if country and country != "eu":
        areas.add(country)
    elif areas:
        areas.add(BELGIUM)
    return frozenset(areas)


def applicant_from_organisation(org: Organisation) -> Applicant:
    """The applicant an organisation of the registry is. Load it with `applicant_queryset()`
    (province, region and located_in in the same query)."""
    return Applicant(
        applicant_types=_types_of(org),
        size_class=(org.municipality_size or None) if org.kind == OrganisationKind.MUNICIPALITY else None,
        areas=_areas_of(org),
        organisation_id=org.pk,
        areas_complete=org.kind not in SEATED_KINDS,
    )


def applicant_of_type(code: str, *, municipality: Organisation | None = None) -> Applicant:
    """An applicant known only by its type, optionally located in a municipality.

    The type "municipality" with a municipality is that municipality itself (with its size class).
    """
    if municipality is not None and code == "municipality":
        return applicant_from_organisation(municipality)
    return Applicant(
        applicant_types=frozenset({code}),
        areas=municipality_areas(municipality) if municipality is not None else frozenset(),
    )


def applicant_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("province__region", "located_in__province__region")


# --- Instruments -------------------------------------------------------------------------------

M2M_SCHEMES = (APPLICANT_TYPE_SCHEME, PHASE_SCHEME, DOMAIN_SCHEME)
PROFILE_FIELDS = (
    "id",
    "slug",
    "title",
    "title_nl",
    "kind",
    "municipality_sizes",
    "territory_areas",
    "consortium_required",
    "amount_min",
    "amount_max",
    "cofinancing_rate",
    "opens_on",
    "closes_on",
    "description_en",
    "description_nl",
    "target_groups",
    "parent_id",
    "umbrella_programme",
    "offered_by_id",
)


def domain_closure() -> dict[str, frozenset[str]]:
    """Domain code -> itself and every narrower code (sub-topics), from the taxonomy tree."""
    narrower: dict[str, set[str]] = defaultdict(set)
    codes = []
    for code, broader in Term.objects.filter(scheme__slug=DOMAIN_SCHEME).values_list("code", "broader__code"):
        codes.append(code)
        if broader:
            narrower[broader].add(code)

    def down(code: str, seen: frozenset[str] = frozenset()) -> set[str]:
        out = {code}
        for child in narrower.get(code, ()):
            if child not in seen:
                out |= down(child, seen | {code})
        return out

    return {code: frozenset(down(code)) for code in codes}


def expand_domains(codes: Iterable[str], closure: Mapping[str, frozenset[str]]) -> frozenset[str]:
    out: set[str] = set()
    for code in codes:
        out |= closure.get(code, {code})
    return frozenset(out)


def _m2m_codes(name: str, ids: QuerySet[Any], codes: Mapping[int, str]) -> dict[int, list[str]]:
    """instrument id -> term codes of a many-to-many relation (term ids mapped in Python: no join)."""
    through: Any = Instrument._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
    out: dict[int, list[str]] = defaultdict(list)
    for instrument_id, term_id in through.objects.filter(instrument_id__in=ids).values_list("instrument_id", "term_id"):
        out[instrument_id].append(codes[term_id])
    return out


def _restricted_to(ids: QuerySet[Any]) -> dict[int, list[int]]:
    through: Any = Instrument._meta.get_field("restricted_to").remote_field.through
    out: dict[int, list[int]] = defaultdict(list)
    for instrument_id, org_id in through.objects.filter(instrument_id__in=ids).values_list("instrument_id", "organisation_id"):
        out[instrument_id].append(org_id)
    return out


def derive_supports(rows: Iterable[Mapping[str, Any]]) -> dict[int, frozenset[int]]:
    """Matchmaking instrument id -> ids of the financial instruments it supports (see module doc)."""
    by_id = {r["id"]: r for r in rows}
    children: dict[int, list[int]] = defaultdict(list)
    by_offer: dict[tuple[int, str], list[int]] = defaultdict(list)
    for r in by_id.values():
        if r["parent_id"] is not None:
            children[r["parent_id"]].append(r["id"])
        if r["kind"] == InstrumentKind.FINANCIAL and r["offered_by_id"] and r["umbrella_programme"]:
            by_offer[(r["offered_by_id"], r["umbrella_programme"].strip().casefold())].append(r["id"])

    def financial_below(root: int) -> set[int]:
        out: set[int] = set()
        stack, seen = [root], {root}
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
                    if by_id[child]["kind"] == InstrumentKind.FINANCIAL:
                        out.add(child)
        return out

    supports: dict[int, frozenset[int]] = {}
    for r in by_id.values():
        if r["kind"] != InstrumentKind.MATCHMAKING:
            continue
        targets = financial_below(r["id"])
        node, seen = by_id.get(r["parent_id"]) if r["parent_id"] else None, {r["id"]}
        while node is not None and node["kind"] != InstrumentKind.FINANCIAL and node["id"] not in seen:
            seen.add(node["id"])
            node = by_id.get(node["parent_id"]) if node["parent_id"] else None
        if node is not None and node["kind"] == InstrumentKind.FINANCIAL:
            targets |= {node["id"], *financial_below(node["id"])}
        if r["offered_by_id"] and r["umbrella_programme"]:
            targets.update(by_offer.get((r["offered_by_id"], r["umbrella_programme"].strip().casefold()), ()))
        targets.discard(r["id"])
        if targets:
            supports[r["id"]] = frozenset(targets)
    return supports


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _text(row: Mapping[str, Any]) -> str:
    parts = [row["title"], row["title_nl"], row["description_en"], row["description_nl"], *row["target_groups"]]
    return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class InstrumentRows:
    """Profiles plus the display facts the pages need (titles in both languages, kind)."""

    profiles: list[InstrumentProfile]
    titles_nl: dict[int, str] = field(default_factory=dict)


def instrument_rows(queryset: QuerySet[Instrument] | None = None) -> InstrumentRows:
    qs = queryset if queryset is not None else Instrument.objects.live()
    rows = list(qs.order_by().values(*PROFILE_FIELDS))
    ids = qs.order_by().values("id")
    term_codes = dict(Term.objects.filter(scheme__slug__in=M2M_SCHEMES).values_list("id", "code"))
    applicant_types = _m2m_codes("applicant_types", ids, term_codes)
    phases = _m2m_codes("phases", ids, term_codes)
    domains = _m2m_codes("domains", ids, term_codes)
    restricted = _restricted_to(ids)
    closure = domain_closure() if domains else {}
    expanded: dict[tuple[str, ...], frozenset[str]] = {}

    def instrument_domains(instrument_id: int) -> frozenset[str]:
        key = tuple(sorted(domains.get(instrument_id, ())))
        if key not in expanded:
            expanded[key] = expand_domains(key, closure)
        return expanded[key]

    supports = derive_supports(rows)
    profiles = [
        InstrumentProfile(
            id=r["id"],
            slug=r["slug"],
            title=r["title"],
            kind=r["kind"],
            applicant_types=frozenset(applicant_types.get(r["id"], ())),
            municipality_sizes=frozenset(r["municipality_sizes"]),
            areas=frozenset(r["territory_areas"]),
            restricted_to=frozenset(restricted.get(r["id"], ())),
            consortium_required=r["consortium_required"],
            phases=frozenset(phases.get(r["id"], ())),
            domains=instrument_domains(r["id"]),
            amount_min=_int(r["amount_min"]),
            amount_max=_int(r["amount_max"]),
            cofinancing_rate=float(r["cofinancing_rate"]) if r["cofinancing_rate"] is not None else None,
            opens_on=r["opens_on"],
            closes_on=r["closes_on"],
            text=_text(r),
            supports=supports.get(r["id"], frozenset()),
        )
        for r in rows
    ]
    return InstrumentRows(profiles=profiles, titles_nl={r["id"]: r["title_nl"] for r in rows if r["title_nl"]})


def instrument_profiles(queryset: QuerySet[Instrument] | None = None) -> list[InstrumentProfile]:
    """Live instruments (or those of `queryset`) as engine profiles, in a fixed number of queries."""
    return instrument_rows(queryset).profiles


# --- The cached index --------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingCatalogue:
    """The engine's index over the live instruments, with what the pages show of them."""

    index: Any  # helix.matching.engine.funding.FundingIndex
    profiles: dict[int, InstrumentProfile]
    titles_nl: dict[int, str]
    domain_closure: dict[str, frozenset[str]]
    labels: dict[tuple[str, str], tuple[str, str]]  # (scheme, code) -> (Dutch, English)
    broader_domain: dict[str, str]  # sub-topic code -> domain code
    area_labels: dict[str, tuple[str, str]]  # area code -> (Dutch, English) name
    built_at: datetime.datetime
    version: str | None

    def title(self, instrument_id: int, language: str) -> str:
        profile = self.profiles[instrument_id]
        if language == "nl":
            return self.titles_nl.get(instrument_id) or profile.title
        return profile.title


_lock = threading.Lock()
_cached: dict[str, FundingCatalogue] = {}


LABELLED_SCHEMES = (APPLICANT_TYPE_SCHEME, PHASE_SCHEME, DOMAIN_SCHEME)


def area_labels(codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Dutch and English names of area codes: REFNIS (regions, provinces, municipalities),
    named areas and countries."""
    wanted = set(codes)
    refnis = {c for c in wanted if c.isdigit()}
    out: dict[str, tuple[str, str]] = {}
    for region in Region.objects.filter(refnis__in=refnis):
        out[region.refnis] = (region.name_nl, REGION_NAMES_EN.get(region.refnis, region.name_nl))
    for province in Province.objects.filter(refnis__in=refnis):
        out[province.refnis] = (province.short_name, PROVINCE_NAMES_EN.get(province.refnis, province.short_name))
    rest = refnis - set(out)
    if rest:
        for code, name, name_nl in Organisation.objects.filter(refnis__in=rest).values_list("refnis", "name", "name_nl"):
            if code:
                out[code] = (name_nl or name, name)
    for code in wanted - set(out):
        if code in NAMED_AREAS:
            out[code] = (NAMED_AREAS[code].label_nl, NAMED_AREAS[code].label_en)
        elif code in COUNTRY_AREAS:
            out[code] = COUNTRY_AREAS[code]
    return out


def build_catalogue(version: str | None = None) -> FundingCatalogue:
    from .engine.funding import FundingIndex

    rows = instrument_rows()
    terms = Term.objects.filter(scheme__slug__in=LABELLED_SCHEMES).values_list(
        "scheme__slug", "code", "label_nl", "label_en", "broader__code"
    )
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    broader: dict[str, str] = {}
    for scheme, code, label_nl, label_en, broader_code in terms:
        labels[(scheme, code)] = (label_nl, label_en)
        if scheme == DOMAIN_SCHEME and broader_code:
            broader[code] = broader_code
    return FundingCatalogue(
        index=FundingIndex(rows.profiles),
        profiles={p.id: p for p in rows.profiles},
        titles_nl=rows.titles_nl,
        domain_closure=domain_closure(),
        labels=labels,
        broader_domain=broader,
        area_labels=area_labels({a for p in rows.profiles for a in p.areas}),
        built_at=datetime.datetime.now(datetime.UTC),
        version=version,
    )


def funding_catalogue() -> FundingCatalogue:
    """The index over every live instrument, rebuilt only when the registry data changed.

    Keyed by `helix.core.listing.data_version()` (the sequence every write to an actors or
    instruments table advances), one per process. Inside a transaction (tests, or a request that
    writes) there is no version and the index is built afresh. Changes to taxonomy terms alone
    do not advance the version; they show after the next registry write or process restart.
    """
    version = data_version()
    if version is None:
        return build_catalogue()
    with _lock:
        hit = _cached.get("funding")
        if hit is not None and hit.version == version:
            return hit
    catalogue = build_catalogue(version)
    with _lock:
        _cached["funding"] = catalogue
    return catalogue


def clear_cache() -> None:
    with _lock:
        _cached.clear()
