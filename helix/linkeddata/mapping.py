"""Helix records as RDF: one `describe_*` function per kind of public record.

Every function takes a record loaded through its kind's `queryset()` (public rows only, every
relation prefetched: describing a record runs no query of its own) and adds its triples to a
graph. Referenced records (an instrument's offering organisation, a project's partners) are
added with their types and name only, so each document is self-contained for validation.

No personal data: contact persons, editors, users, notes and free-text "source" fields are
never read here (see tests/test_privacy.py of this app).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, Prefetch, QuerySet, TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from helix.actors.choices import IdentifierScheme, OrganisationKind, OrganisationStatus, Predicate
from helix.actors.models import Membership, Organisation
from helix.core.models import Term
from helix.instruments.choices import InstrumentKind
from helix.instruments.models import Instrument
from helix.market.choices import ChallengeFormat, ChallengeStatus, OwnerRole, PricingModel
from helix.market.models import Challenge, ChallengeOwner, Solution
from helix.projects.choices import LinkKind, ProjectStatus
from helix.projects.models import Project, ProjectFunding, ProjectLink, ProjectPartner

from .uris import absolute, concept_scheme_uri, concept_uri, record_uri
from .vocab import (
    ADMS,
    BESLUIT,
    CPSV,
    CV,
    EU_COUNTRY,
    ISO2_TO_EU_COUNTRY,
    LOCN,
    MUNICIPALITY_CLASSIFICATION,
    NACE,
    REFNIS,
    ROV,
    SCHEMA,
    UN_SDG,
    new_graph,
)

PUBLIC_KINDS = (OrganisationKind.GOVERNMENT, OrganisationKind.MUNICIPALITY, OrganisationKind.INTERCOMMUNALE)
# ADMS publisher types (the vocabulary DCAT-AP recommends for dcterms:type of an agent).
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPES = {
    OrganisationKind.COMPANY: ("Company", "Company"),
    OrganisationKind.KNOWLEDGE_INSTITUTION: ("Academia-ScientificOrganisation", "Academia/Scientific organisation"),
    OrganisationKind.MUNICIPALITY: ("LocalAuthority", "Local Authority"),
}
IDENTIFIER_AGENCIES = {
    IdentifierScheme.KBO: "Kruispuntbank van Ondernemingen (KBO/BCE)",
    IdentifierScheme.REFNIS: "Statbel (REFNIS)",
    IdentifierScheme.OVO: "Agentschap Digitaal Vlaanderen (OVO)",
    IdentifierScheme.EU_PIC: "European Commission (PIC)",
    IdentifierScheme.URL: "Ecosystem database",
    IdentifierScheme.SEED: "Helix landscape study",
}
# Enumerations published as SKOS concept schemes of Helix (served under /id/concept/<scheme>).
CHOICE_SCHEMES: dict[str, tuple[type[TextChoices], Promise]] = {
    "organisation-kinds": (OrganisationKind, _("Kinds of organisation")),
    "organisation-statuses": (OrganisationStatus, _("Statuses of organisations")),
    "instrument-kinds": (InstrumentKind, _("Kinds of instrument")),
    "project-statuses": (ProjectStatus, _("Statuses of projects")),
    "challenge-statuses": (ChallengeStatus, _("Statuses of challenges")),
    "challenge-formats": (ChallengeFormat, _("Formats of challenges")),
    "pricing-models": (PricingModel, _("Pricing models")),
}
PROJECT_ROLES = "project-roles"


def _labels(value: Any) -> tuple[str, str]:
    """A lazy label in Dutch and English."""
    with translation.override("nl"):
        nl = str(value)
    with translation.override("en"):
        en = str(value)
    return nl, en


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, *, nl: str, en: str = "", plain: str = "") -> None:
    """A text in Dutch and English (language-tagged), and an untagged original if it differs."""
    if nl:
        graph.add((subject, predicate, Literal(nl, lang="nl")))
    if en and en != nl:
        graph.add((subject, predicate, Literal(en, lang="en")))
    if plain and plain not in (nl, en):
        graph.add((subject, predicate, Literal(plain)))


def _date(value: datetime.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _datetime(value: datetime.datetime) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.dateTime)


def _decimal(value: Decimal) -> Literal:
    """An xsd:decimal in canonical form ("5000000.0"), so Turtle round trips keep it unchanged."""
    text = format(value.normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _url(value: str) -> URIRef | None:
    value = (value or "").strip()
    if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
        return URIRef(value)
    return None


def _fragment(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-").lower() or "x"


def _common(graph: Graph, subject: URIRef, record: Any) -> None:
    """Triples every record has: identifier, its page, when it last changed."""
    graph.add((subject, DCTERMS.identifier, Literal(record.slug)))
    add_page(graph, subject, FOAF.page, absolute(record.get_absolute_url()))
    graph.add((subject, DCTERMS.modified, _datetime(record.updated_at)))


def add_term(graph: Graph, term: Term) -> URIRef:
    """A taxonomy term as skos:Concept in Helix's scheme, matched to EU/UN vocabularies."""
    scheme = term.scheme
    uri = concept_uri(scheme.slug, term.code)
    scheme_uri = concept_scheme_uri(scheme.slug)
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.inScheme, scheme_uri))
    graph.add((uri, SKOS.notation, Literal(term.code)))
    _texts(graph, uri, SKOS.prefLabel, nl=term.label_nl, en=term.label_en)
    if scheme.slug == "nace":
        graph.add((uri, SKOS.exactMatch, NACE[term.code]))
    elif scheme.slug == "sdgs" and term.code.isdigit():
        graph.add((uri, SKOS.exactMatch, UN_SDG[term.code]))
    graph.add((scheme_uri, RDF.type, SKOS.ConceptScheme))
    _texts(graph, scheme_uri, DCTERMS.title, nl=scheme.name_nl, en=scheme.name_en)
    return uri


