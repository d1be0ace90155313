"""Marketplace adapters: challenges, solutions and organisations as engine `Party` objects.

The only place (with `adapters.py` for the funding finder) where ORM rows become engine types.
Everything is read in bulk: one query per table, grouped in Python, so 100k solutions become
parties in a few seconds and a page never pays that: the built `Matcher` is kept per process
and rebuilt only when the registry data change (`helix.core.listing.data_version`).

What a party holds (see `helix.matching.engine.types.Party`):

- text: titles, names and descriptions in both languages (the engine stems nl and en).
- domains: the term codes, plus the broader domain of every sub-topic, so "smart-mobility" on
  one side meets a mobility sub-topic on the other.
- roles: value-chain roles needed (challenge) or offered (solution, organisation).
- references: the size classes of the municipalities where a solution runs (organisations:
  where their solutions run and where their projects took place).
- areas: province REFNIS codes (proximity: a small signal, never a wall).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from helix.actors.choices import OrganisationKind, OrganisationStatus
from helix.actors.models import Organisation
from helix.core.models import Term
from helix.market.choices import ChallengeStatus
from helix.market.models import Challenge, ChallengeOwner, Solution
from helix.matching.engine.types import Party
from helix.projects.models import Project, ProjectPartner

# Organisations that can deliver or partner (challenge -> organisation, company -> partner).
PROVIDER_KINDS = (
    OrganisationKind.COMPANY,
    OrganisationKind.KNOWLEDGE_INSTITUTION,
    OrganisationKind.INTERCOMMUNALE,
    OrganisationKind.INTERMEDIARY,
)


def _term_codes() -> tuple[dict[int, str], dict[int, int]]:
    """Term id -> code, and term id -> broader term id (sub-topics of domains)."""
    codes: dict[int, str] = {}
    broader: dict[int, int] = {}
    for pk, code, parent in Term.objects.values_list("pk", "code", "broader_id"):
        codes[pk] = code
        if parent:
            broader[pk] = parent
    return codes, broader


class _Terms:
    def __init__(self) -> None:
        self.codes, self.broader = _term_codes()

    def group(self, field: Any, owner_ids: Iterable[int] | None = None, *, with_broader: bool = False) -> dict[int, set[str]]:
        """owner id -> the codes of an M2M to Term, in one query over the through table."""
        through: type[Model] = field.through
        source = field.field.m2m_field_name()
        target = field.field.m2m_reverse_field_name()
        rows = through._default_manager.all()
        if owner_ids is not None:
            rows = rows.filter(**{f"{source}_id__in": list(owner_ids)})
        out: dict[int, set[str]] = defaultdict(set)
        for owner, term in rows.values_list(f"{source}_id", f"{target}_id").iterator(chunk_size=20000):
            out[owner].add(self.codes[term])
            if with_broader and term in self.broader:
                out[owner].add(self.codes[self.broader[term]])
        return out


def _text(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _municipalities() -> dict[int, tuple[str | None, str | None]]:
    """Municipality id -> (size class, province REFNIS)."""
    return {
        pk: (size or None, province)
        for pk, size, province in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
            "pk", "municipality_size", "province__refnis"
        )
    }


def solution_parties(ids: Iterable[int] | None = None) -> list[Party]:
    """Every live solution (or those ids) as a party offering its value-chain roles."""
    terms = _Terms()
    qs = Solution.objects.live()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.values_list(
            "pk",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            "organisation_id",
            "maturity__code",
            "open_standards",
            "organisation__province__refnis",
        ).order_by("pk")
    )
    pks = [r[0] for r in rows]
    scope = pks if ids is not None else None
    domains = terms.group(Solution.domains, scope, with_broader=True)
    sdgs = terms.group(Solution.sdgs, scope)
    roles = terms.group(Solution.value_chain_roles, scope)
    municipalities = _municipalities()
    references: dict[int, list[str]] = defaultdict(list)
    refs = Solution.references.through._default_manager.values_list("solution_id", "organisation_id")
    if scope is not None:
        refs = refs.filter(solution_id__in=scope)
    for solution, municipality in refs.iterator(chunk_size=20000):
        size = municipalities.get(municipality, (None, None))[0]
        references[solution].append(size or "unknown")
    startups = _startup_ids({r[5] for r in rows})
    return [
        Party(
            id=pk,
            kind="solution",
            title=title_nl or title,
            text=_text(title, title_nl, d_nl, d_en),
            domains=frozenset(domains.get(pk, ())),
            sdgs=frozenset(sdgs.get(pk, ())),
            roles=frozenset(roles.get(pk, ())),
            phase=maturity,
            references=tuple(sorted(references.get(pk, ()))),
            areas=frozenset({province} if province else ()),
            organisation_id=org,
            is_startup=org in startups,
            open_standards=frozenset(standards or ()),
        )
        for pk, title, title_nl, d_nl, d_en, org, maturity, standards, province in rows
    ]


def _startup_ids(organisation_ids: set[int]) -> set[int]:
    from helix.market.querysets import startup_condition

    return set(Organisation.objects.filter(startup_condition(), pk__in=organisation_ids).values_list("pk", flat=True))


def organisation_parties(ids: Iterable[int] | None = None, *, kinds: Iterable[str] = PROVIDER_KINDS) -> list[Party]:
    """Active organisations of these kinds as parties offering their value-chain roles.

    Their references are the municipalities where their solutions run and where projects they
    led or joined took place.
    """
    terms = _Terms()
    qs = Organisation.objects.live().filter(status=OrganisationStatus.ACTIVE, kind__in=list(kinds))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.values_list(
            "pk", "name", "name_nl", "description_nl", "description_en", "sector", "roles", "province__refnis", "kind"
        ).order_by("pk")
    )
    scope = [r[0] for r in rows] if ids is not None else None
    domains = terms.group(Organisation.domains, scope, with_broader=True)
    sdgs = terms.group(Organisation.sdgs, scope)
    roles = terms.group(Organisation.value_chain_roles, scope)
    references = _organisation_references(scope)
    startups = _startup_ids({r[0] for r in rows})
    offers = _offers(scope, terms)
    none = _Offer()
    return [
        Party(
            id=pk,
            kind="organisation",
            title=name_nl or name,
            text=_text(name, name_nl, d_nl, d_en, sector, " ".join(stated or ()), *offers.get(pk, none).text),
            domains=frozenset(domains.get(pk, set()) | offers.get(pk, none).domains),
            sdgs=frozenset(sdgs.get(pk, set()) | offers.get(pk, none).sdgs),
            roles=frozenset(roles.get(pk, set()) | offers.get(pk, none).roles),
            references=tuple(sorted(references.get(pk, ()))),
            areas=frozenset({province} if province else ()),
            organisation_id=pk,
            is_startup=pk in startups,
        )
        for pk, name, name_nl, d_nl, d_en, sector, stated, province, _kind in rows
    ]


@dataclass
class _Offer:
    text: list[str] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)
    sdgs: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)


def _offers(scope: list[int] | None, terms: _Terms) -> dict[int, _Offer]:
    """Organisation id -> what its live solutions offer: an organisation offers what its
    solutions offer, also when the registry has no roles or domains for it yet."""
    rows = Solution.objects.live()
    if scope is not None:
        rows = rows.filter(organisation_id__in=scope)
    owner: dict[int, int] = {}
    out: dict[int, _Offer] = defaultdict(_Offer)
    for pk, org, *texts in rows.values_list(
        "pk", "organisation_id", "title", "title_nl", "description_nl", "description_en"
    ).iterator(chunk_size=20000):
        owner[pk] = org
        out[org].text.append(_text(*texts))
    ids = list(owner) if scope is not None else None
    for field_, attr, broader in (
        (Solution.domains, "domains", True),
        (Solution.sdgs, "sdgs", False),
        (Solution.value_chain_roles, "roles", False),
    ):
        for solution, codes in terms.group(field_, ids, with_broader=broader).items():
            if solution in owner:
                getattr(out[owner[solution]], attr).update(codes)
    return out


def _organisation_references(scope: list[int] | None) -> dict[int, list[str]]:
    """Organisation id -> size classes of the municipalities where its solutions run and where
    projects it led or joined took place. With a scope, only those organisations' rows are read."""
    municipalities = _municipalities()
    places: dict[int, set[int]] = defaultdict(set)
    solution_refs = Solution.references.through._default_manager.filter(solution__archived_at__isnull=True)
    partners = ProjectPartner.objects.all()
    leads = Project.objects.live().exclude(lead=None)
    if scope is not None:
        solution_refs = solution_refs.filter(solution__organisation_id__in=scope)
        partners = partners.filter(organisation_id__in=scope)
        leads = leads.filter(lead_id__in=scope)
    for org, municipality in solution_refs.values_list("solution__organisation_id", "organisation_id").iterator():
        places[org].add(municipality)
    links = [*partners.values_list("organisation_id", "project_id"), *leads.values_list("lead_id", "pk")]
    project_places: dict[int, set[int]] = defaultdict(set)
    place_rows = Project.places.through._default_manager.all()
    if scope is not None:
        place_rows = place_rows.filter(project_id__in={project for _, project in links})
    for project, place in place_rows.values_list("project_id", "organisation_id").iterator():
        project_places[project].add(place)
    for org, project in links:
        places[org] |= project_places.get(project, set())
    return {org: [municipalities[m][0] or "unknown" for m in sorted(ms) if m in municipalities] for org, ms in places.items()}


