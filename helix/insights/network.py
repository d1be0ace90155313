"""The network of memberships and project partnerships, and the brokers that connect it.

Organisations are nodes; a live membership between two live organisations is an edge; a live
project is a node linked to its lead and partners (a bipartite link keeps a project with twenty
partners from adding 190 edges). A broker has a high betweenness centrality: many shortest
paths between other organisations run through it (networkx, normalised).

At the study's size the exact centrality takes milliseconds. Above EXACT_LIMIT nodes it is
estimated from SAMPLES source nodes (networkx `k`, fixed seed: the same data give the same
ranking), and the result is kept as a `Snapshot`: a request serves the snapshot of the current
data version, computes it when the graph is small, and otherwise serves the last snapshot with
its date (`manage.py compute_insights` refreshes it; `make bench` times both).
"""

from __future__ import annotations

import time
from typing import Any

import networkx as nx
from django.db import DatabaseError, transaction
from django.db.models import Count
from django.utils import timezone

from helix.actors.choices import Predicate
from helix.actors.models import Membership, Organisation
from helix.core.listing import data_version
from helix.projects.models import Project, ProjectPartner

from .models import Snapshot

KEY = "network"
EXACT_LIMIT = 3000
SAMPLES = 100
SYNC_EDGE_LIMIT = 20_000
"""Graphs up to this many edges are (re)computed in the request (well under a second)."""
BROKERS = 25
DIAGRAM_NODES = 250
"""The diagram draws the whole network up to this many nodes; above, the most central ones and
the links among them (a force layout of 37k nodes says nothing)."""
MEMBER_PREDICATES = (Predicate.MEMBER_OF, Predicate.PART_OF, Predicate.PARTNER_OF)  # as OrganisationFilter.member_of


def _edge_count() -> int:
    memberships = Membership.objects.filter(archived_at__isnull=True, object__isnull=False).count()
    partners = ProjectPartner.objects.filter(project__archived_at__isnull=True).count()
    leads = Project.objects.live().filter(lead__isnull=False).count()
    return memberships + partners + leads


def build_graph() -> nx.Graph:
    live = set(Organisation.objects.live().values_list("id", flat=True))
    graph = nx.Graph()
    for subject, obj in Membership.objects.filter(archived_at__isnull=True, object__isnull=False).values_list(
        "subject_id", "object_id"
    ):
        if subject in live and obj in live and subject != obj:
            graph.add_edge(subject, obj)
    for project, lead in Project.objects.live().filter(lead__isnull=False).values_list("id", "lead_id"):
        if lead in live:
            graph.add_edge(f"p{project}", lead)
    for project, org in ProjectPartner.objects.filter(project__archived_at__isnull=True).values_list(
        "project_id", "organisation_id"
    ):
        if org in live:
            graph.add_edge(f"p{project}", org)
    return graph