def add_choice(graph: Graph, scheme: str, value: str) -> URIRef:
    """A value of a Helix enumeration (CHOICE_SCHEMES) as skos:Concept."""
    choices, title = CHOICE_SCHEMES[scheme]
    uri = concept_uri(scheme, value)
    scheme_uri = concept_scheme_uri(scheme)
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.inScheme, scheme_uri))
    graph.add((uri, SKOS.notation, Literal(value)))
    nl, en = _labels(choices(value).label)
    _texts(graph, uri, SKOS.prefLabel, nl=nl if nl != en else "", en=en)
    graph.add((scheme_uri, RDF.type, SKOS.ConceptScheme))
    nl, en = _labels(title)
    _texts(graph, scheme_uri, DCTERMS.title, nl=nl if nl != en else "", en=en)
    return uri


def add_project_role(graph: Graph, role: str) -> URIRef:
    uri = concept_uri(PROJECT_ROLES, role)
    graph.add((uri, RDF.type, PROV.Role))
    graph.add((uri, RDF.type, SKOS.Concept))
    graph.add((uri, SKOS.inScheme, concept_scheme_uri(PROJECT_ROLES)))
    graph.add((uri, SKOS.prefLabel, Literal(role, lang="en")))
    graph.add((concept_scheme_uri(PROJECT_ROLES), RDF.type, SKOS.ConceptScheme))
    graph.add((concept_scheme_uri(PROJECT_ROLES), DCTERMS.title, Literal("Roles in projects", lang="en")))
    return uri


def add_refnis(graph: Graph, refnis: str, name: str) -> URIRef:
    """A Belgian administrative unit (Statbel REFNIS code, Belgif URI) as dcterms:Location."""
    uri = URIRef(REFNIS.format(code=refnis))
    graph.add((uri, RDF.type, DCTERMS.Location))
    graph.add((uri, SKOS.notation, Literal(refnis)))
    if name:
        graph.add((uri, RDFS.label, Literal(name, lang="nl")))
    return uri


def is_public(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.archived_at is None


def add_agent(graph: Graph, organisation: Organisation) -> URIRef:
    """An organisation referenced from another record: its URI, types and name."""
    uri = record_uri("organisation", organisation.slug)
    graph.add((uri, RDF.type, FOAF.Agent))
    graph.add((uri, RDF.type, ORG.Organization))
    if organisation.kind in PUBLIC_KINDS:
        graph.add((uri, RDF.type, CV.PublicOrganisation))
    graph.add((uri, FOAF.name, Literal(organisation.name)))
    if publisher_type := PUBLISHER_TYPES.get(OrganisationKind(organisation.kind)):
        concept = URIRef(PUBLISHER_TYPE + publisher_type[0])
        graph.add((uri, DCTERMS.type, concept))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(publisher_type[1], lang="en")))
        graph.add((concept, SKOS.inScheme, URIRef(PUBLISHER_TYPE.rstrip("/"))))
    return uri


