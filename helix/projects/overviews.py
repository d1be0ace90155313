"""Knowledge-hub overviews: running and planned work, obstacles and lessons per domain, and the
pilots that never scaled. Read-only queries over live projects (see docs/knowledge-hub.md).

Obstacles and lessons (the method, also in the docs):

1. *Statements.* The `risks` and `lessons` fields are split into lines, and lines into sentences
   (at ". ", "; ", "? ", "! "). Every statement of `risks` is an obstacle. A lesson is an
   obstacle too when it names one: it contains an obstacle cue word (`OBSTACLE_CUES`: "block",
   "lack", "fail", "doubtful", "not", "geen", "gebrek", ... - matched on accent-folded words and
   their beginnings, so "blocks", "failing" and "fragmentation" match).
2. *Normalisation.* A statement becomes a set of key terms with the matcher's analysis
   (`helix.matching.engine.text`: lower case, accents folded, Dutch and English stop words
   dropped); each token is reduced to its shortest Snowball stem (Dutch or English), so
   "procurement" and "procure" meet. Generic words of the field (`GENERIC`: city, municipality,
   data, project, smart, ...) and terms shorter than three letters are left out.
3. *Grouping.* Per domain (the project's own domain terms), a key term that occurs in the
   obstacles of at least two projects is a *theme*; themes carried by exactly the same statements
   are one theme ("living" + "lab" -> "living lab"). Themes are ranked by the number of projects
   behind them, then by the number of statements, then alphabetically; each lists its statements
   with their projects. Obstacles that share no theme with another project are listed apart.

The page reads `overview_payload()`: the same method computed SQL-side (statements split and
grouped in PostgreSQL, `knowledge_summary`), so that it also runs over 1.5M projects, and kept as
a pre-aggregated snapshot (helix/insights/snapshots.py). A statement made by several projects is
listed once with its number of projects and the first EXAMPLES of them; lists stop at
ITEMS_SHOWN statements, the pilots at PILOTS_SHOWN. `knowledge_by_domain` is the same method
per project object (the reference the tests compare the SQL version with).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from helix.actors.choices import OrganisationKind
from helix.core.models import Term, localized
from helix.matching.engine.text import fold, terms_of_token, tokenize

from .choices import LinkKind, ProjectStatus
from .models import Project, ProjectLink

# Running and planned work: what is under way (pilot, running, scaled) or planned (idea).
ACTIVE_STATUSES = (ProjectStatus.IDEA, ProjectStatus.PILOT, ProjectStatus.RUNNING, ProjectStatus.SCALED)

OBSTACLE_CUES = (
    # English
    "barrier", "block", "burden", "cannot", "costly", "difficult", "doubt", "depend", "fail", "fragment",
    "harm", "hinder", "lack", "limited", "missing", "never", "no", "not", "obstacle", "problem", "risk",
    "silo", "uncertain", "unrealistic",
    # Dutch
    "afhankelijk", "belemmer", "drempel", "gebrek", "geen", "moeilijk", "niet", "nooit", "ontbre",
    "probleem", "risico", "versnipper", "twijfel",
)  # fmt: skip
_CUE_EXACT = frozenset({"no", "not", "geen", "niet", "nooit", "never", "cannot"})
_CUE_PREFIXES = tuple(c for c in OBSTACLE_CUES if c not in _CUE_EXACT)

GENERIC = frozenset(
    {
        "citi", "city", "stad", "steden", "gemeent", "gemeente", "municip", "municipality", "local", "lokal",
        "data", "project", "smart", "slim", "slimm", "must", "make", "need", "use", "used", "also", "well",
        "moet", "kan", "eerst", "such", "mani", "many", "everi", "every", "way", "rais", "raise", "rai", "get",
    }
)  # fmt: skip

_SENTENCE = re.compile(r"(?<=[.;?!])\s+")
_WORD = re.compile(r"[^\W\d_]+")


def statements(text: str) -> list[str]:
    """Lines, then sentences, stripped of list markers and trailing full stops."""
    out: list[str] = []
    for line in text.splitlines():
        for part in _SENTENCE.split(line.strip()):
            part = part.strip().lstrip("-*• ").rstrip(".;").strip()
            if part:
                out.append(part)
    return out


def is_obstacle(statement: str) -> bool:
    words = _WORD.findall(fold(statement))
    return any(w in _CUE_EXACT or w.startswith(_CUE_PREFIXES) for w in words)


def key_terms(statement: str) -> dict[str, str]:
    """Key term -> the first surface word that gave it (for the theme's label)."""
    out: dict[str, str] = {}
    for token in tokenize(statement):
        stem = min(terms_of_token(token), key=lambda t: (len(t), t))
        if len(stem) < 3 or stem in GENERIC or token in GENERIC:
            continue
        out.setdefault(stem, token)
    return out


@dataclass(frozen=True)
class Statement:
    text: str
    project: Project
    source: str  # "risks" | "lessons"


@dataclass
class Theme:
    label: str
    terms: tuple[str, ...]
    statements: list[Statement]

    @property
    def projects(self) -> list[Project]:
        seen: dict[int, Project] = {}
        for s in self.statements:
            seen.setdefault(s.project.pk, s.project)
        return list(seen.values())


@dataclass
class DomainKnowledge:
    domain: Term
    projects: int
    themes: list[Theme] = field(default_factory=list)
    other_obstacles: list[Statement] = field(default_factory=list)
    lessons: list[Statement] = field(default_factory=list)
    lesson_themes: list[Theme] = field(default_factory=list)  # the same grouping over every lesson


def themes_of(obstacles: list[Statement], *, min_projects: int = 2) -> tuple[list[Theme], list[Statement]]:
    """Group obstacle statements into themes (see the module docstring); also the ungrouped ones."""
    terms_of = [key_terms(s.text) for s in obstacles]
    by_term: dict[str, list[int]] = defaultdict(list)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for i, terms in enumerate(terms_of):
        for term, word in terms.items():
            by_term[term].append(i)
            surface[term][word] += 1
    groups: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for term, idx in by_term.items():
        if len({obstacles[i].project.pk for i in idx}) >= min_projects:
            groups[tuple(idx)].append(term)
    themes: list[Theme] = []
    for members, shared in groups.items():
        first = obstacles[members[0]].text
        # the label: the surface words in the order of the first statement's text
        position = fold(first)
        words = sorted(
            (surface[t].most_common(1)[0][0] for t in shared), key=lambda w: (position.find(w) < 0, position.find(w), w)
        )
        themes.append(Theme(label=" ".join(words), terms=tuple(sorted(shared)), statements=[obstacles[i] for i in members]))
    themes.sort(key=lambda t: (-len(t.projects), -len(t.statements), t.label))
    grouped = {id(s) for t in themes for s in t.statements}
    return themes, [s for s in obstacles if id(s) not in grouped]


def knowledge_by_domain(projects: Iterable[Project] | None = None, *, max_themes: int = 5) -> list[DomainKnowledge]:
    """Per domain (with projects that have lessons or risks): obstacle themes and lessons."""
    if projects is None:
        projects = Project.objects.live().prefetch_related("domains").order_by("title", "id")
    per_domain: dict[int, DomainKnowledge] = {}
    obstacles: dict[int, list[Statement]] = defaultdict(list)
    for project in projects:
        lessons = [Statement(s, project, "lessons") for s in statements(project.lessons)]
        risks = [Statement(s, project, "risks") for s in statements(project.risks)]
        if not lessons and not risks:
            continue
        for domain in project.domains.all():
            entry = per_domain.get(domain.pk)
            if entry is None:
                entry = per_domain[domain.pk] = DomainKnowledge(domain=domain, projects=0)
            entry.projects += 1
            entry.lessons += lessons
            obstacles[domain.pk] += risks + [s for s in lessons if is_obstacle(s.text)]
    out = []
    for pk, entry in per_domain.items():
        themes, rest = themes_of(obstacles[pk])
        entry.themes = themes[:max_themes]
        entry.other_obstacles = rest + [s for t in themes[max_themes:] for s in t.statements]
        entry.lesson_themes = themes_of(entry.lessons)[0][:max_themes]
        out.append(entry)
    out.sort(key=lambda e: (-e.projects, str(e.domain)))
    return out


# --- Counts ----------------------------------------------------------------------------------


@dataclass
class CountRow:
    key: str  # the filter value (domain code, place slug)
    label: str
    counts: dict[str, int]  # status -> count
    total: int

    @property
    def cells(self) -> list[tuple[str, int]]:
        """(status, count) in the order of ACTIVE_STATUSES."""
        return [(str(status), self.counts.get(status, 0)) for status in ACTIVE_STATUSES]


def _rows(pairs: Iterable[tuple[str, str, str, int]]) -> list[CountRow]:
    rows: dict[str, CountRow] = {}
    for key, label, status, n in pairs:
        row = rows.setdefault(key, CountRow(key=key, label=label, counts={}, total=0))
        row.counts[status] = row.counts.get(status, 0) + n
        row.total += n
    return sorted(rows.values(), key=lambda r: (-r.total, r.label))


def active_projects() -> QuerySet[Project]:
    return Project.objects.live().filter(status__in=ACTIVE_STATUSES)


def by_status() -> dict[str, int]:
    counts = dict(active_projects().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {str(s): counts.get(s, 0) for s in ACTIVE_STATUSES}


def domain_counts() -> list[dict[str, Any]]:
    """Running and planned projects per domain and status, with both labels (JSON for a snapshot)."""
    rows = (
        active_projects()
        .values_list("domains__code", "domains__label_nl", "domains__label_en", "status")
        .annotate(n=Count("id", distinct=True))
        .exclude(domains__code=None)
    )
    return [{"key": code, "label_nl": nl, "label_en": en, "status": status, "n": n} for code, nl, en, status, n in rows]


def municipality_counts() -> list[dict[str, Any]]:
    rows = (
        active_projects()
        .filter(places__kind=OrganisationKind.MUNICIPALITY, places__archived_at=None)
        .values_list("places__slug", "places__name", "places__name_nl", "status")
        .annotate(n=Count("id", distinct=True))
    )
    return [
        {"key": slug, "label_nl": name_nl or name, "label_en": name_nl or name, "status": status, "n": n}
        for slug, name, name_nl, status, n in rows
    ]


def count_rows(counts: Iterable[dict[str, Any]]) -> list[CountRow]:
    """`domain_counts()` or `municipality_counts()` as table rows, labelled in the page language."""
    return _rows((c["key"], localized(nl=c["label_nl"], en=c["label_en"]) or c["key"], c["status"], c["n"]) for c in counts)


def by_domain() -> list[CountRow]:
    return count_rows(domain_counts())


def by_municipality() -> list[CountRow]:
    return count_rows(municipality_counts())


# --- Pilots that never scaled ------------------------------------------------------------------


def pilots_never_scaled() -> QuerySet[Project]:
    """Pilots (status or phase) that are not scaled and that no project scales up or replicates."""
    followed = ProjectLink.objects.filter(
        to_project=OuterRef("pk"), kind__in=[LinkKind.SCALES_UP, LinkKind.REPLICATES], from_project__archived_at=None
    )
    return (
        Project.objects.live()
        .filter(Q(status=ProjectStatus.PILOT) | Q(phase__code="pilot"))
        .exclude(status=ProjectStatus.SCALED)
        .exclude(Exists(followed))
        .select_related("lead", "phase")
        .prefetch_related("places", "domains")
        .order_by("title", "id")
    )


def link_params(**params: Any) -> str:
    from django.utils.http import urlencode

    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- The overview as one payload (SQL-side, pre-aggregated at scale) ---------------------------

EXAMPLES = 3
"""Projects named beside a statement; the others are counted ("and 12 more projects")."""
ITEMS_SHOWN = 100
"""Statements listed per theme and per list of a domain (the ones named by the most projects)."""
PILOTS_SHOWN = 100
EMPTY_OVERVIEW: dict[str, Any] = {
    "by_status": {},
    "by_domain": [],
    "by_municipality": [],
    "knowledge": [],
    "projects": {},
    "pilots": {"total": 0, "items": []},
}

# Python's str.splitlines() line boundaries and overviews.statements()' cleaning, in PostgreSQL.
_LINES = "\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"
_SENTENCES = r"(?<=[.;?!])\s+"
_SPACE = " \t\n\r\x0b\x0c"
_TEMP = "helix_overview"  # prefix of the temporary tables (dropped at the end of the transaction)


def _statements_sql() -> str:
    """Every statement of every live project: (project, source, text), as overviews.statements()."""
    project = Project._meta.db_table
    return f"""CREATE TEMPORARY TABLE {_TEMP}_raw ON COMMIT DROP AS
        SELECT project_id, source, text FROM (
            SELECT p.id AS project_id, f.source,
                   btrim(rtrim(ltrim(btrim(part, %(space)s), '-*• '), '.;'), %(space)s) AS text
              FROM {project} p
             CROSS JOIN LATERAL (VALUES ('risks', p.risks), ('lessons', p.lessons)) AS f(source, body)
             CROSS JOIN LATERAL regexp_split_to_table(f.body, %(lines)s) AS line
             CROSS JOIN LATERAL regexp_split_to_table(btrim(line, %(space)s), %(sentences)s) AS part
             WHERE p.archived_at IS NULL AND f.body <> ''
        ) AS s WHERE text <> ''"""  # noqa: S608 (table names from the models)


@dataclass
class _Unit:
    """A distinct statement of a domain: (source, text), made by `projects` projects."""

    id: int
    source: str
    text: str
    projects: int
    examples: list[int] = field(default_factory=list)
    order: tuple[Any, ...] = ()

    def as_item(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "projects": self.projects, "examples": self.examples}


def _themes(units: list[_Unit], term_projects: Counter[str]) -> tuple[list[dict[str, Any]], list[_Unit]]:
    """`themes_of` over distinct statements: the projects per key term come exactly from SQL."""
    by_term: dict[str, list[int]] = defaultdict(list)
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for i, unit in enumerate(units):
        for term, word in key_terms(unit.text).items():
            by_term[term].append(i)
            surface[term][word] += unit.projects
    groups: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for term, idx in by_term.items():
        if term_projects[term] >= 2:
            groups[tuple(idx)].append(term)
    themes: list[dict[str, Any]] = []
    for members, shared in groups.items():
        position = fold(units[members[0]].text)
        words = sorted(
            (surface[t].most_common(1)[0][0] for t in shared), key=lambda w: (position.find(w) < 0, position.find(w), w)
        )
        themes.append(
            {
                "label": " ".join(words),
                "terms": sorted(shared),
                "projects": term_projects[shared[0]],
                "statements": sum(units[i].projects for i in members),
                "members": list(members),
            }
        )
    themes.sort(key=lambda t: (-t["projects"], -t["statements"], t["label"]))
    grouped = {i for t in themes for i in t["members"]}
    return themes, [u for i, u in enumerate(units) if i not in grouped]


def _listed(units: Iterable[_Unit]) -> dict[str, Any]:
    ordered = sorted(units, key=lambda u: (-u.projects, u.order))
    return {
        "total": sum(u.projects for u in ordered),
        "distinct": len(ordered),
        "items": [u.as_item() for u in ordered[:ITEMS_SHOWN]],
    }


def knowledge_summary(*, max_themes: int = 5) -> tuple[list[dict[str, Any]], set[int]]:
    """Obstacles and lessons per domain by the method of the module docstring, computed in
    PostgreSQL so that it runs over 1.5M projects in bounded memory:

    1. the statements of every live project are split there (temporary tables: the distinct
       statements with an id, and the distinct (project, statement) pairs);
    2. each project's set of statements is grouped per domain: (domain, set, projects) rows,
       few because projects repeat statements (at most one per project and domain);
    3. here, the key terms of each distinct statement (as an obstacle, as a lesson), and from
       the sets the exact number of projects per domain, statement and key term (a project
       counts once for a term even when several of its statements carry it);
    4. the first EXAMPLES projects (by id) of each statement listed, found there again.

    A statement a project makes twice counts once. Returns the domains (JSON) and the ids of the
    example projects they name."""
    domains_table = Project.domains.through._meta.db_table
    params = {"space": _SPACE, "lines": _LINES, "sentences": _SENTENCES}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for suffix in ("raw", "statement", "pair"):  # a second call in one transaction (tests)
            cursor.execute(f"DROP TABLE IF EXISTS {_TEMP}_{suffix}")
        cursor.execute(_statements_sql(), params)
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {_TEMP}_statement ON COMMIT DROP AS
                SELECT (row_number() OVER (ORDER BY source, text))::int AS id, source, text
                  FROM (SELECT DISTINCT source, text FROM {_TEMP}_raw) AS d"""  # noqa: S608 (constant names)
        )
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {_TEMP}_pair ON COMMIT DROP AS
                SELECT DISTINCT r.project_id, s.id AS statement
                  FROM {_TEMP}_raw r JOIN {_TEMP}_statement s ON s.source = r.source AND s.text = r.text"""  # noqa: S608
        )
        cursor.execute(f"CREATE INDEX ON {_TEMP}_pair (statement, project_id)")
        cursor.execute(f"ANALYZE {_TEMP}_pair")
        cursor.execute(f"SELECT id, source, text FROM {_TEMP}_statement")  # noqa: S608
        statement = {pk: (source, text) for pk, source, text in cursor.fetchall()}
        cursor.execute(
            f"""SELECT d.term_id, c.statements, count(*) FROM (
                    SELECT project_id, array_agg(statement ORDER BY statement) AS statements
                      FROM {_TEMP}_pair GROUP BY project_id
                ) AS c JOIN {domains_table} d ON d.project_id = c.project_id
                GROUP BY 1, 2"""  # noqa: S608 (table names from the models)
        )
        sets = cursor.fetchall()
        # 3. key terms per statement, projects per (domain, statement) and (domain, kind, term)
        terms: dict[tuple[str, int], set[str]] = {}
        for pk, (source, text) in statement.items():
            found = set(key_terms(text))
            terms[("obstacle", pk)] = found if source == "risks" or is_obstacle(text) else set()
            terms[("lesson", pk)] = found if source == "lessons" else set()
        projects_per_domain: Counter[int] = Counter()
        per_statement: dict[int, Counter[int]] = defaultdict(Counter)
        per_term: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
        union: dict[tuple[str, tuple[int, ...]], set[str]] = {}
        for domain, members, n in sets:
            projects_per_domain[domain] += n
            for pk in members:
                per_statement[domain][pk] += n
            for kind in ("obstacle", "lesson"):
                key = (kind, tuple(members))
                if key not in union:
                    union[key] = set().union(*(terms[(kind, pk)] for pk in members))
                for term in union[key]:
                    per_term[(domain, kind)][term] += n
        # 4. examples of every (domain, statement)
        pairs = [(domain, pk) for domain, counts in per_statement.items() for pk in counts]
        cursor.execute(
            f"""SELECT x.domain, x.statement, ARRAY(
                    SELECT p.project_id FROM {_TEMP}_pair p
                      JOIN {domains_table} d ON d.project_id = p.project_id AND d.term_id = x.domain
                     WHERE p.statement = x.statement ORDER BY p.project_id LIMIT %s)
                  FROM unnest(%s::bigint[], %s::int[]) AS x(domain, statement)""",  # noqa: S608 (table names from the models)
            [EXAMPLES, [d for d, _pk in pairs], [pk for _d, pk in pairs]],
        )
        examples = {(domain, pk): ids for domain, pk, ids in cursor.fetchall()}
    example_ids = {pk for ids in examples.values() for pk in ids}
    order = {p["id"]: (p["title"], p["id"]) for p in Project.objects.filter(pk__in=example_ids).values("id", "title")}
    out: list[dict[str, Any]] = []
    for domain, counts in per_statement.items():
        units = []
        for pk, n in counts.items():
            source, text = statement[pk]
            ids = sorted(examples.get((domain, pk), []), key=lambda i: order.get(i, ("", i)))
            first = order.get(ids[0], ("", ids[0])) if ids else ("", 0)
            units.append(_Unit(pk, source, text, n, ids, (*first, source != "risks", text)))
        units.sort(key=lambda u: u.order)
        obstacles = [u for u in units if u.source == "risks" or is_obstacle(u.text)]
        lessons = [u for u in units if u.source == "lessons"]
        themes, rest = _themes(obstacles, per_term[(domain, "obstacle")])
        beyond = {obstacles[i].id for t in themes[max_themes:] for i in t["members"]} - {u.id for u in rest}
        other = rest + [u for u in obstacles if u.id in beyond]
        lesson_themes, _unused = _themes(lessons, per_term[(domain, "lesson")])
        out.append(
            {
                "domain": domain,
                "projects": projects_per_domain[domain],
                "themes": [
                    {**{k: t[k] for k in THEME_KEYS}, **_listed(obstacles[i] for i in t["members"])} for t in themes[:max_themes]
                ],
                "other_obstacles": _listed(other),
                "lessons": _listed(lessons),
                "lesson_themes": [{"label": t["label"], "projects": t["projects"]} for t in lesson_themes[:max_themes]],
            }
        )
    labels = {t.pk: str(t.label_nl) for t in Term.objects.filter(pk__in=list(per_statement))}
    out.sort(key=lambda e: (-e["projects"], labels.get(e["domain"], "")))
    shown = {pk for e in out for part in _parts(e) for item in part["items"] for pk in item["examples"]}
    return out, shown


THEME_KEYS = ("label", "terms", "projects", "statements")


def _theme(theme: dict[str, Any], units: list[_Unit]) -> dict[str, Any]:
    return {**{k: theme[k] for k in THEME_KEYS}, **_listed(units[i] for i in theme["members"])}


def _parts(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [*entry["themes"], entry["other_obstacles"], entry["lessons"]]


def overview_payload() -> dict[str, Any]:
    """The whole overview page's numbers and lists, language-neutral (both labels, ids, slugs):
    what the pre-aggregated snapshot keeps."""
    knowledge, example_ids = knowledge_summary()
    pilots = pilots_never_scaled()
    items = []
    for project in pilots[:PILOTS_SHOWN]:
        items.append(
            {
                "slug": project.slug,
                "title": project.title,
                "title_nl": project.title_nl,
                "status": project.status,
                "places": [{"name": o.name, "name_nl": o.name_nl} for o in project.places.all()],
                "domains": [{"label_nl": t.label_nl, "label_en": t.label_en} for t in project.domains.all()],
            }
        )
    projects = Project.objects.filter(pk__in=example_ids).values("id", "slug", "title", "title_nl")
    return {
        "by_status": by_status(),
        "by_domain": domain_counts(),
        "by_municipality": municipality_counts(),
        "knowledge": knowledge,
        "projects": {str(p["id"]): {k: p[k] for k in ("slug", "title", "title_nl")} for p in projects},
        "pilots": {"total": pilots.count() if len(items) >= PILOTS_SHOWN else len(items), "items": items},
    }


# --- The payload as the page shows it (in the page language) -----------------------------------


@dataclass(frozen=True)
class ShownProject:
    url: str
    name: str


@dataclass
class ShownStatement:
    text: str
    projects: list[ShownProject]
    more: int  # projects that make it beyond the named examples


@dataclass
class ShownList:
    total: int  # statements (a statement of two projects counts twice, as in knowledge_by_domain)
    distinct: int
    items: list[ShownStatement]

    @property
    def capped(self) -> bool:
        return self.distinct > len(self.items)


@dataclass
class ShownTheme:
    label: str
    projects: int
    statements: ShownList


@dataclass
class ShownDomain:
    domain: Term
    projects: int
    themes: list[ShownTheme]
    other_obstacles: ShownList
    lessons: ShownList
    lesson_themes: list[dict[str, Any]]


def _project(slug: str) -> str:
    from django.urls import reverse

    return reverse("projects:project-detail", kwargs={"slug": slug})


def shown_knowledge(payload: dict[str, Any]) -> list[ShownDomain]:
    projects = {
        int(pk): ShownProject(_project(p["slug"]), localized(nl=p["title_nl"], en=p["title"]))
        for pk, p in payload["projects"].items()
    }

    def listed(part: dict[str, Any]) -> ShownList:
        items = []
        for item in part["items"]:
            named = [projects[pk] for pk in item["examples"] if pk in projects]
            items.append(ShownStatement(item["text"], named, item["projects"] - len(named)))
        return ShownList(part["total"], part["distinct"], items)

    terms = Term.objects.in_bulk([entry["domain"] for entry in payload["knowledge"]])
    out = []
    for entry in payload["knowledge"]:
        domain = terms.get(entry["domain"])
        if domain is None:  # deleted since the snapshot
            continue
        themes = [ShownTheme(t["label"], t["projects"], listed(t)) for t in entry["themes"]]
        out.append(
            ShownDomain(
                domain,
                entry["projects"],
                themes,
                listed(entry["other_obstacles"]),
                listed(entry["lessons"]),
                entry["lesson_themes"],
            )
        )
    out.sort(key=lambda e: (-e.projects, str(e.domain)))
    return out


def shown_pilots(payload: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {
            "url": _project(p["slug"]),
            "name": localized(nl=p["title_nl"], en=p["title"]),
            "places": ", ".join(localized(nl=o["name_nl"], en=o["name"]) for o in p["places"]),
            "domains": ", ".join(localized(nl=t["label_nl"], en=t["label_en"]) for t in p["domains"]),
            "status": str(ProjectStatus(p["status"]).label),
        }
        for p in payload["pilots"]["items"]
    ]
