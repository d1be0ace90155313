"""The 2020 landscape study (data/seed/): organisations, memberships, instruments and figures."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from helix.actors.choices import HelixRole, IdentifierScheme, OrganisationKind, Predicate
from helix.actors.models import ExternalIdentifier, Membership, Organisation, Province, Region
from helix.core.models import Figure, Scheme, Term
from helix.instruments.choices import InstrumentKind, Link, PolicyLevel
from helix.instruments.models import Instrument

from .base import Loader, fold, merge_list, merge_source_line
from .profiles import apply_organisation_profiles
from .reference import region_refnis
from .seed import STUDY_CITATION, STUDY_DATE, read_records, read_yaml, study_source
from .vocabularies import (
    COUNTRY_AREAS,
    DOMAINS_COVERED,
    EU_FUNDING_CATEGORIES,
    INSTRUMENT_AREAS,
    NAMED_AREAS,
    POLICY_LEVEL_AREAS,
    TARGET_GROUPS,
    UNINTERPRETED_TARGET_GROUPS,
)

REQUIRED_SCHEMES = (
    "nace",
    "instrument-types",
    "phases",
    "eu-funding-categories",
    "inclusion-reasons",
    "applicant-types",
    "domains",
)

# Seed country codes that are not ISO 3166-1 alpha-2.
COUNTRY_FIXES = {"UK": "GB"}

# The study calls three districts / sub-municipalities "smaller municipalities". They have no
# REFNIS code of their own and stay separate records, located in the municipality they belong to.
PART_OF_MUNICIPALITY = {"zwijnaarde": "Gent", "oostakker": "Gent", "berchem": "Antwerpen"}

_NAME_PREFIXES = ("stad ", "gemeente ", "city of ", "ville de ", "commune de ")


class MissingReferenceData(Exception):
    """load_study ran before load_reference."""


def check_reference_loaded() -> None:
    missing = [s for s in REQUIRED_SCHEMES if not Scheme.objects.filter(slug=s).exists()]
    if not Region.objects.exists() or not Organisation.objects.filter(refnis__isnull=False).exists() or missing:
        detail = f" (missing schemes: {', '.join(missing)})" if missing else ""
        raise MissingReferenceData(
            "The reference data is not loaded yet" + detail + ". Run `python manage.py load_reference` first: "
            "the study's municipalities are merged into the Statbel municipality records and its "
            "instruments and companies use the taxonomies."
        )


def _name_key(name: str) -> str:
    key = fold(name)
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _terms(scheme: str) -> dict[str, Term]:
    return {t.code: t for t in Term.objects.filter(scheme__slug=scheme)}


def _add_line(line: str) -> Any:
    """Merge function for free text: add `line` unless it is there already."""
    return merge_source_line(line, line) if line else (lambda current: current or "")


class StudyLoader:
    def __init__(self, loader: Loader, seed: Path | None = None) -> None:
        self.loader = loader
        self.seed = seed
        self.orgs: dict[str, Organisation] = {}
        self.nace = _terms("nace")
        self.inclusion = _terms("inclusion-reasons")
        self.types = _terms("instrument-types")
        self.phases = _terms("phases")
        self.eu = _terms("eu-funding-categories")
        self.applicant_types = _terms("applicant-types")
        self.domains = _terms("domains")
        self.provinces = {p.short_name.casefold(): p for p in Province.objects.select_related("region")}
        self._area_names: dict[str, str] | None = None
        self.seed_ids = {
            i.value: i for i in ExternalIdentifier.objects.filter(scheme=IdentifierScheme.SEED).select_related("organisation")
        }

    def run(self) -> None:
        check_reference_loaded()
        self.load_organisations()
        self.load_memberships()
        self.load_instruments()
        self.load_figures()
        self.validate_later_files()
        from helix.projects.loaders import load_projects  # here: helix.projects.loaders imports this package

        load_projects(self.loader, orgs=self.orgs, seed=self.seed)
        from helix.strategy.loaders import load_recommendations  # here for the same reason

        load_recommendations(self.loader, self.orgs, self.seed)

    # -- organisations ---------------------------------------------------------------------

    def _seed_identifier(self, obj: Organisation, seed_id: str) -> None:
        ident = self.seed_ids.get(seed_id)
        if ident is None:
            self.seed_ids[seed_id] = ExternalIdentifier.objects.create(
                organisation=obj, scheme=IdentifierScheme.SEED, value=seed_id
            )
            self.loader.stats.add("identifiers", "created")
        elif ident.organisation_id != obj.pk:
            ident.organisation = obj
            ident.save(update_fields=["organisation"])
            self.loader.stats.add("identifiers", "updated")
        else:
            self.loader.stats.add("identifiers", "unchanged")

    def _municipality_index(self) -> dict[str, list[Organisation]]:
        index: dict[str, list[Organisation]] = {}
        for m in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False):
            for name in {m.name, m.name_nl, *m.alternative_names}:
                if name:
                    index.setdefault(_name_key(name), []).append(m)
        return index

    def _match_municipality(self, record: dict[str, Any], index: dict[str, list[Organisation]]) -> Organisation | None:
        by_seed = self.seed_ids.get(record["id"])
        if by_seed is not None and by_seed.organisation.refnis:
            return by_seed.organisation
        province = self.provinces.get(_text(record.get("province")).casefold())
        for name in (record.get("name_nl"), record.get("name"), *(record.get("aliases") or [])):
            candidates = index.get(_name_key(name or ""), [])
            if province is not None:
                candidates = [c for c in candidates if c.province_id == province.pk] or candidates
            unique = {c.pk: c for c in candidates}
            if len(unique) == 1:
                return next(iter(unique.values()))
        return None

    def _reasons(self, record: dict[str, Any]) -> list[Term]:
        codes = ["study-mention"]
        if any(str(r).startswith("consulted on") for r in record.get("roles") or []):
            codes.append("consulted")
        return [self.inclusion[c] for c in codes if c in self.inclusion]

    def load_organisations(self) -> None:
        records = read_records("organisations.yaml", self.seed)
        index = self._municipality_index()
        home = region_refnis()
        by_slug = Organisation.objects.in_bulk([r["id"] for r in records], field_name="slug")
        for record in records:
            seed_id = record["id"]
            kind = OrganisationKind(record["kind"])
            country = _text(record.get("country")).upper()
            country = COUNTRY_FIXES.get(country, country)
            province = self.provinces.get(_text(record.get("province")).casefold())
            aliases = [str(a) for a in record.get("aliases") or []]
            roles = [str(r) for r in record.get("roles") or []]
            source_line = study_source(record.get("source"))
            merged = self._match_municipality(record, index) if kind == OrganisationKind.MUNICIPALITY else None
            if merged is not None:
                # A Statbel municipality: the reference loader owns its name, province and REFNIS;
                # the study adds its names, roles, sub-kind, notes and source.
                obj, _ = self.loader.upsert(
                    "organisations (merged into municipalities)",
                    Organisation,
                    lookup={"pk": merged.pk},
                    instance=merged,
                    values={
                        "alternative_names": merge_list(
                            [n for n in (record.get("name"), record.get("name_nl"), *aliases) if n and n != merged.name]
                        ),
                        "subkind": _text(record.get("subkind")),
                        "roles": merge_list(roles),
                        "notes": _add_line(_text(record.get("notes"))),
                        "source": merge_source_line(source_line, STUDY_CITATION),
                    },
                )
            else:
                existing = self.seed_ids.get(seed_id)
                located_in = None
                if seed_id in PART_OF_MUNICIPALITY:
                    parent = index.get(_name_key(PART_OF_MUNICIPALITY[seed_id]), [])
                    located_in = parent[0] if len(parent) == 1 else None
                obj, _ = self.loader.upsert(
                    "organisations",
                    Organisation,
                    lookup={"slug": seed_id},
                    instance=existing.organisation if existing is not None else by_slug.get(seed_id),
                    values={
                        "name": record["name"],
                        "name_nl": _text(record.get("name_nl")),
                        "alternative_names": merge_list(aliases),
                        "kind": kind,
                        "subkind": _text(record.get("subkind")),
                        "helix_role": HelixRole(record["helix"]),
                        "country": country,
                        "province": province,
                        "located_in": located_in,
                        "in_region": kind == OrganisationKind.MUNICIPALITY
                        and province is not None
                        and province.region.refnis == home,
                        "roles": roles,
                        "notes": _text(record.get("notes")),
                        "founded_year": record.get("founded"),
                        "sector": _text(record.get("sector")),
                        "source": source_line,
                        "last_verified": STUDY_DATE,
                    },
                )
            self._seed_identifier(obj, seed_id)
            if record.get("nace_section"):
                self.loader.add_m2m(obj, "nace_sections", [self.nace[str(record["nace_section"]).upper()]])
            self.loader.add_m2m(obj, "inclusion_reasons", self._reasons(record))
            self.orgs[seed_id] = obj
        # Value-chain roles and domains: Helix's reading of the study (data/interpretations/).
        apply_organisation_profiles(self.loader, self.orgs, self.seed)

    # -- memberships -----------------------------------------------------------------------

    def load_memberships(self) -> None:
        records = read_records("memberships.yaml", self.seed)
        existing = Membership.objects.in_bulk([r["id"] for r in records], field_name="slug")
        for record in records:
            is_project = record.get("object_type") == "project"
            self.loader.upsert(
                "memberships",
                Membership,
                lookup={"slug": record["id"]},
                instance=existing.get(record["id"]),
                values={
                    "subject": self.orgs[record["subject"]],
                    "predicate": Predicate(record["predicate"]),
                    "object": None if is_project else self.orgs[record["object"]],
                    "object_project": record["object"] if is_project else "",
                    "note": _text(record.get("note")),
                    "source": study_source(record.get("source")),
                },
            )

    # -- instruments -----------------------------------------------------------------------

    def load_instruments(self) -> None:
        records = parents_first(read_records("instruments.yaml", self.seed))
        existing = Instrument.objects.in_bulk([r["id"] for r in records], field_name="slug")
        by_slug: dict[str, Instrument] = {}
        for record in records:
            derived = derive_amounts(record.get("amounts") or [])
            eligibility = interpret_eligibility(record)
            country = _text(record.get("country")).upper()
            extra = [*instrument_extra_notes(record), *eligibility.note_lines(self.area_names())]
            if len(country) != 2:
                extra = [*extra, f"Countries: {country}."] if country else extra
                country = ""
            link = _text(record.get("direct_or_indirect")).lower()
            eu = record.get("eu_category")
            obj, _ = self.loader.upsert(
                "instruments",
                Instrument,
                lookup={"slug": record["id"]},
                instance=existing.get(record["id"]),
                values={
                    "title": record["title"],
                    "title_nl": _text(record.get("title_nl")),
                    "kind": InstrumentKind(record["kind"]),
                    "instrument_type": self.types[record["instrument_type"]],
                    "offered_by": self.orgs[record["offered_by"]] if record.get("offered_by") else None,
                    "managed_by": self.orgs[record["managed_by"]] if record.get("managed_by") else None,
                    # The tree ERDF -> Flemish ERDF programme -> priority axis -> call: parents are
                    # loaded before their children (parents_first).
                    "parent": by_slug[record["parent"]] if record.get("parent") else None,
                    "umbrella_programme": _text(record.get("umbrella_programme")),
                    "eu_category": self.eu[EU_FUNDING_CATEGORIES[eu].code] if eu else None,
                    "policy_level": PolicyLevel(record["policy_level"]) if record.get("policy_level") else "",
                    "country": COUNTRY_FIXES.get(country, country),
                    "link": Link(link) if link else "",
                    "target_groups": [str(t) for t in record.get("target_groups") or []],
                    # Eligibility as interpreted by Helix (helix.core.loaders.vocabularies).
                    "territory": eligibility.territory_text(self.area_names()),
                    "territory_areas": list(eligibility.areas),
                    "municipality_sizes": list(eligibility.municipality_sizes),
                    "amounts": record.get("amounts") or [],
                    "open_until_text": _text(record.get("open_until")),
                    "description_en": _text(record.get("summary")),
                    "notes": "\n".join([_text(record.get("notes")), *extra]).strip(),
                    "inventory_no": record.get("snapshot_no"),
                    "inventory_fields": record.get("snapshot_fields") or {},
                    "source": study_source(record.get("source")),
                    "last_verified": STUDY_DATE,
                    # Derived from the stated amounts and period (documented in docs/data-model.md).
                    "amount_max": derived.get("amount_max"),
                    "cofinancing_rate": derived.get("cofinancing_rate"),
                    "total_budget": derived.get("total_budget"),
                    "closes_on": interpret_open_until(_text(record.get("open_until"))),
                },
            )
            by_slug[record["id"]] = obj
            co = [self.orgs[o] for o in record.get("co_offered_by") or []]
            self.loader.add_m2m(obj, "co_offered_by", co)
            if record.get("phase"):
                self.loader.add_m2m(obj, "phases", [self.phases[record["phase"]]])
            self.loader.add_m2m(obj, "applicant_types", [self.applicant_types[c] for c in eligibility.applicant_types])
            self.loader.add_m2m(obj, "domains", [self.domains[c] for c in eligibility.domains])
            self.loader.add_m2m(obj, "restricted_to", [self.orgs[o] for o in eligibility.organisations])

    def area_names(self) -> dict[str, str]:
        """Area code -> name, for the readable territory of the instruments (loaded once)."""
        if self._area_names is None:
            names = {r.refnis: r.name_nl for r in Region.objects.all()}
            names |= {p.refnis: p.short_name for p in Province.objects.all()}
            codes = {code for reading in TARGET_GROUPS.values() for code in reading.areas if code.isdigit()}
            names |= dict(
                Organisation.objects.filter(refnis__in=codes - set(names)).values_list("refnis", "name")  # type: ignore[arg-type]
            )
            names |= {area.code: area.label_nl for area in NAMED_AREAS.values()}
            names |= {code: label_nl for code, (label_nl, _label_en) in COUNTRY_AREAS.items()}
            self._area_names = names
        return self._area_names

    # -- figures ---------------------------------------------------------------------------

    def load_figures(self) -> None:
        records = read_records("figures.yaml", self.seed)
        existing = Figure.objects.in_bulk([r["id"] for r in records], field_name="key")
        for record in records:
            value = record.get("value")
            self.loader.upsert(
                "figures",
                Figure,
                lookup={"key": record["id"]},
                instance=existing.get(record["id"]),
                values={
                    "value": None if value is None else Decimal(str(value)),
                    "unit": _text(record.get("unit")),
                    "qualifier": _text(record.get("qualifier")),
                    "what": _text(record.get("what")),
                    "year": record.get("year"),
                    "about": _text(record.get("about")),
                    "source": study_source(record.get("source")),
                },
            )

    # -- projects and recommendations: validated, not stored yet ----------------------------

    def validate_later_files(self) -> None:
        """Projects and recommendations are for later issues: check that they parse and that
        their references resolve, store nothing."""
        projects = read_records("projects.yaml", self.seed)
        project_ids = {p["id"] for p in projects}
        problems: list[str] = []
        for p in projects:
            for ref in [p.get("lead"), *(p.get("partners") or []), *(p.get("places") or [])]:
                if ref and ref not in self.orgs:
                    problems.append(f"project {p['id']}: unknown organisation {ref}")
        for m in read_records("memberships.yaml", self.seed):
            if m.get("object_type") == "project" and m["object"] not in project_ids:
                problems.append(f"membership {m['id']}: unknown project {m['object']}")
        recommendations = read_yaml("recommendations.yaml", self.seed)
        if not isinstance(recommendations, dict) or not recommendations.get("recommendations"):
            problems.append("recommendations.yaml: no recommendations")
        if problems:
            raise ValueError("Seed files are inconsistent:\n" + "\n".join(problems))


def parents_first(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The instruments ordered so that every parent comes before its children (stable otherwise)."""
    by_id = {r["id"]: r for r in records}

    def depth(record: dict[str, Any]) -> int:
        seen: set[str] = set()
        n = 0
        while record.get("parent"):
            if record["id"] in seen:
                raise ValueError(f"instruments.yaml: parent cycle at {record['id']}")
            seen.add(record["id"])
            record = by_id[record["parent"]]
            n += 1
        return n

    return sorted(records, key=depth)