def add_page(graph: Graph, subject: URIRef, predicate: URIRef, url: str) -> None:
    """A link to a web page (foaf:homepage, foaf:page), typed foaf:Document."""
    if page := _url(url):
        graph.add((subject, predicate, page))
        graph.add((page, RDF.type, FOAF.Document))


# --- Organisations (OSLO Organisatie / W3C ORG / RegOrg) --------------------------------------


def _organisation_terms() -> list[Prefetch]:
    terms = Term.objects.select_related("scheme")
    return [Prefetch(name, queryset=terms) for name in ("nace_sections", "domains", "sdgs", "value_chain_roles")]


def organisation_queryset() -> QuerySet[Organisation]:
    memberships = Membership.objects.filter(archived_at__isnull=True, object__archived_at__isnull=True).select_related("object")
    return (
        Organisation.objects.live()
        .select_related("located_in", "province__region", "merged_into")
        .prefetch_related("identifiers", *_organisation_terms(), Prefetch("memberships_out", queryset=memberships))
        .order_by("id")
    )


def _identifiers(organisation: Organisation) -> list[tuple[str, str]]:
    found = [(i.scheme, i.value) for i in organisation.identifiers.all()]
    if organisation.enterprise_number:
        found.append((IdentifierScheme.KBO, organisation.enterprise_number))
    if organisation.refnis:
        found.append((IdentifierScheme.REFNIS, organisation.refnis))
    seen: set[tuple[str, str]] = set()
    unique = []
    for scheme, value in found:
        key = (scheme, re.sub(r"\W", "", value) if scheme == IdentifierScheme.KBO else value)
        if key not in seen:
            seen.add(key)
            unique.append(key)
    return unique


def describe_organisation(graph: Graph, org: Organisation) -> URIRef:
    uri = add_agent(graph, org)
    _common(graph, uri, org)
    if org.enterprise_number:
        graph.add((uri, RDF.type, ROV.RegisteredOrganization))
        graph.add((uri, ROV.legalName, Literal(org.name)))
    _texts(graph, uri, SKOS.prefLabel, nl=org.name_nl, plain=org.name)
    for name in org.alternative_names:
        graph.add((uri, SKOS.altLabel, Literal(name)))
    _texts(graph, uri, DCTERMS.description, nl=org.description_nl, en=org.description_en)
    add_page(graph, uri, FOAF.homepage, org.website)
    kind = add_choice(graph, "organisation-kinds", org.kind)
    graph.add((uri, ORG.classification, kind))
    graph.add((uri, ROV.orgStatus, add_choice(graph, "organisation-statuses", org.status)))
    if org.merged_into_id and is_public(org.merged_into):
        graph.add((uri, DCTERMS.isReplacedBy, record_uri("organisation", org.merged_into.slug)))  # type: ignore[union-attr]
    if org.founded_year:
        graph.add((uri, SCHEMA.foundingDate, Literal(str(org.founded_year), datatype=XSD.gYear)))

    for scheme, value in _identifiers(org):
        node = URIRef(f"{uri}#id-{scheme}-{_fragment(value)}")
        graph.add((uri, ADMS.identifier, node))
        graph.add((node, RDF.type, ADMS.Identifier))
        graph.add((node, SKOS.notation, Literal(value)))
        graph.add((node, ADMS.schemaAgency, Literal(IDENTIFIER_AGENCIES.get(IdentifierScheme(scheme), scheme))))
        graph.add((node, DCTERMS.type, Literal(scheme)))
        if scheme == IdentifierScheme.KBO:
            digits = re.sub(r"\D", "", value)
            graph.add((uri, ROV.registration, node))
            graph.add(
                (
                    uri,
                    RDFS.seeAlso,
                    URIRef(f"https://kbopub.economie.fgov.be/kbopub/toonondernemingps.html?ondernemingsnummer={digits}"),
                )
            )
        elif scheme == IdentifierScheme.OVO:
            graph.add((uri, RDFS.seeAlso, URIRef(f"https://data.vlaanderen.be/id/organisatie/{_fragment(value).upper()}")))
        elif scheme == IdentifierScheme.URL and (page := _url(value)):
            graph.add((uri, RDFS.seeAlso, page))

    if org.kind == OrganisationKind.MUNICIPALITY:
        graph.add((uri, RDF.type, BESLUIT.Bestuurseenheid))
        graph.add((uri, BESLUIT.classificatie, URIRef(MUNICIPALITY_CLASSIFICATION)))
        if org.refnis:
            area = add_refnis(graph, org.refnis, org.name_nl or org.name)
            graph.add((uri, BESLUIT.werkingsgebied, area))
            graph.add((uri, DCTERMS.spatial, area))
    _site(graph, uri, org)

    for term in org.nace_sections.all():
        graph.add((uri, ROV.orgActivity, NACE[term.code]))
        graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    for manager in (org.domains, org.sdgs, org.value_chain_roles):
        for term in manager.all():
            graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    for membership in org.memberships_out.all():
        if membership.object is None:
            continue
        other = record_uri("organisation", membership.object.slug)
        if membership.predicate == Predicate.MEMBER_OF:
            graph.add((uri, ORG.memberOf, other))
        elif membership.predicate == Predicate.PART_OF:
            graph.add((uri, ORG.subOrganizationOf, other))
        else:
            graph.add((uri, DCTERMS.relation, other))
    return uri


