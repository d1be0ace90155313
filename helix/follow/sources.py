"""What a saved search can follow: one source per target, each giving the current results.

A source turns a normalised query string into public result items (title, url, updated,
summary, a stable key and a change marker). Feeds and digests only ever call sources, so a
source is where "never anything non-public" is guaranteed: it starts from the public queryset
(live records; published challenges) and reads no personal data.

Sources register themselves here (`register`). A target without a registered source, or whose
page does not exist (its URL name does not reverse), is unavailable: saving it is refused and
its feed answers 404. Adding a target: a fetch function here and one `register(...)` (docs/follow.md).
"""

from __future__ import annotations

import datetime
import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.text import Truncator

from .choices import Target

# Parameters that position or shape a page, never filter it (helix.core.listing.PAGING_PARAMS + sort).
IGNORED_PARAMS = frozenset({"after", "before", "size", "format", "sort", "page"})
MAX_QUERY_LENGTH = 2000
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class Item:
    """One result of a saved search, as feeds and digests show it.

    key: stable identity ("instrument:12"), also the base of the feed entry's tag: URI.
    url: the page of the object (site-relative, in the active language).
    marker: changes whenever the object changes (version and modification time).
    """

    key: str
    title: str
    url: str
    updated: datetime.datetime
    summary: str
    marker: str
    created: datetime.datetime | None = None


@dataclass(frozen=True)
class Source:
    target: str
    label: str | Promise
    fetch: Callable[[QueryDict, int], list[Item]]
    public: bool = True
    filters: Callable[[], Mapping[str, Any]] | None = None  # the FilterSet's filters, for their labels
    requires: tuple[str, ...] = ()  # modules that must exist (an app still being built)
    private_params: frozenset[str] = frozenset()  # free text a feed names but never repeats

    def available(self) -> bool:
        if any(importlib.util.find_spec(module) is None for module in self.requires):
            return False
        try:
            reverse(self.target)
        except NoReverseMatch:
            return False
        return True

    def results(self, query: str, *, limit: int) -> list[Item]:
        return self.fetch(QueryDict(query), limit)


_REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    _REGISTRY[source.target] = source
    return source


def get_source(target: str) -> Source | None:
    """The source of a target when it can be used now, else None."""
    source = _REGISTRY.get(target)
    if source is None or not source.available():
        return None
    return source


