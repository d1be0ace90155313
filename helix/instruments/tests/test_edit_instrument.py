"""Editing instruments: validation that says what to fix, offered-by limits for members, stale saves."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from helix.core.history import Channel, history_context
from helix.core.tests.rights_helpers import form_data
from helix.instruments.models import Instrument
from helix.instruments.services import create_instrument, update_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    # English URLs (/en/...) and messages; reverse() follows the active language.
    with translation.override("en"):
        yield


def edit_url(obj):
    return reverse("instruments:instrument-edit", kwargs={"slug": obj.slug})


def test_amounts_dates_and_rates_are_checked_with_clear_messages(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.instrument_a)).context["form"]
    data = form_data(
        form, amount_min="5000", amount_max="1000", cofinancing_rate="120", opens_on="2025-06-01", closes_on="2025-01-01"
    )
    response = client.post(edit_url(cast.instrument_a), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "at least the minimum" in errors["amount_max"][0]
    assert "between 0 and 100" in errors["cofinancing_rate"][0]
    assert "on or after the opening date" in errors["closes_on"][0]
    assert Instrument.objects.get(pk=cast.instrument_a.pk).version == 1


def test_lists_are_edited_one_per_line(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.instrument_a)).context["form"]
    data = form_data(
        form,
        target_groups="Municipalities\n\nSMEs\n",
        deadlines="2025-03-31\n2025-09-30",
        funding_forms=["grant", "loan"],
        municipality_sizes=["small"],
    )
    assert client.post(edit_url(cast.instrument_a), data).status_code == 302
    ins = Instrument.objects.get(pk=cast.instrument_a.pk)
    assert ins.target_groups == ["Municipalities", "SMEs"]
    assert [d.isoformat() for d in ins.deadlines] == ["2025-03-31", "2025-09-30"]
    assert ins.funding_forms == ["grant", "loan"]
    response = client.post(edit_url(cast.instrument_a), form_data(client.get(edit_url(ins)).context["form"], deadlines="31/03"))
    assert "YYYY-MM-DD" in response.context["form"].errors["deadlines"][0]


def test_member_cannot_move_an_instrument_to_another_organisation(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.instrument_a)).context["form"]
    response = client.post(edit_url(cast.instrument_a), form_data(form, offered_by=str(cast.org_b.pk)))
    assert "offered_by" in response.context["form"].errors
    assert Instrument.objects.get(pk=cast.instrument_a.pk).offered_by == cast.org_a


def test_services_check_offered_by(cast):
    with history_context(channel=Channel.COMMAND), pytest.raises(PermissionDenied):
        create_instrument(data={"title": "x", "kind": "financial", "offered_by": cast.org_b}, user=cast.editor_a)
    with pytest.raises(PermissionDenied):
        update_instrument(instrument=cast.instrument_a, data={"offered_by": cast.org_b}, user=cast.editor_a, expected_version=1)


def test_stale_instrument_save_changes_nothing(cast, client_as):
    client = client_as(cast.editor_a)
    form = client.get(edit_url(cast.instrument_a)).context["form"]
    with history_context(channel=Channel.COMMAND):
        update_instrument(instrument=cast.instrument_a, data={"recurrence": "yearly"}, user=None, expected_version=1)
    response = client.post(edit_url(cast.instrument_a), form_data(form, recurrence="monthly"))
    assert response.status_code == 409
    assert "yearly" in response.content.decode()
    assert Instrument.objects.get(pk=cast.instrument_a.pk).recurrence == "yearly"


def test_curator_moves_instrument_by_identifier(cast, client_as):
    client = client_as(cast.curator)
    form = client.get(edit_url(cast.instrument_a)).context["form"]
    assert form["offered_by"].value() == "org-a"
    response = client.post(edit_url(cast.instrument_a), form_data(form, offered_by="no-such-org"))
    assert "offered_by" in response.context["form"].errors
    assert client.post(edit_url(cast.instrument_a), form_data(form, offered_by="org-b")).status_code == 302
    assert Instrument.objects.get(pk=cast.instrument_a.pk).offered_by == cast.org_b
