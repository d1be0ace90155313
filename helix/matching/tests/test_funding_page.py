"""The funding finder page on the study's data: permalinks, verdicts with reasons, errors, export."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from helix.core.models import Term
from helix.instruments.models import Instrument
from tests.factories import InstrumentFactory

PAGE = "/en/financiering/"


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_empty_form_offers_every_step(loaded: str, db: Any, client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for step in ("Who applies?", "What is the project about?", "How much money do you need?", "Describe your project"):
        assert step in html
    assert 'name="municipality"' in html and 'name="organisation_2"' in html  # a consortium partner row
    assert '<option value="44021">Gent</option>' in html
    assert 'value="smart-mobility"' in html and 'value="pilot"' in html
    assert 'method="get"' in html
    assert "Results" not in text_of(html)  # nothing asked yet
    # The site navigation links to the finder, in Dutch at /financiering/ too.
    assert client.get("/financiering/").status_code == 200
    assert 'href="/en/financiering/" aria-current="page"' in html


def test_a_permalink_renders_verdicts_with_a_line_per_criterion(loaded: str, db: Any, client: Client) -> None:
    response = client.get(PAGE, {"municipality": "44021", "phase": "study", "domain": "smart-mobility"})
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(html)
    eligible = html.split('id="group-eligible"')[1].split("</section>")[0]
    assert "/en/instrumenten/city-of-things-call/" in eligible  # a link to the detail page
    assert "City of Things" in text_of(eligible)
    # One line per criterion, with a symbol and a word, not colour alone.
    card = eligible.split("city-of-things-call")[1].split("</article>")[0]
    assert card.count('class="reason outcome-') == 10
    assert "✓</span> Met" in card
    assert "Who may apply: Open to city or municipality." in text_of(card)
    assert "Territory: Open in Flemish Region, where you are." in text_of(card)
    assert "Phase: Funds the study phase." in text_of(card)
    # The matchmaking database of the City of Things programme is named beside the money.
    assert "Help with this funding:" in card and "smart-city-marktplaats-database" in card
    assert "Possibly eligible: some data is missing" in page
    # Not-eligible instruments stay hidden unless asked for.
    assert 'id="group-not_eligible"' not in html
    assert "all=on" in html


def test_ineligible_instruments_show_what_rules_them_out(loaded: str, db: Any, client: Client) -> None:
    response = client.get(PAGE, {"municipality": "44021", "all": "on"})
    html = response.content.decode()
    ruled_out = html.split('id="group-not_eligible"')[1]
    card = ruled_out.split("efro-pa3-stedelijke-mobiliteit-gti-kempen")[1].split("</article>")[0]
    first_part = text_of(card.split("All criteria")[0])
    assert "Ruled out by:" in first_part
    assert "✗ Not met Territory: Only for applicants in Kempen (Campine)." in first_part
    assert "✗ Not met Open or closed: Closed on Sept. 22, 2019." in first_part


def test_a_consortium_with_a_registered_organisation(loaded: str, db: Any, client: Client) -> None:
    response = client.get(PAGE, {"municipality": "44021", "organisation_2": "imec", "all": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="imec"' in html  # the partner row keeps its value
    assert '<details class="partners" open>' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"organisation": "No Such Organisation Ltd"}, "No organisation “No Such Organisation Ltd” in the registry"),
        ({"municipality": "44021", "budget": "a lot"}, "Enter the budget in whole euros"),
        ({"municipality": "44021", "organisation": "imec"}, "already says its type and place"),
        ({"phase": "pilot"}, "Tell who applies"),
        ({"municipality": "44021", "phase": "dreaming"}, "Select a valid choice"),
    ],
)
def test_bad_input_says_what_to_fix(loaded: str, db: Any, client: Client, query: dict[str, str], message: str) -> None:
    response = client.get(PAGE, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert message in html
    assert 'id="results-heading"' not in html
    assert 'aria-invalid="true"' in html


def test_nothing_fits_shows_an_empty_state(loaded: str, db: Any, client: Client) -> None:
    # Only one live instrument, for SMEs; a citizen is not eligible for it.
    Instrument.objects.update(archived_at=timezone.now())
    smes = InstrumentFactory(slug="for-smes-only", title="For SMEs only")
    smes.applicant_types.add(Term.objects.get(scheme__slug="applicant-types", code="sme"))
    response = client.get(PAGE, {"applicant_type": "citizen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No instrument fits this project." in html
    assert "for-smes-only" not in html
    shown = client.get(PAGE, {"applicant_type": "citizen", "all": "on"}).content.decode()
    assert "for-smes-only" in shown and "Open only to SME; you apply as citizen or citizen initiative." in text_of(shown)


def test_the_result_downloads_as_csv_and_xlsx(loaded: str, db: Any, client: Client) -> None:
    query = {"municipality": "44021", "phase": "study", "format": "csv"}
    response = client.get(PAGE, query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    first = rows[0]
    assert first["slug"] == "city-of-things-call" and first["verdict"] == "eligible" and first["rank"] == "1"
    assert first["territory"] == "met: Open in Flemish Region, where you are."
    assert first["url"].endswith("/en/instrumenten/city-of-things-call/")
    helper = next(r for r in rows if r["slug"] == "smart-city-marktplaats-database")
    assert helper["supports"] == "city-of-things-call"
    xlsx = client.get(PAGE, {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