def normalise_query(query: str | Mapping[str, Any] | QueryDict) -> str:
    """The canonical query string of a search: filters only, empty values dropped, sorted.

    `?b=2&a=1&after=xyz&a=` and `?a=1&b=2` are the same search.
    """
    data: QueryDict
    if isinstance(query, str):
        data = QueryDict(query.lstrip("?"))
    elif isinstance(query, QueryDict):
        data = query
    else:
        data = QueryDict(mutable=True)
        for key, value in query.items():
            data.setlist(key, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    pairs = sorted(
        (key, value.strip())
        for key, values in data.lists()
        if key not in IGNORED_PARAMS
        for value in values
        if value.strip() != ""
    )
    normal = QueryDict(mutable=True)
    for key, value in pairs:
        normal.appendlist(key, value)
    return normal.urlencode()[:MAX_QUERY_LENGTH]


def public_query(target: str, query: str) -> str:
    """The query without the source's free-text parameters (for links others may see)."""
    source = _REGISTRY.get(target)
    if source is None or not source.private_params:
        return query
    data = QueryDict(query, mutable=True)
    for key in list(data):
        base = key.rsplit("_", 1)[0] if key.rsplit("_", 1)[-1].isdigit() else key
        if base in source.private_params:
            del data[key]
    return data.urlencode()


def describe_query(target: str, query: str, *, public: bool = False) -> list[tuple[str, str]]:
    """(label, value) for each filter of a query, labelled as the page's filter form labels it.

    `public`: for a feed, whose address others may have: free-text parameters of the source
    (e.g. the funding finder's project description) are named without their text.
    """
    source = _REGISTRY.get(target)
    filters = source.filters() if source and source.filters and source.available() else {}
    described = []
    for key, values in QueryDict(query).lists():
        base = key.rsplit("_", 1)[0] if key.rsplit("_", 1)[-1].isdigit() else key  # numbered rows: municipality_2
        label = str(getattr(filters.get(key) or filters.get(base), "label", None) or key)
        if public and source is not None and base in source.private_params:
            described.append((label, "…"))
        else:
            described.append((label, ", ".join(values)))
    return described


def _summary(*parts: str) -> str:
    return Truncator(" · ".join(p for p in parts if p)).words(SUMMARY_WORDS)


def _marker(record: Any) -> str:
    return f"{record.version}:{record.updated_at.isoformat()}"


# --- Instruments ------------------------------------------------------------------------------


def instrument_items(query: QueryDict, limit: int) -> list[Item]:
    """Live instruments through the list page's own FilterSet, most recently changed first."""
    from helix.instruments.choices import InstrumentStatus
    from helix.instruments.filters import InstrumentFilter
    from helix.instruments.models import Instrument

    base = Instrument.objects.live().with_status()  # type: ignore[attr-defined]
    filterset = InstrumentFilter(data=query, queryset=base)
    qs = filterset.qs.select_related("offered_by").order_by("-updated_at", "-id")[:limit]
    items = []
    for ins in qs:
        status = InstrumentStatus(getattr(ins, "derived_status", None) or ins.status).label
        closes = ins.closes_on.isoformat() if ins.closes_on else ""
        offered_by = ins.offered_by.display_name if ins.offered_by and ins.offered_by.archived_at is None else ""
        items.append(
            Item(
                key=f"instrument:{ins.pk}",
                title=ins.display_title,
                url=ins.get_absolute_url(),
                updated=ins.updated_at,
                created=ins.created_at,
                summary=_summary(offered_by, f"{status} {closes}".strip(), ins.description),
                marker=_marker(ins),
            )
        )
    return items


def instrument_filters() -> Mapping[str, Any]:
    from helix.instruments.filters import InstrumentFilter

    return dict(InstrumentFilter.base_filters)


# --- Challenges (helix.market, built alongside) -----------------------------------------------


def challenge_items(query: QueryDict, limit: int) -> list[Item]:
    """Published, live challenges through the challenge list's FilterSet (drafts never)."""
    from helix.market.filters import ChallengeFilter
    from helix.market.models import Challenge

    base = Challenge.objects.live().published()
    qs = ChallengeFilter(data=query, queryset=base).qs.order_by("-updated_at", "-id")[:limit]
    return [
        Item(
            key=f"challenge:{c.pk}",
            title=c.display_title,
            url=c.get_absolute_url(),
            updated=c.updated_at,
            created=c.created_at,
            summary=_summary(c.get_status_display(), c.description),
            marker=_marker(c),
        )
        for c in qs
    ]


def challenge_filters() -> Mapping[str, Any]:
    from helix.market.filters import ChallengeFilter

    return dict(ChallengeFilter.base_filters)


# --- Funding finder (helix.matching, built alongside) ------------------------------------------


def funding_finder_items(query: QueryDict, limit: int) -> list[Item]:
    """The instruments the funding finder ranks as eligible or possibly eligible for the profile
    in the query (the finder's own form and service), in its order. Invalid profile: nothing."""
    from helix.instruments.models import Instrument
    from helix.matching.forms import FundingFinderForm
    from helix.matching.services import find_funding

    form = FundingFinderForm(query)
    if not form.is_valid():
        return []
    data = form.cleaned_data
    answer = find_funding(
        applicants=form.choices,
        domains=data.get("domain") or (),
        phase=data.get("phase") or None,
        budget=data.get("budget"),
        text=data.get("text") or "",
        include_ineligible=False,
        limit=limit,
    )
    fitting = [r for r in answer.results if r.verdict != "not_eligible"]
    live = Instrument.objects.live().in_bulk([r.id for r in fitting])
    items = []
    for result in fitting:
        ins = live.get(result.id)
        if ins is None:
            continue
        items.append(
            Item(
                key=f"instrument:{ins.pk}",
                title=result.title,
                url=result.url,
                updated=ins.updated_at,
                created=ins.created_at,
                summary=_summary(result.verdict_label, ins.description),
                # A changed verdict (e.g. now closed, or newly eligible) is a change too.
                marker=f"{_marker(ins)}:{result.verdict}",
            )
        )
    return items


def funding_finder_filters() -> Mapping[str, Any]:
    from django import forms
    from django.utils.translation import gettext_lazy as _

    from helix.matching.forms import FundingFinderForm

    # The applicant rows are added per request (municipality, municipality_2, ...); their labels:
    rows = {
        "municipality": forms.Field(label=_("Municipality")),
        "organisation": forms.Field(label=_("Organisation in the registry")),
        "applicant_type": forms.Field(label=_("Type of applicant")),
    }
    return {**FundingFinderForm.base_fields, **rows}


register(Source(target=Target.INSTRUMENTS, label=Target.INSTRUMENTS.label, fetch=instrument_items, filters=instrument_filters))
register(
    Source(
        target=Target.CHALLENGES,
        label=Target.CHALLENGES.label,
        fetch=challenge_items,
        filters=challenge_filters,
        requires=("helix.market.filters", "helix.market.models"),
    )
)
register(
    Source(
        target=Target.FUNDING_FINDER,
        label=Target.FUNDING_FINDER.label,
        fetch=funding_finder_items,
        filters=funding_finder_filters,
        requires=("helix.matching.forms", "helix.matching.services"),
        private_params=frozenset({"text"}),
    )
)