def challenge_parties(ids: Iterable[int] | None = None, *, include_drafts: bool = False) -> list[Party]:
    """Live challenges as parties needing value-chain roles; owners give size class and areas."""
    terms = _Terms()
    qs = Challenge.objects.live()
    if not include_drafts:
        qs = qs.exclude(status=ChallengeStatus.DRAFT)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(
        qs.values_list("pk", "title", "title_nl", "description_nl", "description_en", "phase_sought__code").order_by("pk")
    )
    scope = [r[0] for r in rows] if ids is not None else None
    domains = terms.group(Challenge.domains, scope, with_broader=True)
    sdgs = terms.group(Challenge.sdgs, scope)
    roles = terms.group(Challenge.value_chain_roles_needed, scope)
    owners = _challenge_owners(scope)
    return [
        Party(
            id=pk,
            kind="challenge",
            title=title_nl or title,
            text=_text(title, title_nl, d_nl, d_en),
            domains=frozenset(domains.get(pk, ())),
            sdgs=frozenset(sdgs.get(pk, ())),
            roles=frozenset(roles.get(pk, ())),
            phase=phase,
            size_class=owners.get(pk, (None, frozenset(), None))[0],
            areas=owners.get(pk, (None, frozenset(), None))[1],
            organisation_id=owners.get(pk, (None, frozenset(), None))[2],
        )
        for pk, title, title_nl, d_nl, d_en, phase in rows
    ]


