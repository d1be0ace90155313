"""Public pages of the core: home, search across registries, and helpers for detail pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchHeadline
from django.db.models import Count, F, Model, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from helix.core.models import in_english
from helix.core.permissions import is_curator
from helix.core.search import ranked_search, search_query
from helix.core.templatetags.helix_tags import HIGHLIGHT_START, HIGHLIGHT_STOP, safe_highlight

SEARCH_TOP_N = 20
SEARCH_MAX_LENGTH = 200

# --- Detail page helpers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass
class DetailRow:
    """One labelled fact of a detail page; `links` for related records, `url` for one link."""

    label: Any
    value: Any = None
    url: str = ""
    links: list[Link] = field(default_factory=list)
    external: bool = False
    lang: str = ""

    @property
    def empty(self) -> bool:
        from helix.core.templatetags.helix_tags import cell

        return not self.links and cell(self.value) == "—"


def field_label(model: type[Model], name: str) -> Any:
    return getattr(model._meta.get_field(name), "verbose_name", name)


def links_to(records: Iterable[Any]) -> list[Link]:
    return [Link(str(r), r.get_absolute_url()) for r in records]


def get_visible_or_404(qs: QuerySet[Any], user: Any, **lookup: Any) -> Any:
    """The record for a public page: archived records exist only for curators."""
    if not is_curator(user):
        qs = qs.filter(archived_at__isnull=True)
    try:
        return qs.get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def current_lang() -> str:
    return "en" if in_english() else "nl"


def text_in_language(nl: str, en: str) -> tuple[str, str]:
    """The text in the page's language if present, else the other one, with its language code."""
    if current_lang() == "en":
        return (en, "en") if en else (nl, "nl" if nl else "")
    return (nl, "nl") if nl else (en, "en" if en else "")


# --- Home ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StudyComparison:
    """A figure of the 2020 study beside what Helix holds now."""

    label: Any
    study: Decimal | None
    helix: int
    url: str
    what: str


def _count_by(qs: QuerySet[Any], field_name: str) -> dict[str, int]:
    return {row[field_name]: row["n"] for row in qs.order_by().values(field_name).annotate(n=Count("pk"))}