def _site(graph: Graph, uri: URIRef, org: Organisation) -> None:
    """The registered site as far as Helix knows it: municipality, province, country."""
    place = org if org.kind == OrganisationKind.MUNICIPALITY else org.located_in
    if place is None and org.province is None and not org.country:
        return
    site = URIRef(f"{uri}#site")
    address = URIRef(f"{uri}#address")
    graph.add((uri, ORG.hasPrimarySite, site))
    graph.add((site, RDF.type, ORG.Site))
    graph.add((site, ORG.siteAddress, address))
    graph.add((address, RDF.type, LOCN.Address))
    if place is not None:
        graph.add((address, LOCN.postName, Literal(place.name_nl or place.name)))
        if place is not org and is_public(place):
            graph.add((uri, DCTERMS.spatial, record_uri("organisation", place.slug)))
            graph.add((record_uri("organisation", place.slug), RDF.type, DCTERMS.Location))
    if org.province is not None:
        graph.add((address, LOCN.adminUnitL2, Literal(str(org.province))))
    if org.country:
        graph.add((address, LOCN.adminUnitL1, Literal(org.country)))
        if code := ISO2_TO_EU_COUNTRY.get(org.country.upper()):
            graph.add((site, DCTERMS.spatial, EU_COUNTRY[code]))
            graph.add((EU_COUNTRY[code], RDF.type, DCTERMS.Location))


# --- Instruments (CPSV-AP public services) ----------------------------------------------------


def instrument_queryset() -> QuerySet[Instrument]:
    terms = Term.objects.select_related("scheme")
    return (
        Instrument.objects.live()
        .select_related("offered_by", "managed_by", "parent", "instrument_type__scheme", "eu_category__scheme")
        .prefetch_related(
            "co_offered_by",
            "restricted_to",
            Prefetch("applicant_types", queryset=terms),
            Prefetch("phases", queryset=terms),
            Prefetch("domains", queryset=terms),
        )
        .order_by("id")
    )


