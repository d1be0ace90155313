"""Public pages of the instrument registry: the list and the detail page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import MunicipalitySize
from helix.actors.models import Organisation
from helix.core.listing import MAX_SELECT_CHOICES, Facet, ListingConfig, ListingView
from helix.core.permissions import can_edit
from helix.core.tabular import Column
from helix.core.views import DetailRow, field_label, get_visible_or_404, links_to, text_in_language

from . import tables
from .choices import FundingForm, InstrumentStatus
from .filters import SORTS, InstrumentFilter
from .models import Instrument

SORT_LABELS = {
    "title": _("Title (A-Z)"),
    "-title": _("Title (Z-A)"),
    "closes": _("Closing soonest"),
    "-closes": _("Closing latest"),
    "verified": _("Verified longest ago"),
    "-verified": _("Verified most recently"),
}
CLOSING_WITHIN_CHOICES = [("30", _("30 days")), ("60", _("60 days")), ("90", _("90 days")), ("365", _("a year"))]
PARENT_DEPTH = 4  # programme -> priority axis -> call -> sub-call: ancestors loaded in one query


def _status_label(instrument: Instrument) -> Any:
    value = getattr(instrument, "derived_status", None) or instrument.status
    return InstrumentStatus(value).label


class InstrumentListView(ListingView):
    model = Instrument
    filterset_class = InstrumentFilter
    template_name = "instruments/instrument_list.html"
    title = _("Instruments")
    intro = _(
        "Funding (grants, loans, prizes, co-financing, calls) and matchmaking or support instruments: "
        "who offers them, for whom, for which phase, and until when."
    )
    export_filename = "helix-instruments"
    config = ListingConfig(
        sorts=SORTS,
        sort_labels=SORT_LABELS,
        default_sort="title",
        facets=(Facet("kind", "kind"), Facet("policy_level", "policy_level"), Facet("link", "link")),
    )
    shown_filters = (
        "status",
        "closing_within",
        "kind",
        "policy_level",
        "link",
        "instrument_type",
        "eu_category",
        "phase",
        "applicant_type",
        "municipality_size",
        "domain",
        "offered_by",
    )
    filter_labels = {"offered_by": _("Offered by"), "closing_within": _("Closing within")}
    page_columns = ("title", "kind", "offered_by", "policy_level", "closes_on", "status", "last_verified")
    display = {
        "title": lambda i: i.display_title,
        "kind": lambda i: i.get_kind_display(),
        "offered_by": lambda i: i.offered_by.display_name if i.offered_by else None,
        "policy_level": lambda i: i.get_policy_level_display() if i.policy_level else None,
        "link": lambda i: i.get_link_display() if i.link else None,
        "status": _status_label,
    }

    def get_base_queryset(self) -> QuerySet[Any]:
        return Instrument.objects.live().with_status()  # type: ignore[attr-defined]

    def get_columns(self) -> Sequence[Column]:
        return tables.INSTRUMENT_COLUMNS

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return tables.optimise(qs)

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        # Organisations offering live instruments: the MAX_SELECT_CHOICES that offer most, by name.
        largest = (
            Instrument.objects.live()
            .filter(offered_by__isnull=False)
            .values("offered_by_id")
            .annotate(offered=Count("id"))
            .order_by("-offered", "offered_by_id")
            .values("offered_by_id")[:MAX_SELECT_CHOICES]
        )
        offering = Organisation.objects.live().filter(pk__in=largest).order_by("name", "id").values_list("slug", "name")
        return {"offered_by": list(offering), "closing_within": CLOSING_WITHIN_CHOICES}


def _detail_queryset() -> QuerySet[Instrument]:
    ancestors = "__".join(["parent"] * PARENT_DEPTH)
    return (
        Instrument.objects.select_related("instrument_type", "eu_category", "offered_by", "managed_by", ancestors)
        .prefetch_related(
            "co_offered_by",
            "applicant_types",
            "phases",
            "domains",
            "restricted_to",
            Prefetch("children", queryset=Instrument.objects.live().order_by("title")),
        )
        .with_status()
    )


def _chain(instrument: Instrument) -> list[Instrument]:
    """Ancestors from the top programme down to the direct parent (loaded by select_related)."""
    chain: list[Instrument] = []
    node = instrument.parent
    while node is not None and len(chain) < PARENT_DEPTH:
        chain.append(node)
        node = node.parent if "parent" in node._state.fields_cache else None
    return [a for a in reversed(chain) if a.archived_at is None]


def _money(value: Any) -> str:
    return f"€ {value:,.0f}".replace(",", ".") if value is not None else ""


def _rows(ins: Instrument) -> list[DetailRow]:
    def label(name: str) -> Any:
        return field_label(Instrument, name)

    live_orgs = [o for o in ins.co_offered_by.all() if o.archived_at is None]
    return [
        DetailRow(label("title"), ins.title),
        DetailRow(label("title_nl"), ins.title_nl),
        DetailRow(label("kind"), ins.get_kind_display()),
        DetailRow(label("instrument_type"), str(ins.instrument_type) if ins.instrument_type else ""),
        DetailRow(label("offered_by"), links=links_to([ins.offered_by]) if ins.offered_by else []),
        DetailRow(label("co_offered_by"), links=links_to(live_orgs)),
        DetailRow(label("managed_by"), links=links_to([ins.managed_by]) if ins.managed_by else []),
        DetailRow(label("umbrella_programme"), ins.umbrella_programme),
        DetailRow(label("eu_category"), str(ins.eu_category) if ins.eu_category else ""),
        DetailRow(label("policy_level"), ins.get_policy_level_display() if ins.policy_level else ""),
        DetailRow(label("country"), ins.country),
        DetailRow(label("link"), ins.get_link_display() if ins.link else ""),
        DetailRow(label("target_groups"), ins.target_groups),
        DetailRow(label("applicant_types"), [str(t) for t in ins.applicant_types.all()]),
        DetailRow(label("municipality_sizes"), [MunicipalitySize(s).label for s in ins.municipality_sizes]),
        DetailRow(label("territory"), ins.territory),
        DetailRow(label("restricted_to"), links=links_to(o for o in ins.restricted_to.all() if o.archived_at is None)),
        DetailRow(label("consortium_required"), ins.consortium_required),
        DetailRow(label("phases"), [str(t) for t in ins.phases.all()]),
        DetailRow(label("domains"), [str(t) for t in ins.domains.all()]),
        DetailRow(label("funding_forms"), [FundingForm(f).label for f in ins.funding_forms]),
        DetailRow(label("cofinancing_rate"), f"{ins.cofinancing_rate:g} %" if ins.cofinancing_rate is not None else ""),
        DetailRow(label("amount_min"), _money(ins.amount_min)),
        DetailRow(label("amount_max"), _money(ins.amount_max)),
        DetailRow(label("total_budget"), _money(ins.total_budget)),
        DetailRow(label("amounts"), [str(a.get("text", a)) if isinstance(a, dict) else str(a) for a in ins.amounts or []]),
        DetailRow(label("opens_on"), ins.opens_on),
        DetailRow(label("closes_on"), ins.closes_on),
        DetailRow(label("open_until_text"), ins.open_until_text),
        DetailRow(label("recurrence"), ins.recurrence),
        DetailRow(label("deadlines"), ins.deadlines),
        DetailRow(label("url"), ins.url, url=ins.url, external=True),
        DetailRow(label("inventory_no"), ins.inventory_no),
        DetailRow(label("notes"), ins.notes),
    ]


def instrument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    ins = get_visible_or_404(_detail_queryset(), request.user, slug=slug)
    description, description_lang = text_in_language(ins.description_nl, ins.description_en)
    status = InstrumentStatus(getattr(ins, "derived_status", None) or ins.status)
    context = {
        "ins": ins,
        "rows": _rows(ins),
        "status": status,
        "description": description,
        "description_lang": description_lang,
        "chain": _chain(ins),
        "children": list(ins.children.all()),
        "can_edit": can_edit(request.user, ins),
    }
    return render(request, "instruments/instrument_detail.html", context)
