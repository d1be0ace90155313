"""Describing records costs a fixed number of queries, however many records (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helix.linkeddata.catalogue import catalog_graph
from helix.linkeddata.mapping import KINDS, describe

pytestmark = pytest.mark.django_db


def queries(kind: str, count: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        graph = describe(kind, KINDS[kind].queryset()[:count])
    assert len(graph) > 0
    return len(captured.captured_queries)


@pytest.mark.parametrize("kind", ["organisation", "instrument", "project", "challenge", "solution", "dataset"])
def test_describing_many_records_costs_what_describing_one_costs(sample: Any, kind: str) -> None:
    one = queries(kind, 1)
    many = queries(kind, 200)
    assert many == one, f"{kind}: {one} queries for 1 record, {many} for 200"
    assert one <= 12


def test_a_record_document_has_a_small_fixed_query_count(sample: Any, client: Any) -> None:
    counts = []
    for record in (sample.municipality, sample.company):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/data/organisation/{record.slug}.ttl").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 12


def test_the_catalogue_costs_a_query_per_registry(sample: Any) -> None:
    with CaptureQueriesContext(connection) as captured:
        catalog_graph()
    from helix.linkeddata.catalogue import REGISTRIES

    assert len(captured.captured_queries) <= len(REGISTRIES) + 2