def derive_amounts(amounts: list[dict[str, Any]]) -> dict[str, Decimal]:
    """Structured amounts from the study's stated ones, only where the statement is unambiguous:

    - amount_max: an EUR amount whose description says "maximum ... per project";
    - cofinancing_rate: a percentage whose description mentions "co-financing";
    - total_budget: an EUR amount described as "total budget ...".
    """
    out: dict[str, Decimal] = {}
    for a in amounts:
        what = _text(a.get("what")).lower()
        unit = _text(a.get("unit"))
        value = a.get("value")
        if value is None:
            continue
        if unit == "EUR" and a.get("currency") == "EUR" and "maximum" in what and "per project" in what:
            out.setdefault("amount_max", Decimal(str(value)))
        elif unit == "percent" and "co-financing" in what:
            out.setdefault("cofinancing_rate", Decimal(str(value)))
        elif unit == "EUR" and a.get("currency") == "EUR" and what.startswith("total budget"):
            out.setdefault("total_budget", Decimal(str(value)))
    return out


_SUMMER = re.compile(r"^end of summer (\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


def interpret_open_until(text: str) -> datetime.date | None:
    """A closing day for the study's open periods, where one can be read without guessing much:

    - "end of summer YYYY" -> 22 September YYYY (the last day before the autumn equinox, which
      fell on 23 September in 2019);
    - "YYYY" (open until that year) -> 31 December YYYY.
    Anything else: no date; the text stays in open_until_text.
    """
    if match := _SUMMER.match(text):
        return datetime.date(int(match.group(1)), 9, 22)
    if match := _YEAR.match(text):
        return datetime.date(int(match.group(1)), 12, 31)
    return None


class Eligibility(NamedTuple):
    """Structured eligibility of one study instrument, as interpreted by Helix."""

    applicant_types: tuple[str, ...]
    areas: tuple[str, ...]
    organisations: tuple[str, ...]  # seed ids
    municipality_sizes: tuple[str, ...]
    domains: tuple[str, ...]
    territory_basis: str  # why the areas, when no target group names them
    uninterpreted: tuple[str, ...]  # target groups left without a reading

    def territory_text(self, names: dict[str, str]) -> str:
        if not self.areas:
            return ""
        places = ", ".join(names.get(code, code.upper()) for code in self.areas)
        return f"{places} ({self.territory_basis})" if self.territory_basis else places

    def note_lines(self, names: dict[str, str]) -> list[str]:
        parts = []
        if self.applicant_types:
            parts.append("applicant types " + ", ".join(self.applicant_types))
        if self.municipality_sizes:
            parts.append("municipality size " + ", ".join(self.municipality_sizes))
        if self.areas:
            parts.append("territory " + self.territory_text(names))
        if self.organisations:
            parts.append("only for " + ", ".join(self.organisations))
        if self.domains:
            parts.append("domains " + ", ".join(self.domains))
        lines = []
        if parts:
            lines.append("Eligibility interpreted by Helix (docs/data-model.md): " + "; ".join(parts) + ".")
        for group in self.uninterpreted:
            reason = UNINTERPRETED_TARGET_GROUPS.get(group, "not in Helix's table of target groups")
            lines.append(f"Target group '{group}' not interpreted: {reason}.")
        return lines


_READINGS = {fold(k): v for k, v in TARGET_GROUPS.items()}


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def interpret_eligibility(record: dict[str, Any]) -> Eligibility:
    """Applicant types, areas, organisations, size classes and domains of one seed instrument.

    Target groups are read with `vocabularies.TARGET_GROUPS` (union over the instrument's target
    groups). The territory is, in this order: the areas the target groups name; an explicit
    exception (`INSTRUMENT_AREAS`); a foreign country (`country`); Flanders for an instrument of
    the Flemish government (`POLICY_LEVEL_AREAS`); else none.
    """
    types: list[str] = []
    areas: list[str] = []
    organisations: list[str] = []
    sizes: list[str] = []
    uninterpreted: list[str] = []
    for group in record.get("target_groups") or []:
        reading = _READINGS.get(fold(str(group)))
        if reading is None:
            uninterpreted.append(str(group))
            continue
        types += reading.applicant_types
        areas += reading.areas
        organisations += reading.organisations
        sizes += reading.municipality_sizes
    basis = ""
    slug = record["id"]
    countries = [c.strip().lower() for c in _text(record.get("country")).split(",") if c.strip()]
    countries = [COUNTRY_FIXES.get(c.upper(), c.upper()).lower() for c in countries]
    if not areas and slug in INSTRUMENT_AREAS:
        areas, basis = list(INSTRUMENT_AREAS[slug][0]), INSTRUMENT_AREAS[slug][1]
    elif not areas and countries and countries != ["be"]:
        areas, basis = countries, "a scheme of another country"
    elif not areas and record.get("policy_level") in POLICY_LEVEL_AREAS:
        areas, basis = list(POLICY_LEVEL_AREAS[record["policy_level"]]), "an instrument of the Flemish government"
    domains = [code for text in record.get("domains_covered") or [] for code in DOMAINS_COVERED.get(str(text), ())]
    return Eligibility(
        applicant_types=_unique(types),
        areas=_unique(areas),
        organisations=_unique(organisations),
        municipality_sizes=_unique(sizes),
        domains=_unique(domains),
        territory_basis=basis,
        uninterpreted=tuple(uninterpreted),
    )


def instrument_extra_notes(record: dict[str, Any]) -> list[str]:
    """Seed fields without a column of their own, kept as readable lines in `notes`."""
    lines = []
    if record.get("related"):
        lines.append("Related instruments: " + ", ".join(record["related"]) + ".")
    if record.get("eligible_areas"):
        lines.append("Eligible areas: " + "; ".join(record["eligible_areas"]) + ".")
    if record.get("domains_covered"):
        lines.append("Domains covered: " + "; ".join(record["domains_covered"]) + ".")
    return lines