def _challenge_owners(scope: list[int] | None) -> dict[int, tuple[str | None, frozenset[str], int | None]]:
    """Challenge id -> (size class of the lead owner, owners' provinces, lead owner id)."""
    rows = ChallengeOwner.objects.values_list(
        "challenge_id", "organisation_id", "role", "organisation__municipality_size", "organisation__province__refnis"
    )
    if scope is not None:
        rows = rows.filter(challenge_id__in=scope)
    owners: dict[int, list[tuple[int, str, str, str | None]]] = defaultdict(list)
    for challenge, org, role, size, province in rows.order_by("challenge_id", "id"):
        owners[challenge].append((org, role, size, province))
    out: dict[int, tuple[str | None, frozenset[str], int | None]] = {}
    for challenge, members in owners.items():
        lead = next((m for m in members if m[1] == "lead"), members[0])
        out[challenge] = (lead[2] or None, frozenset(m[3] for m in members if m[3]), lead[0])
    return out


def municipality_parties(ids: Iterable[int] | None = None) -> list[Party]:
    """Flemish municipalities as peers: what they ask (challenges) and what they did (projects)."""
    terms = _Terms()
    qs = Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY, in_region=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    rows = list(qs.values_list("pk", "name", "name_nl", "municipality_size", "province__refnis").order_by("pk"))
    scope = [r[0] for r in rows] if ids is not None else None
    text: dict[int, list[str]] = defaultdict(list)
    domains: dict[int, set[str]] = defaultdict(set)
    sdgs: dict[int, set[str]] = defaultdict(set)
    # What they ask: their published challenges (with a scope, only theirs are read).
    owners = ChallengeOwner.objects.filter(challenge__archived_at=None).exclude(challenge__status=ChallengeStatus.DRAFT)
    if scope is not None:
        owners = owners.filter(organisation_id__in=scope)
    owned = list(owners.values_list("challenge_id", "organisation_id"))
    challenge_ids = sorted({c for c, _ in owned}) if scope is not None else None  # None: all
    challenge_domains = terms.group(Challenge.domains, challenge_ids, with_broader=True)
    challenge_sdgs = terms.group(Challenge.sdgs, challenge_ids)
    challenges = Challenge.objects.filter(pk__in=challenge_ids) if challenge_ids is not None else Challenge.objects.all()
    challenge_text = {
        pk: _text(t, t_nl, d_nl, d_en)
        for pk, t, t_nl, d_nl, d_en in challenges.values_list("pk", "title", "title_nl", "description_nl", "description_en")
    }
    for challenge, org in owned:
        text[org].append(challenge_text[challenge])
        domains[org] |= challenge_domains.get(challenge, set())
        sdgs[org] |= challenge_sdgs.get(challenge, set())
    # What they did: live projects that took place there.
    place_rows = Project.places.through._default_manager.filter(project__archived_at=None)
    if scope is not None:
        place_rows = place_rows.filter(organisation_id__in=scope)
    placed = list(place_rows.values_list("project_id", "organisation_id"))
    project_ids = sorted({p for p, _ in placed}) if scope is not None else None  # None: all
    project_domains = terms.group(Project.domains, project_ids, with_broader=True)
    project_rows = Project.objects.filter(pk__in=project_ids) if project_ids is not None else Project.objects.all()
    projects = {
        pk: _text(t, t_nl, s_nl, s_en)
        for pk, t, t_nl, s_nl, s_en in project_rows.values_list("pk", "title", "title_nl", "summary_nl", "summary_en")
    }
    for project, place in placed:
        text[place].append(projects[project])
        domains[place] |= project_domains.get(project, set())
    return [
        Party(
            id=pk,
            kind="organisation",
            title=name_nl or name,
            text=" ".join(text.get(pk, ())),
            domains=frozenset(domains.get(pk, ())),
            sdgs=frozenset(sdgs.get(pk, ())),
            size_class=size or None,
            areas=frozenset({province} if province else ()),
            organisation_id=pk,
        )
        for pk, name, name_nl, size, province in rows
    ]
