"""The network of memberships and project partnerships, and the brokers that connect it.

Organisations are nodes; a live membership between two live organisations is an edge; a live
project is a node linked to its lead and partners (a bipartite link keeps a project with twenty
partners from adding 190 edges). A broker has a high betweenness centrality: many shortest
paths between other organisations run through it (networkx, normalised).

At the study's size the exact centrality takes milliseconds. Above EXACT_LIMIT nodes it is
estimated from SAMPLES source nodes (networkx `k`, fixed seed: the same data give the same
ranking). Above SAMPLE_PROJECTS live projects the graph is not built over every project (1.5M
project nodes do not fit a request, nor 2 GB): it holds every organisation and membership but
only a fixed-seed sample of SAMPLE_PROJECTS projects (the lowest md5(SAMPLE_SEED || id): the
same data give the same sample, and a new project does not reshuffle it). The figures
(organisations, projects, links, connected components) are still exact, counted SQL-side and
by a union-find over the organisations that streams each project's organisations; the brokers'
project counts are exact too; only the centrality ranking comes from the sample.

The result is kept as a `Snapshot` (helix/insights/snapshots.py): a request serves the snapshot
of the current data version, computes it when the graph is small, and otherwise serves the last
snapshot with its date and queues a refresh (`manage.py compute_insights` refreshes it;
`make bench` times both).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import networkx as nx
from django.db import connection, transaction
from django.db.models import Count

from helix.actors.choices import Predicate
from helix.actors.models import Membership, Organisation
from helix.core.listing import data_version
from helix.projects.models import Project, ProjectPartner

from . import snapshots
from .models import Snapshot

KEY = "network"
EXACT_LIMIT = 3000
SAMPLES = 100
SYNC_EDGE_LIMIT = 20_000
"""Graphs up to this many edges (estimated) are (re)computed in the request (well under a second)."""
SAMPLE_PROJECTS = 20_000
"""Above this many live projects the graph holds a fixed-seed sample of them (module docstring)."""
SAMPLE_SEED = "helix-network-1"
BROKERS = 25
DIAGRAM_NODES = 250
"""The diagram draws the whole network up to this many nodes; above, the most central ones and
the links among them (a force layout of 37k nodes says nothing)."""
MEMBER_PREDICATES = (Predicate.MEMBER_OF, Predicate.PART_OF, Predicate.PARTNER_OF)  # as OrganisationFilter.member_of


def _edge_count() -> int:
    """The graph's size as the planner estimates it (memberships, partnerships, projects)."""
    tables = (Membership._meta.db_table, ProjectPartner._meta.db_table, Project._meta.db_table)
    return snapshots.estimated_rows(*tables)


def aggregate() -> snapshots.Aggregate:
    return snapshots.Aggregate(
        KEY,
        "Network and brokers (/inzichten/netwerk/)",
        lambda: compute(),  # looked up when called (tests replace it)
        size=_edge_count,
        limit=SYNC_EDGE_LIMIT,
        empty=EMPTY,
    )


EMPTY: dict[str, Any] = {
    "diagram": {"nodes": [], "links": [], "whole": True},
    "organisations": 0,
    "projects": 0,
    "links": 0,
    "components": 0,
    "largest_component": 0,
    "approximate": False,
    "samples": None,
    "sampled_projects": None,
    "brokers": [],
}


