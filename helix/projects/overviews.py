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
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from helix.actors.choices import OrganisationKind
from helix.core.models import Term, in_english
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


def by_domain() -> list[CountRow]:
    rows = (
        active_projects()
        .values_list("domains__code", "domains__label_nl", "domains__label_en", "status")
        .annotate(n=Count("id", distinct=True))
        .exclude(domains__code=None)
    )
    english = in_english()
    return _rows((code, (en if english else nl) or nl or code, status, n) for code, nl, en, status, n in rows)


def by_municipality() -> list[CountRow]:
    rows = (
        active_projects()
        .filter(places__kind=OrganisationKind.MUNICIPALITY, places__archived_at=None)
        .values_list("places__slug", "places__name", "places__name_nl", "status")
        .annotate(n=Count("id", distinct=True))
    )
    return _rows((slug, name_nl or name, status, n) for slug, name, name_nl, status, n in rows)


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
