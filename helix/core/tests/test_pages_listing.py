"""Keyset pagination of the generic list: cursors, NULL handling, no overlap, no OFFSET."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helix.actors.models import Organisation
from helix.core.listing import decode_token, encode_token, keyset_page, sort_keys
from tests.factories import OrganisationFactory


def walk(qs, keys, size):
    """Every page forwards, then every page backwards from the last one."""
    pages = [keyset_page(qs, keys, size=size)]
    while pages[-1].has_next:
        pages.append(keyset_page(qs, keys, size=size, after=pages[-1].next_token))
    backwards = [pages[-1]]
    while backwards[-1].has_prev:
        backwards.append(keyset_page(qs, keys, size=size, before=backwards[-1].prev_token))
    return pages, backwards


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("name", "id"), ("-name", "-id"), ("founded_year", "id"), ("-founded_year", "-id")])
def test_pages_cover_every_row_once_in_order_both_ways(order):
    # Duplicate sort values and NULLs (founded_year) are the hard cases for a seek cursor.
    for i in range(23):
        OrganisationFactory(name=f"Org {i % 5}", founded_year=None if i % 4 == 0 else 2000 + i % 3)
    qs = Organisation.objects.all()
    keys = sort_keys(Organisation, order)
    expected = [o.pk for o in qs.order_by(*_django_order(order))]

    pages, backwards = walk(qs, keys, size=5)

    forward_ids = [o.pk for p in pages for o in p.rows]
    assert forward_ids == expected
    assert len(set(forward_ids)) == len(forward_ids)  # no overlap between pages
    assert [len(p.rows) for p in pages] == [5, 5, 5, 5, 3]
    backward_ids = [o.pk for p in reversed(backwards) for o in p.rows]
    assert backward_ids == expected
    assert not pages[0].has_prev and not backwards[-1].has_prev


def _django_order(order):
    from django.db.models import F

    out = []
    for item in order:
        name = item.lstrip("-")
        expr = F(name)
        out.append(expr.desc(nulls_last=True) if item.startswith("-") else expr.asc(nulls_last=True))
    return out


@pytest.mark.django_db
def test_deep_page_uses_a_where_clause_not_offset():
    for i in range(12):
        OrganisationFactory(name=f"Org {i:02d}")
    keys = sort_keys(Organisation, ("name", "id"))
    first = keyset_page(Organisation.objects.all(), keys, size=5)
    with CaptureQueriesContext(connection) as ctx:
        second = keyset_page(Organisation.objects.all(), keys, size=5, after=first.next_token)
    sql = ctx.captured_queries[-1]["sql"].upper()
    assert "OFFSET" not in sql
    assert [o.name for o in second.rows] == [f"Org {i:02d}" for i in range(5, 10)]


def test_tokens_round_trip_and_bad_tokens_mean_first_page():
    token = encode_token(["Gent", 12])
    assert decode_token(token, 2) == ["Gent", 12]
    assert decode_token(token, 3) is None
    assert decode_token("not base64 !!", 2) is None
    assert decode_token(encode_token([{"a": 1}, 3]), 2) is None
    assert decode_token(encode_token(["x", "not an id"]), 2) is None
    assert decode_token("x" * 5000, 2) is None
    assert decode_token(None, 2) is None


@pytest.mark.django_db
def test_relevance_ordered_search_results_page_without_overlap(client):
    for i in range(14):
        OrganisationFactory(name=f"Slimme verlichting {i}", description_nl="verlichting " * (i % 3 + 1))
    OrganisationFactory(name="Iets anders")
    seen = []
    response = client.get("/organisaties/", {"q": "verlichting", "size": 10})
    assert response.context["sort"] == "relevance"
    seen += [row.pk for row, _cells in response.context["rows"]]
    response = client.get("/organisaties/", {"q": "verlichting", "size": 10, "after": response.context["page"].next_token})
    seen += [row.pk for row, _cells in response.context["rows"]]
    assert len(seen) == len(set(seen)) == 14
    assert not response.context["page"].has_next