def sample_projects(limit: int) -> list[int]:
    """A fixed-seed sample of the live projects linked to a live organisation: the `limit` ones
    with the lowest md5(SAMPLE_SEED || id). A project's rank depends on its id alone: a new
    project displaces at most one, and the same data always give the same sample."""
    project, org, partner = Project._meta.db_table, Organisation._meta.db_table, ProjectPartner._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.id FROM {project} p
                 WHERE p.archived_at IS NULL
                   AND (EXISTS (SELECT 1 FROM {org} o WHERE o.id = p.lead_id AND o.archived_at IS NULL)
                        OR EXISTS (SELECT 1 FROM {partner} pp JOIN {org} o ON o.id = pp.organisation_id
                                    WHERE pp.project_id = p.id AND o.archived_at IS NULL))
                 ORDER BY md5(%s || p.id::text), p.id LIMIT %s""",  # noqa: S608 (table names from the models)
            [SAMPLE_SEED, limit],
        )
        return sorted(row[0] for row in cursor.fetchall())


def build_graph(project_ids: Iterable[int] | None = None) -> nx.Graph:
    """Every live organisation and membership, and every live project (or only `project_ids`)."""
    live = set(Organisation.objects.live().values_list("id", flat=True))
    graph = nx.Graph()
    for subject, obj in Membership.objects.filter(archived_at__isnull=True, object__isnull=False).values_list(
        "subject_id", "object_id"
    ):
        if subject in live and obj in live and subject != obj:
            graph.add_edge(subject, obj)
    projects = Project.objects.live()
    partners = ProjectPartner.objects.filter(project__archived_at__isnull=True)
    if project_ids is not None:
        ids = list(project_ids)
        projects, partners = projects.filter(pk__in=ids), partners.filter(project_id__in=ids)
    for project, lead in projects.filter(lead__isnull=False).values_list("id", "lead_id"):
        if lead in live:
            graph.add_edge(f"p{project}", lead)
    for project, org in partners.values_list("project_id", "organisation_id"):
        if org in live:
            graph.add_edge(f"p{project}", org)
    return graph


def _find(parent: dict[int, int], n: int) -> int:
    while parent[n] != n:
        parent[n] = parent[parent[n]]
        n = parent[n]
    return n


def _union(parent: dict[int, int], a: int, b: int) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def exact_figures() -> dict[str, int]:
    """The whole graph's figures without building it: memberships and each project's distinct
    live organisations counted SQL-side and streamed (server-side cursor) into a union-find over
    the organisations. Every component holds an organisation (a project node exists only by its
    link to one), so the organisations' components are the graph's."""
    project, org = Project._meta.db_table, Organisation._meta.db_table
    partner, membership = ProjectPartner._meta.db_table, Membership._meta.db_table
    parent: dict[int, int] = {}
    links = projects = 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT DISTINCT LEAST(m.subject_id, m.object_id), GREATEST(m.subject_id, m.object_id)
                  FROM {membership} m JOIN {org} s ON s.id = m.subject_id JOIN {org} o ON o.id = m.object_id
                 WHERE m.archived_at IS NULL AND m.subject_id <> m.object_id
                   AND s.archived_at IS NULL AND o.archived_at IS NULL"""  # noqa: S608 (table names from the models)
        )
        for a, b in cursor.fetchall():
            _union(parent, a, b)
            links += 1
    query = f"""SELECT array_agg(DISTINCT e.org) FROM (
                    SELECT p.id AS project, p.lead_id AS org FROM {project} p
                     WHERE p.archived_at IS NULL AND p.lead_id IS NOT NULL
                    UNION ALL
                    SELECT pp.project_id, pp.organisation_id FROM {partner} pp
                      JOIN {project} p ON p.id = pp.project_id WHERE p.archived_at IS NULL
                ) e JOIN {org} o ON o.id = e.org AND o.archived_at IS NULL
                GROUP BY e.project"""  # noqa: S608 (table names from the models)
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(query)
        while rows := cursor.fetchmany(10_000):
            for (orgs,) in rows:
                projects += 1
                links += len(orgs)
                first = orgs[0]
                parent.setdefault(first, first)
                for other in orgs[1:]:
                    _union(parent, first, other)
    sizes: dict[int, int] = {}
    for n in parent:
        root = _find(parent, n)
        sizes[root] = sizes.get(root, 0) + 1
    return {
        "organisations": len(parent),
        "projects": projects,
        "links": links,
        "components": len(sizes),
        "largest_component": max(sizes.values(), default=0),
    }


def _project_counts(org_ids: list[int]) -> dict[int, int]:
    """Live projects each organisation leads or partners (exact, whatever the sample)."""
    from .aggregates import led_or_partnered

    return led_or_partnered(org_ids)


def compute() -> dict[str, Any]:
    """The network's figures and its brokers (language-neutral: names in both languages)."""
    started = time.perf_counter()
    sample: list[int] | None = None
    if Project.objects.live().count() > SAMPLE_PROJECTS:
        sample = sample_projects(SAMPLE_PROJECTS)
    graph = build_graph(sample)
    orgs = [n for n in graph.nodes if isinstance(n, int)]
    approximate = graph.number_of_nodes() > EXACT_LIMIT
    if graph.number_of_nodes() == 0:
        centrality: dict[Any, float] = {}
    elif approximate:
        centrality = nx.betweenness_centrality(graph, k=min(SAMPLES, graph.number_of_nodes()), seed=0)
    else:
        centrality = nx.betweenness_centrality(graph)
    top = sorted(orgs, key=lambda n: (-centrality.get(n, 0.0), -graph.degree(n), n))[:BROKERS]
    top = [n for n in top if centrality.get(n, 0.0) > 0]
    info = {o["id"]: o for o in Organisation.objects.filter(pk__in=top).values("id", "slug", "name", "name_nl", "kind")}
    projects_of = _project_counts(top) if sample is not None else {}
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
                "projects": projects_of.get(n, 0) if sample is not None else sum(1 for m in neighbours if isinstance(m, str)),
                "members": members.get(n, 0),
            }
        )
    if sample is None:
        components = list(nx.connected_components(graph))
        figures = {
            "organisations": len(orgs),
            "projects": graph.number_of_nodes() - len(orgs),
            "links": graph.number_of_edges(),
            "components": len(components),
            "largest_component": max((sum(1 for m in c if isinstance(m, int)) for c in components), default=0),
        }
    else:
        figures = exact_figures()
    return {
        "diagram": _diagram(graph, centrality),
        **figures,
        "approximate": approximate,
        "samples": min(SAMPLES, graph.number_of_nodes()) if approximate else None,
        "sampled_projects": len(sample) if sample is not None else None,
        "sample_seed": SAMPLE_SEED if sample is not None else None,
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


def refresh() -> Snapshot | None:
    """Recompute and store the snapshot (as `compute_insights` does)."""
    return snapshots.refresh(aggregate())


def network_summary() -> tuple[dict[str, Any], Snapshot | None, bool]:
    """(payload, snapshot, stale): the current snapshot, computed now when it is missing or
    stale and the graph is small; a large graph's stale snapshot is served as it is (and its
    refresh queued). `served()` also tells whether the first snapshot is still pending."""
    found = served()
    return found.payload, found.snapshot, found.stale


def served() -> snapshots.Served:
    return snapshots.serve_at(aggregate(), data_version())