def _period(graph: Graph, uri: URIRef, start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None and end is None:
        return
    period = URIRef(f"{uri}#period")
    graph.add((uri, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((period, DCAT.startDate, _date(start)))
    if end:
        graph.add((period, DCAT.endDate, _date(end)))


def describe_instrument(graph: Graph, ins: Instrument) -> URIRef:
    uri = record_uri("instrument", ins.slug)
    graph.add((uri, RDF.type, CPSV.PublicService))
    _common(graph, uri, ins)
    _texts(graph, uri, DCTERMS.title, nl=ins.title_nl, plain=ins.title)
    _texts(graph, uri, DCTERMS.description, nl=ins.description_nl, en=ins.description_en)
    graph.add((uri, DCTERMS.type, add_choice(graph, "instrument-kinds", ins.kind)))
    if ins.instrument_type is not None:
        graph.add((uri, DCTERMS.type, add_term(graph, ins.instrument_type)))
    if ins.eu_category is not None:
        graph.add((uri, DCTERMS.subject, add_term(graph, ins.eu_category)))
    if is_public(ins.offered_by):
        graph.add((uri, CV.hasCompetentAuthority, add_agent(graph, ins.offered_by)))  # type: ignore[arg-type]
    for org in (*ins.co_offered_by.all(), *([ins.managed_by] if ins.managed_by else [])):
        if is_public(org):
            graph.add((uri, DCTERMS.contributor, add_agent(graph, org)))
    for org in ins.restricted_to.all():
        if is_public(org):
            graph.add((uri, DCTERMS.audience, add_agent(graph, org)))
    if ins.parent is not None and ins.parent.archived_at is None:
        graph.add((uri, DCTERMS.isPartOf, record_uri("instrument", ins.parent.slug)))
    for term in ins.domains.all():
        graph.add((uri, CV.thematicArea, add_term(graph, term)))
    for term in ins.phases.all():
        graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    for term in ins.applicant_types.all():
        graph.add((uri, DCTERMS.audience, add_term(graph, term)))
    for area in ins.territory_areas:
        if area.isdigit() and len(area) == 5:
            graph.add((uri, DCTERMS.spatial, add_refnis(graph, area, "")))
        elif (code := ISO2_TO_EU_COUNTRY.get(area.upper())) is not None:
            graph.add((uri, DCTERMS.spatial, EU_COUNTRY[code]))
            graph.add((EU_COUNTRY[code], RDF.type, DCTERMS.Location))
    _period(graph, uri, ins.opens_on, ins.closes_on)
    if ins.amount_min is not None or ins.amount_max is not None:
        amount = URIRef(f"{uri}#amount")
        graph.add((uri, SCHEMA.amount, amount))
        graph.add((amount, RDF.type, SCHEMA.MonetaryAmount))
        graph.add((amount, SCHEMA.currency, Literal("EUR")))
        if ins.amount_min is not None:
            graph.add((amount, SCHEMA.minValue, _decimal(ins.amount_min)))
        if ins.amount_max is not None:
            graph.add((amount, SCHEMA.maxValue, _decimal(ins.amount_max)))
    add_page(graph, uri, FOAF.homepage, ins.url)
    return uri


# --- Projects (PROV-O activities) -------------------------------------------------------------


def project_queryset() -> QuerySet[Project]:
    terms = Term.objects.select_related("scheme")
    return (
        Project.objects.live()
        .select_related("lead", "phase__scheme")
        .prefetch_related(
            Prefetch("partnerships", queryset=ProjectPartner.objects.select_related("organisation")),
            Prefetch("fundings", queryset=ProjectFunding.objects.select_related("instrument")),
            Prefetch("links_out", queryset=ProjectLink.objects.select_related("to_project")),
            "places",
            Prefetch("domains", queryset=terms),
            Prefetch("sdgs", queryset=terms),
        )
        .order_by("id")
    )


INFORMED_BY = (LinkKind.REPLICATES, LinkKind.SCALES_UP, LinkKind.FOLLOW_UP_OF, LinkKind.INSPIRED_BY)


def _association(graph: Graph, uri: URIRef, org: Organisation, role: str, note: str = "") -> None:
    agent = add_agent(graph, org)
    graph.add((uri, PROV.wasAssociatedWith, agent))
    node = URIRef(f"{uri}#{role}-{_fragment(org.slug)}")
    graph.add((uri, PROV.qualifiedAssociation, node))
    graph.add((node, RDF.type, PROV.Association))
    graph.add((node, PROV.agent, agent))
    graph.add((node, PROV.hadRole, add_project_role(graph, role)))
    if note:
        graph.add((node, RDFS.comment, Literal(note)))


def describe_project(graph: Graph, project: Project) -> URIRef:
    uri = record_uri("project", project.slug)
    graph.add((uri, RDF.type, PROV.Activity))
    _common(graph, uri, project)
    _texts(graph, uri, DCTERMS.title, nl=project.title_nl, plain=project.title)
    _texts(graph, uri, DCTERMS.description, nl=project.summary_nl, en=project.summary_en)
    if is_public(project.lead):
        _association(graph, uri, project.lead, "lead")  # type: ignore[arg-type]
    for partnership in project.partnerships.all():
        if is_public(partnership.organisation) and partnership.organisation_id != project.lead_id:
            _association(graph, uri, partnership.organisation, "partner", partnership.role)
    for place in project.places.all():
        if is_public(place):
            graph.add((uri, PROV.atLocation, add_agent(graph, place)))
            if place.refnis:
                graph.add((uri, DCTERMS.spatial, add_refnis(graph, place.refnis, place.name_nl or place.name)))
    graph.add((uri, ADMS.status, add_choice(graph, "project-statuses", project.status)))
    if project.phase is not None:
        graph.add((uri, DCTERMS.type, add_term(graph, project.phase)))
    for manager in (project.domains, project.sdgs):
        for term in manager.all():
            graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    _period(graph, uri, project.start_date, project.end_date)
    for funding in project.fundings.all():
        if funding.instrument.archived_at is None:
            graph.add((uri, SCHEMA.funding, record_uri("instrument", funding.instrument.slug)))
    for link in project.links_out.all():
        if link.to_project.archived_at is None:
            other = record_uri("project", link.to_project.slug)
            graph.add((uri, PROV.wasInformedBy if link.kind in INFORMED_BY else DCTERMS.relation, other))
    for value in project.links:
        if page := _url(value):
            graph.add((uri, RDFS.seeAlso, page))
    return uri


# --- Marketplace: challenges (schema:Demand) and solutions (schema:Service) -------------------


def challenge_queryset() -> QuerySet[Challenge]:
    terms = Term.objects.select_related("scheme")
    return (
        Challenge.objects.live()
        .published()
        .select_related("phase_sought__scheme")
        .prefetch_related(
            Prefetch("ownerships", queryset=ChallengeOwner.objects.select_related("organisation")),
            Prefetch("domains", queryset=terms),
            Prefetch("sdgs", queryset=terms),
            Prefetch("value_chain_roles_needed", queryset=terms),
        )
        .order_by("id")
    )


def describe_challenge(graph: Graph, challenge: Challenge) -> URIRef:
    uri = record_uri("challenge", challenge.slug)
    graph.add((uri, RDF.type, SCHEMA.Demand))
    _common(graph, uri, challenge)
    _texts(graph, uri, DCTERMS.title, nl=challenge.title_nl, plain=challenge.title)
    _texts(graph, uri, DCTERMS.description, nl=challenge.description_nl, en=challenge.description_en)
    for ownership in challenge.ownerships.all():
        if not is_public(ownership.organisation):
            continue
        agent = add_agent(graph, ownership.organisation)
        graph.add((uri, SCHEMA.seeker, agent))
        if ownership.role == OwnerRole.LEAD:
            graph.add((uri, DCTERMS.publisher, agent))
    if challenge.published_at:
        graph.add((uri, DCTERMS.issued, _datetime(challenge.published_at)))
    if challenge.deadline:
        graph.add((uri, SCHEMA.availabilityEnds, _date(challenge.deadline)))
    graph.add((uri, ADMS.status, add_choice(graph, "challenge-statuses", challenge.status)))
    if challenge.format:
        graph.add((uri, DCTERMS.type, add_choice(graph, "challenge-formats", challenge.format)))
    if challenge.budget_min is not None or challenge.budget_max is not None:
        price = URIRef(f"{uri}#budget")
        graph.add((uri, SCHEMA.priceSpecification, price))
        graph.add((price, RDF.type, SCHEMA.PriceSpecification))
        graph.add((price, SCHEMA.priceCurrency, Literal("EUR")))
        if challenge.budget_min is not None:
            graph.add((price, SCHEMA.minPrice, _decimal(challenge.budget_min)))
        if challenge.budget_max is not None:
            graph.add((price, SCHEMA.maxPrice, _decimal(challenge.budget_max)))
    if challenge.phase_sought is not None:
        graph.add((uri, SCHEMA.category, add_term(graph, challenge.phase_sought)))
    for manager in (challenge.domains, challenge.sdgs, challenge.value_chain_roles_needed):
        for term in manager.all():
            graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    return uri


def solution_queryset() -> QuerySet[Solution]:
    terms = Term.objects.select_related("scheme")
    return (
        Solution.objects.live()
        .select_related("organisation", "maturity__scheme")
        .prefetch_related(
            "references",
            Prefetch("domains", queryset=terms),
            Prefetch("sdgs", queryset=terms),
            Prefetch("value_chain_roles", queryset=terms),
        )
        .order_by("id")
    )


def describe_solution(graph: Graph, solution: Solution) -> URIRef:
    uri = record_uri("solution", solution.slug)
    graph.add((uri, RDF.type, SCHEMA.Service))
    _common(graph, uri, solution)
    _texts(graph, uri, DCTERMS.title, nl=solution.title_nl, plain=solution.title)
    _texts(graph, uri, DCTERMS.description, nl=solution.description_nl, en=solution.description_en)
    if is_public(solution.organisation):
        agent = add_agent(graph, solution.organisation)
        graph.add((uri, SCHEMA.provider, agent))
        graph.add((uri, DCTERMS.publisher, agent))
    for org in solution.references.all():
        if is_public(org):
            graph.add((uri, SCHEMA.areaServed, add_agent(graph, org)))
    if solution.maturity is not None:
        graph.add((uri, SCHEMA.category, add_term(graph, solution.maturity)))
    for manager in (solution.domains, solution.sdgs, solution.value_chain_roles):
        for term in manager.all():
            graph.add((uri, DCTERMS.subject, add_term(graph, term)))
    for standard in solution.open_standards:
        node = URIRef(f"{uri}#standard-{_fragment(standard)}")
        graph.add((uri, DCTERMS.conformsTo, node))
        graph.add((node, RDF.type, DCTERMS.Standard))
        graph.add((node, RDFS.label, Literal(standard)))
    graph.add((uri, DCTERMS.type, add_choice(graph, "pricing-models", solution.pricing_model)))
    add_page(graph, uri, FOAF.homepage, solution.website)
    return uri


# --- Registry of kinds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of public record: the segment of its URI, its public rows, its RDF mapping."""

    name: str
    label: Promise
    queryset: Callable[[], QuerySet[Any]]
    describe: Callable[[Graph, Any], URIRef]
    lookup: str = "slug"  # the field that is the last segment of the URI ("slug", or "pk")

    def key(self, record: Any) -> str:
        return str(getattr(record, self.lookup))

    def find(self, key: str) -> QuerySet[Any]:
        """The public record with this URI key (an empty queryset when the key cannot be one)."""
        if self.lookup == "pk" and not key.isdigit():
            return self.queryset().none()
        return self.queryset().filter(**{self.lookup: key})


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("organisation", _("organisation"), organisation_queryset, describe_organisation),
        Kind("instrument", _("instrument"), instrument_queryset, describe_instrument),
        Kind("project", _("project"), project_queryset, describe_project),
        Kind("challenge", _("challenge"), challenge_queryset, describe_challenge),
        Kind("solution", _("solution"), solution_queryset, describe_solution),
    )
}


def register_kind(kind: Kind) -> None:
    """Add a kind (harvested datasets register themselves when helix.opendata is installed)."""
    KINDS[kind.name] = kind


def describe(kind: str, records: Iterable[Model], graph: Graph | None = None) -> Graph:
    """A graph describing `records` (rows of KINDS[kind].queryset())."""
    graph = graph if graph is not None else new_graph()
    spec = KINDS[kind]
    for record in records:
        spec.describe(graph, record)
    return graph


def record_graph(kind: str, slug: str) -> Graph | None:
    """The description of one public record, or None when there is no such public record."""
    spec = KINDS.get(kind)
    if spec is None:
        return None
    records = list(spec.find(slug)[:1])
    if not records:
        return None
    return describe(kind, records)


def describe_concept(scheme: str, code: str | None) -> Graph | None:
    """A concept (or a whole scheme when `code` is None) of Helix's taxonomies or enumerations."""
    graph = new_graph()
    if scheme in CHOICE_SCHEMES:
        choices = CHOICE_SCHEMES[scheme][0]
        values = [code] if code is not None else [str(v) for v in choices.values]
        if code is not None and code not in choices.values:
            return None
        for value in values:
            add_choice(graph, scheme, value)
        return graph
    if scheme == PROJECT_ROLES:
        if code not in (None, "lead", "partner"):
            return None
        for role in [code] if code else ["lead", "partner"]:
            add_project_role(graph, role)
        return graph
    terms = Term.objects.select_related("scheme").filter(scheme__slug=scheme)
    if code is not None:
        terms = terms.filter(code=code)
    found = list(terms)
    if not found:
        return None
    for term in found:
        add_term(graph, term)
    return graph


__all__ = ["KINDS", "Kind", "describe", "describe_concept", "record_graph", "register_kind"]
