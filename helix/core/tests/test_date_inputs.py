"""Date pickers carry ISO values on Dutch pages too: a locale-formatted value (01-07-2020) shows
as an empty <input type="date">, and saving the form would clear the date."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from helix.actors.models import Organisation
from helix.instruments.models import Instrument

pytestmark = pytest.mark.django_db

DAY = datetime.date(2020, 7, 1)


def date_values(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="date" name="{name}" value="([^"]*)"', html)


@pytest.mark.parametrize(
    ("model", "slug", "url_name"),
    [(Organisation, "org-a", "actors:organisation-edit"), (Instrument, "instrument-a", "instruments:instrument-edit")],
)
def test_edit_pages_in_dutch_show_the_stored_date(cast, client_as, model, slug, url_name):
    model.objects.filter(slug=slug).update(last_verified=DAY)
    with translation.override("nl"):
        html = client_as(cast.curator).get(reverse(url_name, kwargs={"slug": slug})).content.decode()
    assert date_values(html, "last_verified") == ["2020-07-01"]
