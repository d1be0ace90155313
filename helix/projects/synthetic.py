"""SYNTHETIC projects for scale tests (`manage.py generate_synthetic_projects --count N`).

Never real data, always labelled like the rest of `helix.core.synthetic`: every synthetic project
has a slug `synthetic-prj-<n>` and the source `SYNTHETIC_SOURCE`, and `purge_projects()` deletes
exactly those (with their partners, places, domains, SDGs, funding and links, by cascade).
`generate_projects` refuses to run in a database that holds real (non-synthetic) projects, so
synthetic projects are never mixed into the study's data: use a separate database.

What a project gets (proportions chosen to look like a cohesion-policy project register):

- a title and summaries in Dutch and English composed from per-domain topics (the six smart-city
  domains of the reference taxonomy) x a kind of project x a place, so full-text search and the
  similarity engine see a realistic vocabulary; objectives, success factors, lessons (0-4
  lines), risks and result indicators from small lists;
- 1-2 domains (a top-level domain and often one of its sub-topics), 0-2 SDGs, a phase, a status
  (idea ... stopped), start/end dates, a budget (log-normal, most below EUR 1M);
- places: 1-3 of the 285 Flemish municipalities (centrumsteden more often), or a city abroad
  (existing foreign cities, else a handful of synthetic ones). This is the one departure from
  `helix.core.synthetic` (which never places synthetic records in a real municipality): the
  similarity ("elsewhere", size class) and the per-municipality insights need real places, and
  the refusal above keeps the projects out of any database with real projects;
- a lead and 0-3 partners among the synthetic organisations, when there are any (never a real
  organisation); funding by 0-1 synthetic instrument, when there are any.

Memory stays bounded: projects are made and copied in chunks (`CHUNK` rows: ids reserved from
the sequence, one COPY per table per chunk). Rows are streamed with COPY, so the per-row search
trigger, the indexes, the foreign-key checks and the data-version statement trigger all run as
for any insert. pghistory's per-row insert triggers are skipped (`pgtrigger.ignore`), as for the
other synthetic data: synthetic rows need no change history, and 1.5M insert events would double
the load. `with_history=True` (command: --with-history) keeps them.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.db import connection, transaction
from django.utils import timezone

from helix.core.m2m_history import link_triggers
from helix.core.synthetic import SYNTHETIC_PREFIX, SYNTHETIC_SOURCE, _copy, _m2m, _next_number, _Words

CHUNK = 20_000
PROJECT_SLUG = f"{SYNTHETIC_PREFIX}prj-"
HISTORY_TRIGGERS = (
    "projects.Project:insert_insert",
    "projects.Project:update_update",
    "projects.ProjectPartner:insert_insert",
    "projects.ProjectFunding:insert_insert",
)

# Topics per top-level domain (code of the `domains` scheme): (Dutch, English).
DOMAIN_TOPICS: dict[str, tuple[tuple[str, str], ...]] = {
    "smart-governance": (
        ("e-loket", "e-government counter"), ("open-datacatalogus", "open data catalogue"),
        ("digitaal burgerloket", "digital citizen desk"), ("burgerparticipatieplatform", "citizen participation platform"),
        ("datagedreven beleid", "data-driven policy"), ("digitale tweeling", "digital twin"),
        ("identiteitsbeheer", "identity management"), ("archiefdigitalisering", "archive digitisation"),
        ("chatbot voor burgervragen", "chatbot for citizen questions"), ("API-platform", "API platform"),
    ),
    "smart-living": (
        ("telezorg", "telecare"), ("valdetectie bij ouderen", "fall detection for the elderly"),
        ("slimme camera's", "smart cameras"), ("crowdmanagement", "crowd management"),
        ("sociale huisvesting", "social housing"), ("slimme straatverlichting", "smart street lighting"),
        ("noodoproepsysteem", "emergency call system"), ("zorgplatform", "care platform"),
        ("geluidsmeting", "noise monitoring"), ("preventie van vandalisme", "vandalism prevention"),
    ),
    "smart-people": (
        ("digitale inclusie", "digital inclusion"), ("leerplatform", "learning platform"),
        ("burgerlab", "citizen lab"), ("digitale vaardigheden", "digital skills"),
        ("schoolnetwerk", "school network"), ("jongerenparticipatie", "youth participation"),
        ("bibliotheek als digitaal huis", "library as a digital hub"), ("armoedebestrijding", "poverty reduction"),
    ),
    "smart-economy": (
        ("winkelstraatmonitoring", "shopping street monitoring"), ("toeristische data", "tourism data"),
        ("innovatiehub", "innovation hub"), ("pakketkluizen", "parcel lockers"),
        ("lokale handel online", "local retail online"), ("circulaire bedrijventerreinen", "circular business parks"),
        ("coworking", "coworking"), ("stadslogistiek", "city logistics"),
    ),
    "smart-mobility": (
        ("deelmobiliteit", "shared mobility"), ("slim parkeren", "smart parking"), ("laadpalen", "charging stations"),
        ("verkeerstellingen", "traffic counting"), ("fietsdata", "cycling data"), ("autonome shuttle", "autonomous shuttle"),
        ("verkeersveiligheid rond scholen", "road safety around schools"), ("elektrische bussen", "electric buses"),
        ("mobipunten", "mobility hubs"), ("verkeersvoorspelling", "traffic forecasting"),
    ),
    "smart-environment": (
        ("luchtkwaliteitssensoren", "air-quality sensors"), ("slimme afvalinzameling", "smart waste collection"),
        ("warmtenet", "heat network"), ("energiecoöperatie", "energy cooperative"),
        ("overstromingsmodellen", "flood models"), ("regenwaterbuffers", "rainwater buffers"),
        ("zonnepanelen op openbare gebouwen", "solar panels on public buildings"),
        ("bodemvochtmeting", "soil moisture monitoring"),
        ("buurtbatterij", "neighbourhood battery"), ("groendaken", "green roofs"), ("slimme watermeters", "smart water meters"),
    ),
}  # fmt: skip
PROJECT_KINDS = (
    ("Proefproject", "Pilot", "pilot"), ("Living lab", "Living lab", "living_lab"), ("Uitrol", "Roll-out", "roll_out"),
    ("Haalbaarheidsstudie", "Feasibility study", "study"), ("Platform", "Platform", "platform"),
    ("Proeftuin", "Testbed", "testbed"), ("Samenwerking", "Partnership", "partnership"),
)  # fmt: skip
OBJECTIVES = (
    ("De dienstverlening aan burgers verbeteren", "Improve services to citizens"),
    ("Kosten besparen voor het lokaal bestuur", "Save costs for local government"),
    ("De CO2-uitstoot verminderen", "Reduce CO2 emissions"),
    ("Data beter benutten voor beleid", "Make better use of data for policy"),
    ("De veiligheid in de buurt verhogen", "Increase neighbourhood safety"),
    ("Samenwerking tussen gemeenten versterken", "Strengthen cooperation between municipalities"),
)
LESSONS = (
    "Betrek de gebruikers vanaf de start.",
    "Maak vooraf afspraken over eigendom van de data.",
    "Een proefproject heeft een plan voor opschaling nodig.",
    "Open standaarden maken hergebruik door andere gemeenten mogelijk.",
    "Aanbesteden duurt langer dan verwacht.",
    "Interne draagvlak bij de diensten is cruciaal.",
    "Privacy en GDPR vragen een vroege juridische toets.",
    "Start klein en meet het effect voor je uitbreidt.",
    "Een gedeelde projectleider tussen de partners werkt goed.",
    "Onderhoudskosten na de subsidieperiode moeten begroot zijn.",
)
RISKS = (
    "Onvoldoende budget voor onderhoud", "Gebrek aan interne expertise", "Afhankelijkheid van één leverancier",
    "Privacybezwaren", "Lage deelname van burgers", "Technische interoperabiliteit", "Trage besluitvorming",
)  # fmt: skip
SUCCESS_FACTORS = (
    "Sterke trekker binnen het bestuur", "Duidelijke businesscase", "Betrokken burgers", "Goede datakwaliteit",
    "Samenwerking met kennisinstellingen", "Europese cofinanciering",
)  # fmt: skip
INDICATORS = (
    ("gebruikers", "users"), ("sensoren geplaatst", "sensors"), ("CO2 bespaard", "tonnes"),
    ("kostenbesparing", "EUR"), ("deelnemende gemeenten", "municipalities"), ("datasets gepubliceerd", "datasets"),
)  # fmt: skip
# (status, weight): most register entries are running or completed.
STATUSES = (("idea", 5), ("pilot", 20), ("running", 35), ("scaled", 8), ("completed", 25), ("stopped", 4), ("unknown", 3))
STATUS_PHASE = {
    "idea": ("research", "study"),
    "pilot": ("pilot",),
    "running": ("pilot", "implementation"),
    "scaled": ("implementation", "operation"),
    "completed": ("pilot", "implementation", "operation"),
    "stopped": ("study", "pilot"),
    "unknown": ("study", "pilot", "implementation"),
}
ROLES = ("partner", "technology partner", "knowledge partner", "co-funder", "supplier")
FOREIGN_CITIES = (("Tampere", "FI"), ("Eindhoven", "NL"), ("Lyon", "FR"), ("Aarhus", "DK"), ("Porto", "PT"), ("Tallinn", "EE"))

PROJECT_COLUMNS = (
    "id", "slug", "source", "last_verified", "created_at", "updated_at", "title", "title_nl", "summary_nl",
    "summary_en", "project_type", "lead_id", "area", "status", "phase_id", "start_date", "end_date", "budget",
    "objectives", "results", "success_factors", "lessons", "risks",
)  # fmt: skip


@dataclass(frozen=True)
class ProjectsResult:
    projects: int
    partners: int
    places: int
    seconds: float
    project_rows_seconds: float  # the COPY of the project rows alone (trigger, indexes included)
    index_seconds: float = 0.0  # building the deferred indexes again (defer_indexes=True)


class RealProjectsPresent(RuntimeError):
    """The database holds real projects: synthetic ones would be mixed into them."""


@contextmanager
def _history(enabled: bool) -> Iterator[None]:
    if enabled:
        yield
    else:
        from helix.projects.models import Project

        with pgtrigger.ignore(*HISTORY_TRIGGERS, *link_triggers(Project)):
            yield


@contextmanager
def deferred_indexes(enabled: bool = True) -> Iterator[list[str]]:
    """Drop the project table's secondary (non-unique) indexes and build them again afterwards.

    Building a GIN index once over all rows is several times faster than updating it row by row,
    so a load that is large relative to the table (an empty benchmark database) is faster this
    way. The primary key and the unique slug stay (they guard the data); so do the link tables'
    indexes. Do not use it on a live registry: searches run without indexes meanwhile.
    """
    if not enabled:
        yield []
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = 'projects_project'::regclass AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1"
        )
        definitions = cur.fetchall()
        for name, _ in definitions:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    try:
        yield [name for name, _ in definitions]
    finally:
        with connection.cursor() as cur:
            # Inside an outer transaction, deferred foreign-key checks must run before CREATE INDEX.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in definitions:
                cur.execute(definition)


def synthetic_project_count() -> int:
    from .models import Project

    return Project.objects.filter(slug__startswith=PROJECT_SLUG, source=SYNTHETIC_SOURCE).count()


def real_project_count() -> int:
    from .models import Project

    return Project.objects.exclude(slug__startswith=PROJECT_SLUG, source=SYNTHETIC_SOURCE).count()


def purge_projects() -> int:
    """Delete every synthetic project (and, by cascade, its partners, places, links ...)."""
    from .models import Project

    with transaction.atomic(), _history(False):
        qs = Project.objects.filter(slug__startswith=PROJECT_SLUG, source=SYNTHETIC_SOURCE)
        n = qs.count()
        qs.delete()
    return n


@dataclass
class _Pools:
    domains: dict[str, int]  # top-level domain code -> term id
    subtopics: dict[str, list[int]]  # top-level code -> its sub-topic term ids
    sdgs: list[int]
    phases: dict[str, int]
    municipalities: list[tuple[int, str]]  # (id, name), centrumsteden repeated (weighted)
    abroad: list[tuple[int, str]]
    organisations: list[int]  # synthetic, not municipalities
    instruments: list[int]


def _pools() -> _Pools:
    from helix.actors.models import Organisation
    from helix.core.models import Term
    from helix.instruments.models import Instrument

    domain_terms = Term.objects.filter(scheme__slug="domains")
    top = dict(domain_terms.filter(broader__isnull=True, code__in=DOMAIN_TOPICS).values_list("code", "pk"))
    subtopics: dict[str, list[int]] = {code: [] for code in top}
    by_id = {pk: code for code, pk in top.items()}
    for pk, broader in domain_terms.filter(broader__isnull=False).values_list("pk", "broader_id"):
        if broader in by_id:
            subtopics[by_id[broader]].append(pk)
    towns = Organisation.objects.filter(kind="municipality", in_region=True, archived_at=None).order_by("pk")
    municipalities: list[tuple[int, str]] = []
    for pk, name, size in towns.values_list("pk", "name", "municipality_size"):
        municipalities.extend([(pk, name)] * (4 if size == "large" else 1))
    abroad = list(Organisation.objects.filter(kind="foreign_city", archived_at=None).order_by("pk").values_list("pk", "name"))
    if not abroad:
        abroad = _synthetic_foreign_cities()
    label = {"slug__startswith": SYNTHETIC_PREFIX, "source": SYNTHETIC_SOURCE}
    organisations = list(
        Organisation.objects.filter(**label, archived_at=None)
        .exclude(kind__in=("municipality", "foreign_city"))
        .order_by("pk")
        .values_list("pk", flat=True)[:200_000]
    )
    instruments = list(Instrument.objects.filter(**label).order_by("pk").values_list("pk", flat=True)[:50_000])
    return _Pools(
        domains=top,
        subtopics=subtopics,
        sdgs=list(Term.objects.filter(scheme__slug="sdgs").order_by("pk").values_list("pk", flat=True)),
        phases=dict(Term.objects.filter(scheme__slug="phases").values_list("code", "pk")),
        municipalities=municipalities,
        abroad=abroad,
        organisations=organisations,
        instruments=instruments,
    )


def _synthetic_foreign_cities() -> list[tuple[int, str]]:
    """A few labelled synthetic cities abroad (only when the database has no foreign city)."""
    from helix.actors.models import Organisation

    out = []
    for name, country in FOREIGN_CITIES:
        org, _ = Organisation.objects.get_or_create(
            slug=f"{SYNTHETIC_PREFIX}city-{name.lower()}",
            defaults={"name": f"{name} (synthetic)", "kind": "foreign_city", "country": country, "source": SYNTHETIC_SOURCE},
        )
        out.append((org.pk, org.name))
    return out


class _ProjectMaker:
    """Composes one synthetic project at a time (and its link rows) with one seeded generator."""

    def __init__(self, rng: random.Random, pools: _Pools, first_number: int) -> None:
        self.rng = rng
        self.pools = pools
        self.words = _Words(rng)
        self.number = first_number
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.codes = sorted(c for c in DOMAIN_TOPICS if c in pools.domains) or sorted(DOMAIN_TOPICS)
        # link rows of the current chunk
        self.places: list[tuple[int, int]] = []
        self.domains: list[tuple[int, int]] = []
        self.sdgs: list[tuple[int, int]] = []
        self.partners: list[dict[str, Any]] = []
        self.fundings: list[dict[str, Any]] = []

    def project(self, pk: int) -> dict[str, Any]:
        r, p = self.rng, self.pools
        code = r.choice(self.codes)
        topic_nl, topic_en = r.choice(DOMAIN_TOPICS[code])
        kind_nl, kind_en, project_type = r.choice(PROJECT_KINDS)
        abroad = bool(p.abroad) and r.random() < 0.08
        pool = p.abroad if abroad else p.municipalities
        where = list(dict.fromkeys(r.choice(pool) for _ in range(r.choice((1, 1, 1, 2, 3))))) if pool else []
        place = where[0][1] if where else r.choice(("Vlaanderen", "Europa"))
        status = _pick_weighted(r, STATUSES)
        phase = p.phases.get(r.choice(STATUS_PHASE[status]))
        start = self.today - datetime.timedelta(days=r.randint(0, 12 * 365))
        end = start + datetime.timedelta(days=r.randint(180, 5 * 365)) if r.random() < 0.8 else None
        brand = self.words.brand()
        objective = r.choice(OBJECTIVES)
        v_nl, v_en = r.choice((("test", "tests"), ("rolt uit", "rolls out"), ("onderzoekt", "explores"), ("bouwt", "builds")))
        summary_nl = (
            f"{kind_nl} rond {topic_nl} in {place}. Het project {v_nl} {topic_nl} samen met lokale partners "
            f"onder de naam {brand}. {objective[0]}."
        )
        summary_en = (
            f"{kind_en} on {topic_en} in {place}. The project {v_en} {topic_en} with local partners "
            f"under the name {brand}. {objective[1]}."
        )
        indicator = r.choice(INDICATORS)
        self.number += 1
        row: dict[str, Any] = {
            "id": pk,
            "slug": f"{PROJECT_SLUG}{self.number - 1}",
            "source": SYNTHETIC_SOURCE,
            "last_verified": self.today - datetime.timedelta(days=r.randint(0, 5 * 365)),
            "created_at": self.now,
            "updated_at": self.now,
            "title": f"{kind_en} {topic_en} {place} {brand}",
            "title_nl": f"{kind_nl} {topic_nl} {place} {brand}" if r.random() < 0.8 else "",
            "summary_nl": summary_nl,
            "summary_en": summary_en if r.random() < 0.7 else "",
            "project_type": project_type,
            "lead_id": r.choice(p.organisations) if p.organisations and r.random() < 0.9 else None,
            "area": "" if where else place,
            "status": status,
            "phase_id": phase,
            "start_date": start,
            "end_date": end,
            "budget": round(math.exp(r.gauss(11.5, 1.4)), -2) if r.random() < 0.75 else None,
            "objectives": objective[0],
            "results": json.dumps(
                [{"indicator": indicator[0], "value": r.randint(1, 5000), "unit": indicator[1]}] if r.random() < 0.5 else []
            ),
            "success_factors": "\n".join(r.sample(SUCCESS_FACTORS, r.randint(0, 2))),
            "lessons": "\n".join(r.sample(LESSONS, r.choice((0, 0, 1, 2, 3, 4)))),
            "risks": "\n".join(r.sample(RISKS, r.randint(0, 2))),
        }
        self.places.extend((pk, place_id) for place_id, _ in where)
        if code in p.domains:
            self.domains.append((pk, p.domains[code]))
            if p.subtopics.get(code) and r.random() < 0.7:
                self.domains.append((pk, r.choice(p.subtopics[code])))
        self.sdgs.extend((pk, t) for t in (r.sample(p.sdgs, r.choice((0, 1, 1, 2))) if p.sdgs else ()))
        if p.organisations:
            for org in sorted({r.choice(p.organisations) for _ in range(r.choice((0, 1, 1, 2, 3)))} - {row["lead_id"]}):
                self.partners.append({"project_id": pk, "organisation_id": org, "role": r.choice(ROLES)})
        if p.instruments and r.random() < 0.15:
            amount = round(float(row["budget"] or 100_000) * r.choice((0.25, 0.5, 0.75)), 2)
            self.fundings.append({"project_id": pk, "instrument_id": r.choice(p.instruments), "amount": amount})
        return row


def _pick_weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


def _reserve(count: int) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence('projects_project', 'id')) FROM generate_series(1, %s)",
            [count],
        )
        return [int(r[0]) for r in cur.fetchall()]


def project_rows(count: int, *, seed: int = 0) -> Iterator[dict[str, Any]]:
    """The project rows `generate_projects` makes with this seed (ids from 1), without writing
    anything: for the benchmark's raw COPY from the generator. The pools are read now, before
    the caller starts a COPY on the same connection."""
    maker = _ProjectMaker(random.Random(seed), _pools(), 1)  # noqa: S311 (synthetic data)

    def rows() -> Iterator[dict[str, Any]]:
        for pk in range(1, count + 1):
            yield maker.project(pk)
            for links in (maker.places, maker.domains, maker.sdgs, maker.partners, maker.fundings):
                links.clear()

    return rows()


def generate_projects(
    *,
    count: int,
    seed: int = 0,
    with_history: bool = False,
    defer_indexes: bool = False,
    progress: Any = None,
    allow_real: bool = False,
) -> ProjectsResult:
    """Add `count` synthetic projects, in chunks of CHUNK, each chunk in its own transaction."""
    from .models import Project, ProjectFunding, ProjectPartner

    if not allow_real and real_project_count():
        raise RealProjectsPresent(
            "this database holds real projects: generate synthetic projects in a separate database (never mixed into real data)"
        )
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    pools = _pools()
    maker = _ProjectMaker(rng, pools, _next_number("projects_project", "prj"))
    done = partners = places = 0
    copy_seconds = 0.0
    with deferred_indexes(defer_indexes):
        while done < count:
            size = min(CHUNK, count - done)
            with transaction.atomic(), _history(with_history):
                ids = _reserve(size)
                t0 = time.perf_counter()
                _copy(Project, PROJECT_COLUMNS, (maker.project(pk) for pk in ids))
                copy_seconds += time.perf_counter() - t0
                places += _m2m(Project.places, maker.places)
                _m2m(Project.domains, maker.domains)
                _m2m(Project.sdgs, maker.sdgs)
                partners += _copy(ProjectPartner, ("project_id", "organisation_id", "role"), maker.partners)
                _copy(ProjectFunding, ("project_id", "instrument_id", "amount"), maker.fundings)
            for rows in (maker.places, maker.domains, maker.sdgs, maker.partners, maker.fundings):
                rows.clear()
            done += size
            if progress:
                progress(done, time.perf_counter() - started)
        index_started = time.perf_counter()
    index_seconds = time.perf_counter() - index_started
    return ProjectsResult(
        projects=done,
        partners=partners,
        places=places,
        seconds=time.perf_counter() - started,
        project_rows_seconds=copy_seconds,
        index_seconds=index_seconds if defer_indexes else 0.0,
    )
