"""Public pages of the actor registry: organisation and municipality lists and details."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from helix.core.listing import MAX_SELECT_CHOICES, Facet, ListingConfig, ListingView
from helix.core.permissions import can_edit
from helix.core.tabular import Column
from helix.core.views import DetailRow, field_label, get_visible_or_404, links_to, text_in_language
from helix.instruments.models import Instrument
from helix.projects.models import Project

from . import tables
from .choices import IdentifierScheme, OrganisationKind, Predicate
from .filters import SORTS, MunicipalityFilter, OrganisationFilter
from .models import ContactPerson, Membership, Organisation

SORT_LABELS = {
    "name": _("Name (A-Z)"),
    "-name": _("Name (Z-A)"),
    "founded": _("Founded (oldest first)"),
    "-founded": _("Founded (newest first)"),
    "verified": _("Verified longest ago"),
    "-verified": _("Verified most recently"),
}
NETWORK_PREDICATES = (Predicate.MEMBER_OF, Predicate.PART_OF, Predicate.PARTNER_OF)
LOCATED_HERE_SHOWN = 25


def _labels(manager: Any) -> list[str]:
    return [str(term) for term in manager.all()]


def _place(org: Organisation) -> str | None:
    return org.located_in.display_name if org.located_in_id and org.located_in else None


class OrganisationListView(ListingView):
    model = Organisation
    filterset_class = OrganisationFilter
    template_name = "actors/organisation_list.html"
    title = _("Organisations")
    intro = _("Companies, knowledge institutions, clusters, networks, government services and municipalities of the ecosystem.")
    export_filename = "helix-organisations"
    config = ListingConfig(
        sorts=SORTS,
        sort_labels=SORT_LABELS,
        default_sort="name",
        facets=(Facet("kind", "kind"), Facet("helix_role", "helix_role"), Facet("status", "status")),
    )
    shown_filters: Sequence[str] = (
        "kind",
        "helix_role",
        "member_of",
        "province",
        "domain",
        "value_chain_role",
        "nace",
        "sdg",
        "status",
        "founded_after",
        "founded_before",
    )
    filter_labels = {"member_of": _("Member of network")}
    page_columns: Sequence[str] = ("name", "kind", "municipality", "province", "domains", "last_verified")
    display = {
        "name": lambda o: o.display_name,
        "kind": lambda o: o.get_kind_display(),
        "municipality": _place,
        "domains": lambda o: _labels(o.domains),
        "status": lambda o: o.get_status_display(),
    }

    def get_columns(self) -> Sequence[Column]:
        return tables.ORGANISATION_COLUMNS

    def optimise(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return tables.optimise(qs)

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        """Networks with members, for the "member of" select: the largest MAX_SELECT_CHOICES
        (all of them below that), by name. One query over the membership table."""
        largest = (
            Membership.objects.filter(predicate__in=NETWORK_PREDICATES, archived_at__isnull=True)
            .values("object_id")
            .annotate(members=Count("id"))
            .order_by("-members", "object_id")
            .values("object_id")[:MAX_SELECT_CHOICES]
        )
        networks = Organisation.objects.live().filter(pk__in=largest).order_by("name", "id").values_list("slug", "name")
        return {"member_of": list(networks)}


class MunicipalityListView(OrganisationListView):
    filterset_class = MunicipalityFilter
    template_name = "actors/municipality_list.html"
    title = _("Municipalities")
    intro = _("Every municipality of the region (Statbel REFNIS codes), with its province, size class and smart-city profile.")
    export_filename = "helix-municipalities"
    config = ListingConfig(
        sorts=SORTS,
        sort_labels=SORT_LABELS,
        default_sort="name",
        facets=(Facet("municipality_size", "municipality_size"),),
        default_filters={"in_region": "true"},
    )
    shown_filters = ("province", "municipality_size", "is_centrumstad", "in_region", "domain")
    page_columns = ("name", "refnis", "province", "municipality_size", "is_centrumstad", "population", "last_verified")
    display = {
        **OrganisationListView.display,
        "municipality_size": lambda o: o.get_municipality_size_display(),
    }

    def get_columns(self) -> Sequence[Column]:
        return tables.MUNICIPALITY_COLUMNS

    def filter_choices(self) -> dict[str, Sequence[tuple[str, Any]]]:
        return {}


# --- Detail ----------------------------------------------------------------------------------

# How a relation reads from its object's side ("X member_of Y" shown on Y's page as "Members").
INVERSE_LABELS: dict[str, Any] = {
    Predicate.PART_OF: _("Has as parts"),
    Predicate.RUN_BY: _("Runs"),
    Predicate.FOUNDED_BY: _("Founded"),
    Predicate.INITIATED_BY: _("Initiated"),
    Predicate.MEMBER_OF: _("Members"),
    Predicate.PLANNED_MEMBER_OF: _("Planned members"),
    Predicate.PARTNER_OF: _("Partners"),
    Predicate.SHAREHOLDER_OF: _("Shareholders"),
    Predicate.COOPERATES_WITH: _("Cooperates with"),
    Predicate.FUNDED_BY: _("Funds"),
    Predicate.SUPPORTED_BY: _("Supports"),
    Predicate.LED_BY: _("Leads"),
    Predicate.HOSTED_BY: _("Hosts"),
    Predicate.SERVES: _("Served by"),
    Predicate.REGIONAL_AUTHORITY_OF: _("Regional authority"),
    Predicate.TEACHES_IN: _("Taught in by"),
    Predicate.SIGNATORY_OF: _("Signatories"),
    Predicate.HAS_EXPERIMENTATION_SPACE_IN: _("Experimentation spaces of"),
    Predicate.INITIATES_PROJECTS_IN: _("Projects initiated here by"),
    Predicate.LIGHTHOUSE_CITY_OF: _("Lighthouse cities"),
    Predicate.FOLLOWER_CITY_OF: _("Follower cities"),
    Predicate.OBSERVER_CITY_OF: _("Observer cities"),
}


def identifier_url(scheme: str, value: str) -> str:
    """A public page for an identifier, where one exists."""
    if scheme == IdentifierScheme.KBO:
        digits = "".join(c for c in value if c.isdigit())
        return f"https://kbopub.economie.fgov.be/kbopub/toonondernemingps.html?ondernemingsnummer={digits}"
    if scheme == IdentifierScheme.URL and value.startswith(("https://", "http://")):
        return value
    return ""


def _group(memberships: Iterable[Membership], *, outgoing: bool) -> list[tuple[Any, list[dict[str, Any]]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in memberships:
        other = m.object if outgoing else m.subject
        if other is not None and other.archived_at is not None:
            continue
        groups[m.predicate].append(
            {
                "text": str(other) if other is not None else m.object_project,
                "url": other.get_absolute_url() if other is not None else "",
                "role": m.role,
                "start": m.start_date,
                "end": m.end_date,
                "note": m.note,
            }
        )
    labels = dict(Predicate.choices) if outgoing else INVERSE_LABELS
    order = [p.value for p in Predicate]
    return [
        (str(labels.get(p, p)).capitalize() if outgoing else labels.get(p, p), sorted(items, key=lambda i: i["text"].lower()))
        for p, items in sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    ]


def _detail_queryset(user: Any) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("province", "located_in", "merged_into").prefetch_related(
        "identifiers",
        "nace_sections",
        "domains",
        "sdgs",
        "value_chain_roles",
        "inclusion_reasons",
        Prefetch(
            "memberships_out",
            queryset=Membership.objects.filter(archived_at__isnull=True).select_related("object"),
        ),
        Prefetch(
            "memberships_in",
            queryset=Membership.objects.filter(archived_at__isnull=True).select_related("subject"),
        ),
        Prefetch("instruments_offered", queryset=Instrument.objects.live().order_by("title")),
        Prefetch("instruments_co_offered", queryset=Instrument.objects.live().order_by("title")),
        Prefetch("instruments_managed", queryset=Instrument.objects.live().order_by("title")),
    )
    if getattr(user, "is_authenticated", False):
        # Personal data: loaded for signed-in members only, never for anonymous pages.
        qs = qs.prefetch_related(Prefetch("contacts", queryset=ContactPerson.objects.order_by("name")))
    return qs


def _rows(org: Organisation) -> list[DetailRow]:
    def label(name: str) -> Any:
        return field_label(Organisation, name)

    rows = [
        DetailRow(label("name"), org.name),
        DetailRow(label("name_nl"), org.name_nl),
        DetailRow(label("alternative_names"), org.alternative_names),
        DetailRow(label("kind"), org.get_kind_display()),
        DetailRow(label("subkind"), org.subkind),
        DetailRow(label("helix_role"), org.get_helix_role_display()),
        DetailRow(
            label("enterprise_number"),
            org.enterprise_number,
            url=identifier_url(IdentifierScheme.KBO, org.enterprise_number) if org.enterprise_number else "",
            external=True,
        ),
        DetailRow(label("nace_sections"), [f"{t.code}: {t}" for t in org.nace_sections.all()]),
        DetailRow(label("sector"), org.sector),
        DetailRow(label("founded_year"), org.founded_year),
        DetailRow(label("size_class"), org.get_size_class_display() if org.size_class else ""),
        DetailRow(label("website"), org.website, url=org.website, external=True),
        DetailRow(label("located_in"), links=links_to([org.located_in]) if org.located_in else []),
        DetailRow(label("province"), str(org.province) if org.province else ""),
        DetailRow(label("country"), org.country),
        DetailRow(label("domains"), _labels(org.domains)),
        DetailRow(label("sdgs"), _labels(org.sdgs)),
        DetailRow(label("value_chain_roles"), _labels(org.value_chain_roles)),
        DetailRow(label("inclusion_reasons"), _labels(org.inclusion_reasons)),
        DetailRow(label("roles"), org.roles),
        DetailRow(label("status"), org.get_status_display()),
    ]
    if org.merged_into_id:
        rows.append(DetailRow(label("merged_into"), links=links_to([org.merged_into])))
    if org.notes:
        rows.append(DetailRow(label("notes"), org.notes))
    return rows


def _municipality_rows(org: Organisation) -> list[DetailRow]:
    def label(name: str) -> Any:
        return field_label(Organisation, name)

    return [
        DetailRow(label("refnis"), org.refnis),
        DetailRow(label("in_region"), org.in_region),
        DetailRow(label("is_centrumstad"), org.is_centrumstad),
        DetailRow(label("population"), org.population),
        DetailRow(label("municipality_size"), org.get_municipality_size_display() if org.municipality_size else ""),
        DetailRow(label("coordinator_appointed"), org.coordinator_appointed),
        DetailRow(label("open_data_charter_signed"), org.open_data_charter_signed),
        DetailRow(label("formal_strategy"), org.formal_strategy),
    ]


def _open_datasets(org: Organisation) -> int:
    """How many harvested datasets this organisation publishes (its open-data portfolio)."""
    from helix.opendata.models import Dataset

    return Dataset.objects.filter(organisation=org).count()


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_visible_or_404(_detail_queryset(request.user), request.user, slug=slug)
    description, description_lang = text_in_language(org.description_nl, org.description_en)
    context: dict[str, Any] = {
        "org": org,
        "rows": _rows(org),
        "description": description,
        "description_lang": description_lang,
        "identifiers": [
            {"scheme": i.get_scheme_display(), "value": i.value, "url": identifier_url(i.scheme, i.value)}
            for i in org.identifiers.all()
        ],
        "relations_out": _group(org.memberships_out.all(), outgoing=True),
        "relations_in": _group(org.memberships_in.all(), outgoing=False),
        "offered": list(org.instruments_offered.all()),
        "co_offered": list(org.instruments_co_offered.all()),
        "managed": list(org.instruments_managed.all()),
        "projects": list(Project.objects.live().involving(org)),  # type: ignore[attr-defined]
        "open_datasets": _open_datasets(org),
        "show_contacts": request.user.is_authenticated,
        "contacts": list(org.contacts.all()) if request.user.is_authenticated else [],
        "can_edit": can_edit(request.user, org),
        "is_municipality": org.kind == OrganisationKind.MUNICIPALITY,
    }
    if context["is_municipality"]:
        located = Organisation.objects.live().filter(located_in=org).order_by("name", "id")
        context["municipality_rows"] = _municipality_rows(org)
        context["located_here"] = list(located[:LOCATED_HERE_SHOWN])
        context["located_here_total"] = located.count()
        context["restricted_instruments"] = list(
            Instrument.objects.live().filter(Q(restricted_to=org)).distinct().order_by("title")
        )
    return render(request, "actors/organisation_detail.html", context)
