"""Stores the study's recommendations (data/seed/recommendations.yaml) for the strategy monitor.

Called by `load_study` (helix.core.loaders.study) inside its transaction and history context,
with its Loader (idempotent upserts that keep curator edits) and its seed-id -> organisation map.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helix.actors.models import Organisation
from helix.core.loaders.base import Loader
from helix.core.loaders.seed import STUDY_DATE, read_yaml, study_source
from helix.core.models import Term

from .choices import LinkRelation, RoleBasis
from .models import Cluster, GovernmentRole, OrganisationalOption, Recommendation, RecommendationLink, RoleOption

BUILDING_BLOCKS = "building-blocks"

# The implementation sequence of the clusters, as their descriptions in the report state it:
# the foundation comes first, the priority roll-out eases the secondary roll-out, and the
# transversal recommendations can start at any time (no predecessor).
CLUSTER_STARTS_AFTER = {"prioritaire-uitrol": "fundament", "secundaire-uitrol": "prioritaire-uitrol"}

# `links: [{rec: all, ...}]`: the recommendation depends on all the others.
ALL = "all"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _lines(values: Any) -> list[str]:
    return [_text(v) for v in values or [] if _text(v)]


class SeedProblem(ValueError):
    """recommendations.yaml refers to something that does not exist."""


def _building_blocks(seed: Path | None) -> dict[str, Term]:
    """Theme as written in recommendations.yaml (Dutch name or alias) -> building-block term."""
    terms = {t.code: t for t in Term.objects.filter(scheme__slug=BUILDING_BLOCKS, broader__isnull=True)}
    by_name: dict[str, Term] = {}
    for block in read_yaml("taxonomy.yaml", seed).get("building_blocks") or []:
        term = terms.get(block["id"])
        if term is None:
            raise SeedProblem(f"building block {block['id']} is not loaded; run load_reference first")
        for name in (block.get("name_nl"), block.get("alias_nl")):
            if name:
                by_name[_text(name)] = term
    return by_name


def _organisations(ids: Any, orgs: dict[str, Organisation], where: str) -> list[Organisation]:
    missing = [i for i in ids or [] if i not in orgs]
    if missing:
        raise SeedProblem(f"{where}: unknown organisation(s) {', '.join(missing)}")
    return [orgs[i] for i in ids or []]


def load_recommendations(loader: Loader, orgs: dict[str, Organisation], seed: Path | None = None) -> None:
    data = read_yaml("recommendations.yaml", seed)
    if not isinstance(data, dict) or not data.get("recommendations"):
        raise SeedProblem("recommendations.yaml: no recommendations")

    roles: dict[str, GovernmentRole] = {}
    for record in data.get("roles") or []:
        roles[record["id"]], _ = loader.upsert(
            "government roles",
            GovernmentRole,
            lookup={"slug": record["id"]},
            values={
                "name_nl": _text(record.get("name_nl")),
                "name_en": _text(record.get("name")),
                "order": record.get("order") or 0,
                "definition_en": _text(record.get("definition")),
                "responsibilities": _lines(record.get("responsibilities")),
                "source": study_source(record.get("source")),
            },
        )

    clusters: dict[str, Cluster] = {}
    clusters_source = study_source(data.get("clusters_source"))
    by_slug: dict[str, Cluster] = {}
    # In implementation order, so a cluster's predecessor is stored before it.
    for record in sorted(data.get("clusters") or [], key=lambda c: c.get("order") or 0):
        cluster, _ = loader.upsert(
            "clusters",
            Cluster,
            lookup={"slug": record["id"]},
            values={
                "name_nl": _text(record["name_nl"]),
                "name_en": _text(record.get("name")),
                "order": record.get("order") or 0,
                "description_en": _text(record.get("description")),
                "source": clusters_source,
                "starts_after": by_slug.get(CLUSTER_STARTS_AFTER.get(record["id"], "")),
            },
        )
        clusters[record["name_nl"]] = by_slug[record["id"]] = cluster

    options: dict[str, OrganisationalOption] = {}
    for position, record in enumerate(data.get("organisational_options") or [], start=1):
        option, _ = loader.upsert(
            "organisational options",
            OrganisationalOption,
            lookup={"slug": record["id"]},
            values={
                "name_nl": _text(record.get("name_nl")),
                "name_en": _text(record.get("name")),
                "order": position,
                "description_en": _text(record.get("description")),
                "source": study_source(record.get("source")),
            },
        )
        loader.add_m2m(option, "roles", [roles[r] for r in record.get("roles") or []])
        options[record["id"]] = option

    themes = _building_blocks(seed)
    records = data["recommendations"]
    recommendations: dict[str, Recommendation] = {}
    existing = Recommendation.objects.in_bulk([r["id"] for r in records], field_name="slug")
    for record in records:
        where = f"recommendation {record['id']}"
        advised = record.get("advised_role") or []
        if len(advised) > 1:
            raise SeedProblem(f"{where}: more than one advised role")
        theme = _text(record.get("theme"))
        if theme and theme not in themes:
            raise SeedProblem(f"{where}: unknown building block {theme!r}")
        if record["cluster"] not in clusters:
            raise SeedProblem(f"{where}: unknown cluster {record['cluster']!r}")
        landscape = _text(record.get("theme_in_landscape_chapter"))
        later = record.get("advised_role_later")
        recommendations[record["id"]], _ = loader.upsert(
            "recommendations",
            Recommendation,
            lookup={"slug": record["id"]},
            instance=existing.get(record["id"]),
            values={
                "number": record["number"],
                "title_nl": _text(record["title_nl"]),
                "title_en": _text(record.get("title_en")),
                "title_nl_variants": _lines(record.get("title_nl_variants")),
                "theme": themes.get(theme),
                "cluster": clusters[record["cluster"]],
                "goal": _text(record.get("goal")),
                "suggested_actions": _lines(record.get("actions")),
                "advised_role": roles[advised[0]] if advised else None,
                "advised_role_basis": RoleBasis(record["advised_role_basis"]) if record.get("advised_role_basis") else "",
                "advised_role_later": roles[later] if later else None,
                "choice_motivation": _text(record.get("choice_motivation")),
                "critical_success_factors": _lines(record.get("critical_success_factors")),
                "examples_cited": _lines(record.get("examples_cited")),
                "depends_on_all": any(link.get("rec") == ALL for link in record.get("links") or []),
                "notes": f"Listed under {landscape} in the report's landscape chapter." if landscape else "",
                "source": study_source(record.get("source")),
                "last_verified": STUDY_DATE,
            },
        )

    for record in records:
        rec = recommendations[record["id"]]
        where = f"recommendation {record['id']}"
        for link in record.get("links") or []:
            if link["rec"] == ALL:
                continue
            if link["rec"] not in recommendations:
                raise SeedProblem(f"{where}: unknown recommendation {link['rec']}")
            loader.upsert(
                "recommendation links",
                RecommendationLink,
                lookup={
                    "from_recommendation": rec,
                    "to_recommendation": recommendations[link["rec"]],
                    "relation": LinkRelation(link["relation"]),
                },
                values={"note": _text(link.get("note"))},
            )
        for role_id, text in (record.get("role_options") or {}).items():
            loader.upsert(
                "role options",
                RoleOption,
                lookup={"recommendation": rec, "role": roles[role_id]},
                values={"description_en": _text(text)},
            )
        loader.add_m2m(rec, "suggested_lead", _organisations(record.get("suggested_lead"), orgs, where))
        loader.add_m2m(rec, "involved", _organisations(record.get("involved_actors"), orgs, where))
        loader.add_m2m(rec, "benchmark_cities", _organisations(record.get("benchmark_cities"), orgs, where))

    for option_id, record in zip(options, data.get("organisational_options") or [], strict=True):
        mentioned = [recommendations[r] for r in record.get("mentioned_in") or [] if r in recommendations]
        loader.add_m2m(options[option_id], "recommendations", mentioned)