def home(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse

    from helix.actors.choices import OrganisationKind
    from helix.actors.models import Organisation
    from helix.core.models import Figure
    from helix.instruments.choices import InstrumentKind, InstrumentStatus
    from helix.instruments.models import Instrument

    organisations = Organisation.objects.live()
    instruments = Instrument.objects.live()
    by_kind = _count_by(organisations, "kind")
    instruments_by_kind = _count_by(instruments, "kind")
    region_municipalities = organisations.filter(kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False, in_region=True).count()
    open_instruments = instruments.with_status_filter(InstrumentStatus.OPEN).count()  # type: ignore[attr-defined]
    figures = {f.key: f for f in Figure.objects.filter(key__in=list(STUDY_FIGURES))}

    org_list = reverse("actors:organisation-list")
    municipality_list = reverse("actors:municipality-list")
    instrument_list = reverse("instruments:instrument-list")
    comparisons = []
    for key, (label, kind_value, is_instrument) in STUDY_FIGURES.items():
        figure = figures.get(key)
        if figure is None:
            continue
        if key == "fig-actors-cities":
            helix_count, url = region_municipalities, municipality_list
        elif is_instrument:
            helix_count, url = instruments_by_kind.get(kind_value, 0), f"{instrument_list}?kind={kind_value}"
        else:
            helix_count, url = by_kind.get(kind_value, 0), f"{org_list}?kind={kind_value}"
        comparisons.append(StudyComparison(label, figure.value, helix_count, url, figure.what))

    context = {
        "organisation_total": sum(by_kind.values()),
        "organisation_count": sum(by_kind.values()),  # the skeleton's name (tests/test_smoke.py)
        "instrument_count": sum(instruments_by_kind.values()),
        "organisation_kinds": [
            (kind.label, by_kind[kind.value], f"{org_list}?kind={kind.value}")
            for kind in OrganisationKind
            if by_kind.get(kind.value)
        ],
        "region_municipalities": region_municipalities,
        "instrument_total": sum(instruments_by_kind.values()),
        "instrument_kinds": [
            (kind.label, instruments_by_kind[kind.value], f"{instrument_list}?kind={kind.value}")
            for kind in InstrumentKind
            if instruments_by_kind.get(kind.value)
        ],
        "open_instruments": open_instruments,
        "open_instruments_url": f"{instrument_list}?status={InstrumentStatus.OPEN.value}",
        "comparisons": comparisons,
    }
    return render(request, "core/home.html", context)


# Figures of the study that describe the inventory: key -> (label, kind counted in Helix, instrument?).
STUDY_FIGURES: dict[str, tuple[Any, str, bool]] = {
    "fig-actors-companies": (_("Companies"), "company", False),
    "fig-actors-academic": (_("Knowledge institutions"), "knowledge_institution", False),
    "fig-actors-government": (_("Government services"), "government", False),
    "fig-actors-cities": (_("Cities and municipalities"), "municipality", False),
    "fig-instruments-financial": (_("Financial instruments"), "financial", True),
    "fig-instruments-matchmaking": (_("Matchmaking and support instruments"), "matchmaking", True),
}


# --- Search ----------------------------------------------------------------------------------


@dataclass
class Hit:
    title: Any
    url: str
    kind: Any
    snippet: Any
    rank: float


def _headlines(qs: QuerySet[Any], pks: Sequence[int], text: str, name: Any, body: Any) -> dict[int, tuple[str, str]]:
    """(highlighted name, highlighted snippet) per pk: a second query over the top rows only, so
    ts_headline never runs on the whole result set. Markers are sentinels, escaped later."""
    query = search_query(text)
    options = {"start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP, "config": "helix_nl"}
    rows = (
        qs.model._default_manager.filter(pk__in=pks)
        .annotate(
            hl_name=SearchHeadline(name, query, highlight_all=True, **options),  # type: ignore[arg-type]
            hl_body=SearchHeadline(body, query, max_words=30, min_words=12, max_fragments=2, **options),  # type: ignore[arg-type]
        )
        .values_list("pk", "hl_name", "hl_body")
    )
    return {pk: (name, snippet) for pk, name, snippet in rows}


def _ranked(
    qs: QuerySet[Any], text: str, name_field: str, display_name: Any, body: Any, limit: int
) -> tuple[list[Any], dict[int, Any], bool]:
    top = list(ranked_search(qs, text, name_field)[: limit + 1])
    more = len(top) > limit
    top = top[:limit]
    headlines = _headlines(qs, [r.pk for r in top], text, display_name, body) if top else {}
    return top, headlines, more


def _description(field_nl: str, field_en: str) -> Any:
    first, second = (field_en, field_nl) if current_lang() == "en" else (field_nl, field_en)
    return Coalesce(NullIf(F(first), Value("")), F(second))


def _display_name(field_nl: str, field: str) -> Any:
    """The name as pages show it: the Dutch name on Dutch pages when there is one."""
    if current_lang() == "en":
        return F(field)
    return Coalesce(NullIf(F(field_nl), Value("")), F(field))


@dataclass
class SearchSection:
    """One kind of record on the search page: where to search and how to show a hit."""

    key: str  # context key: <key>_hits
    anchor: str  # element ids: <anchor>-hits-heading
    heading: Any
    list_url_name: str
    name_field: str
    name_nl_field: str
    body_nl: str
    body_en: str
    kind: Any  # record -> the small line under the title
    more_text: Any
    none_text: Any
    queryset: Any  # user -> the records this user may see


def _search_sections() -> list[SearchSection]:
    from helix.actors.models import Organisation
    from helix.instruments.models import Instrument
    from helix.market.models import Challenge, Solution
    from helix.projects.models import Project

    return [
        SearchSection(
            "organisation",
            "org",
            _("Organisations"),
            "actors:organisation-list",
            "name",
            "name_nl",
            "description_nl",
            "description_en",
            lambda o: o.get_kind_display(),
            _("More than %(n)s organisations: see them all in the list"),
            _("No organisation matches."),
            lambda user: Organisation.objects.live(),
        ),
        SearchSection(
            "instrument",
            "ins",
            _("Instruments"),
            "instruments:instrument-list",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            lambda i: i.get_kind_display(),
            _("More than %(n)s instruments: see them all in the list"),
            _("No instrument matches."),
            lambda user: Instrument.objects.live().select_related("offered_by"),
        ),
        SearchSection(
            "project",
            "prj",
            _("Projects"),
            "projects:project-list",
            "title",
            "title_nl",
            "summary_nl",
            "summary_en",
            lambda p: p.get_status_display(),
            _("More than %(n)s projects: see them all in the list"),
            _("No project matches."),
            lambda user: Project.objects.live(),
        ),
        SearchSection(
            "challenge",
            "chl",
            _("Challenges"),
            "market:challenge-list",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            lambda c: c.get_status_display(),
            _("More than %(n)s challenges: see them all in the list"),
            _("No challenge matches."),
            lambda user: Challenge.objects.live().visible_to(user),
        ),
        SearchSection(
            "solution",
            "sol",
            _("Solutions"),
            "market:solution-list",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            lambda s: s.organisation.name,
            _("More than %(n)s solutions: see them all in the list"),
            _("No solution matches."),
            lambda user: Solution.objects.live().select_related("organisation"),
        ),
    ]


@dataclass
class SearchResults:
    section: SearchSection
    hits: list[Hit]
    more_url: str
    more_label: str


def search(request: HttpRequest) -> HttpResponse:
    """Ranked search over every public registry; each kind keeps its own top list."""
    from django.urls import reverse

    text = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    context: dict[str, Any] = {"q": text, "searched": bool(text)}
    if text:
        results = []
        for section in _search_sections():
            records, headlines, more = _ranked(
                section.queryset(request.user),
                text,
                section.name_field,
                _display_name(section.name_nl_field, section.name_field),
                _description(section.body_nl, section.body_en),
                SEARCH_TOP_N,
            )
            hits = [
                Hit(
                    title=safe_highlight(headlines.get(r.pk, (str(r), ""))[0]),
                    url=r.get_absolute_url(),
                    kind=section.kind(r),
                    snippet=safe_highlight(headlines.get(r.pk, ("", ""))[1]),
                    rank=r.rank,
                )
                for r in records
            ]
            more_url = f"{reverse(section.list_url_name)}?q={_quote(text)}" if more else ""
            results.append(SearchResults(section, hits, more_url, section.more_text % {"n": SEARCH_TOP_N}))
            context[f"{section.key}_hits"] = hits
        context["results"] = results
        context["hit_total"] = sum(len(r.hits) for r in results)
        context["top_n"] = SEARCH_TOP_N
    return render(request, "core/search.html", context)


def _quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)