def compute() -> dict[str, Any]:
    """The network's figures and its brokers (language-neutral: names in both languages)."""
    started = time.perf_counter()
    graph = build_graph()
    orgs = [n for n in graph.nodes if isinstance(n, int)]
    approximate = graph.number_of_nodes() > EXACT_LIMIT
    if graph.number_of_nodes() == 0:
        centrality: dict[Any, float] = {}
    elif approximate:
        centrality = nx.betweenness_centrality(graph, k=min(SAMPLES, graph.number_of_nodes()), seed=0)
    else:
        centrality = nx.betweenness_centrality(graph)
    components = list(nx.connected_components(graph))
    top = sorted(orgs, key=lambda n: (-centrality.get(n, 0.0), -graph.degree(n), n))[:BROKERS]
    top = [n for n in top if centrality.get(n, 0.0) > 0]
    info = {o["id"]: o for o in Organisation.objects.filter(pk__in=top).values("id", "slug", "name", "name_nl", "kind")}
    members = dict(
        Membership.objects.filter(object_id__in=top, predicate__in=MEMBER_PREDICATES, subject__archived_at__isnull=True)
        .order_by()
        .values_list("object_id")
        .annotate(n=Count("subject_id", distinct=True))
    )
    brokers = []
    for n in top:
        neighbours = list(graph.neighbors(n))
        brokers.append(
            {
                **info[n],
                "betweenness": round(centrality[n], 6),
                "organisations": sum(1 for m in neighbours if isinstance(m, int)),
                "projects": sum(1 for m in neighbours if isinstance(m, str)),
                "members": members.get(n, 0),
            }
        )
    return {
        "diagram": _diagram(graph, centrality),
        "organisations": len(orgs),
        "projects": graph.number_of_nodes() - len(orgs),
        "links": graph.number_of_edges(),
        "components": len(components),
        "largest_component": max((sum(1 for m in c if isinstance(m, int)) for c in components), default=0),
        "approximate": approximate,
        "samples": min(SAMPLES, graph.number_of_nodes()) if approximate else None,
        "brokers": brokers,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _diagram(graph: nx.Graph, centrality: dict[Any, float]) -> dict[str, Any]:
    """Nodes (organisations and projects, with names in both languages) and links to draw."""
    nodes = list(graph.nodes)
    if len(nodes) > DIAGRAM_NODES:
        nodes = sorted(nodes, key=lambda n: (-centrality.get(n, 0.0), -graph.degree(n), str(n)))[:DIAGRAM_NODES]
    sub = graph.subgraph(nodes)
    org_ids = [n for n in nodes if isinstance(n, int)]
    project_ids = [int(n[1:]) for n in nodes if isinstance(n, str)]
    orgs = {o["id"]: o for o in Organisation.objects.filter(pk__in=org_ids).values("id", "slug", "name", "name_nl", "kind")}
    projects = {p["id"]: p for p in Project.objects.filter(pk__in=project_ids).values("id", "slug", "title", "title_nl")}
    ordered = sorted(nodes, key=str)
    index = {n: i for i, n in enumerate(ordered)}
    out: list[dict[str, Any]] = []
    for n in ordered:
        if isinstance(n, int):
            o = orgs[n]
            out.append({"type": "organisation", "slug": o["slug"], "name": o["name"], "name_nl": o["name_nl"], "kind": o["kind"]})
        else:
            p = projects[int(n[1:])]
            out.append({"type": "project", "slug": p["slug"], "name": p["title"], "name_nl": p["title_nl"], "kind": "project"})
        out[-1].update({"betweenness": round(centrality.get(n, 0.0), 6), "links": sub.degree(n)})
    links = sorted((min(index[a], index[b]), max(index[a], index[b])) for a, b in sub.edges)
    return {"nodes": out, "links": [{"source": a, "target": b} for a, b in links], "whole": len(nodes) == graph.number_of_nodes()}


def store(payload: dict[str, Any], version: str) -> Snapshot | None:
    try:
        with transaction.atomic():
            snapshot, _ = Snapshot.objects.update_or_create(
                key=KEY,
                defaults={
                    "data_version": version,
                    "computed_at": timezone.now(),
                    "seconds": payload["seconds"],
                    "payload": payload,
                },
            )
    except DatabaseError:  # a concurrent writer won; the next request reads its row
        return None
    return snapshot


def refresh() -> Snapshot | None:
    """Recompute and store the snapshot (the `compute_insights` command)."""
    version = data_version() or ""
    return store(compute(), version)


def network_summary() -> tuple[dict[str, Any], Snapshot | None, bool]:
    """(payload, snapshot, stale): the current snapshot, computed now when it is missing or when
    a stale one is cheap to recompute; a large graph's stale snapshot is served as it is."""
    version = data_version()
    snapshot = Snapshot.objects.filter(key=KEY).first()
    if snapshot is not None and version is not None and snapshot.data_version == version:
        return snapshot.payload, snapshot, False
    if snapshot is not None and _edge_count() > SYNC_EDGE_LIMIT:
        return snapshot.payload, snapshot, True
    payload = compute()
    if version is None:  # inside a transaction (tests): nothing is stored
        return payload, None, False
    return payload, store(payload, version), False
