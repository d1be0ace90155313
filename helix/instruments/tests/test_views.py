"""Public pages of the instrument registry: list filters, sort, export; detail with parent chain."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db
LIST = "/instrumenten/"


def titles(response):
    return [row.title for row, _cells in response.context["rows"]]


@pytest.fixture
def instruments():
    today = timezone.localdate()
    InstrumentFactory(
        title="Open call", opens_on=today - datetime.timedelta(days=5), closes_on=today + datetime.timedelta(days=10)
    )
    InstrumentFactory(
        title="Closed call", opens_on=today - datetime.timedelta(days=50), closes_on=today - datetime.timedelta(days=1)
    )
    InstrumentFactory(title="Coaching", kind="matchmaking", policy_level="european")


def test_list_renders_with_status_and_filters(client, instruments):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Closed call", "Coaching", "Open call"]
    assert titles(client.get(LIST, {"status": "open"})) == ["Open call"]
    assert titles(client.get(LIST, {"kind": "matchmaking"})) == ["Coaching"]
    assert titles(client.get(LIST, {"closing_within": "30"})) == ["Open call"]
    html = client.get(LIST).content.decode()
    assert "Gesloten" in html and "Open" in html


def test_sort_by_closing_date_puts_unknown_dates_last(client, instruments):
    assert titles(client.get(LIST, {"sort": "closes"})) == ["Closed call", "Open call", "Coaching"]
    assert titles(client.get(LIST, {"sort": "-closes"})) == ["Open call", "Closed call", "Coaching"]


def test_json_export_contains_exactly_the_filtered_rows(client, instruments):
    response = client.get(LIST, {"kind": "financial", "format": "json"})
    data = json.loads(response.content)
    assert [row["title"] for row in data] == ["Closed call", "Open call"]
    assert {row["status"] for row in data} == {"open", "closed"}


def test_detail_shows_parent_chain_children_status_and_history_link(client):
    programme = InstrumentFactory(title="EFRO Vlaanderen", slug="efro")
    axis = InstrumentFactory(title="Prioriteit 2", slug="efro-p2", parent=programme)
    call = InstrumentFactory(title="Oproep mobiliteit", slug="efro-p2-call", parent=axis, closes_on=timezone.localdate())
    InstrumentFactory(title="Deeloproep", parent=call)

    html = client.get(call.get_absolute_url()).content.decode()

    breadcrumb = html[html.index('class="breadcrumbs"') : html.index("</nav>", html.index('class="breadcrumbs"'))]
    assert breadcrumb.index("EFRO Vlaanderen") < breadcrumb.index("Prioriteit 2") < breadcrumb.index("Oproep mobiliteit")
    assert "Deeloproep" in html
    assert "Open" in html  # derived status
    assert reverse("history:record", kwargs={"model": "instrument", "slug": call.slug}) in html


def test_archived_instrument_is_404_for_the_public(client_as, cast):
    cast.instrument_a.archived_at = timezone.now()
    cast.instrument_a.save()
    url = reverse("instruments:instrument-detail", kwargs={"slug": "instrument-a"})
    assert client_as(None).get(url).status_code == 404
    assert client_as(cast.curator).get(url).status_code == 200


def test_edit_link_for_the_offering_organisations_editor_only(client_as, cast):
    url = cast.instrument_a.get_absolute_url()
    edit_url = reverse("instruments:instrument-edit", kwargs={"slug": "instrument-a"})
    assert edit_url not in client_as(cast.editor_b).get(url).content.decode()
    assert edit_url in client_as(cast.editor_a).get(url).content.decode()


def test_list_query_count_does_not_grow_with_page_size(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parent = InstrumentFactory()
    for i in range(60):
        InstrumentFactory(title=f"Instrument {i:02d}", parent=parent)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST, {"size": 10})
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(LIST, {"size": 50})


def test_detail_english_labels(client, instruments):
    html = client.get("/en" + reverse("instruments:instrument-list")).content.decode()
    assert "Closed" in html and "Apply filters" in html
