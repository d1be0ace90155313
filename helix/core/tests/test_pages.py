"""Public pages of the core: home, search, language, error pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import clear_url_caches, reverse

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.models import Figure
from helix.core.templatetags.helix_tags import HIGHLIGHT_START, HIGHLIGHT_STOP, safe_highlight
from tests.factories import InstrumentFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_home_shows_counts_and_the_study_figures_beside_helix(client):
    OrganisationFactory.create_batch(3, kind=OrganisationKind.COMPANY)
    MunicipalityFactory(name="Gent")
    InstrumentFactory(kind="financial")
    Figure.objects.create(key="fig-actors-companies", value=Decimal(258), unit="companies", what="Companies")

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html  # skip link
    assert ">258<" in html  # the study counted 258 companies
    comparisons = response.context["comparisons"]
    companies = Organisation.objects.filter(kind=OrganisationKind.COMPANY).count()  # 3 + the instrument's offerer
    assert [(c.study, c.helix) for c in comparisons] == [(Decimal(258), companies)]
    assert response.context["region_municipalities"] == 1
    assert 'name="q"' in html and reverse("search") in html


def test_home_has_a_sensible_empty_state(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "load_study" in response.content.decode()


def test_english_under_en_and_dutch_at_root(client):
    english = client.get("/en/organisaties/").content.decode()
    dutch = client.get("/organisaties/").content.decode()
    assert '<html lang="en">' in english and "Skip to main content" in english
    assert '<html lang="nl">' in dutch and "Naar de inhoud" in dutch
    assert "Apply filters" in english and "Filters toepassen" in dutch


def test_language_switch_keeps_the_current_page(client):
    # Tests elsewhere that change settings.LANGUAGE_CODE leave per-language reverse caches built
    # for another default language; start from a fresh resolver.
    clear_url_caches()
    response = client.get("/organisaties/?kind=company")
    html = response.content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="next" value="/organisaties/?kind=company"' in html
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/organisaties/?kind=company"})
    assert switched.status_code == 302
    assert switched["Location"] == "/en/organisaties/?kind=company"


def test_search_finds_an_organisation_by_an_inflected_dutch_word_and_highlights(client):
    org = OrganisationFactory(name="Lichtpunt", description_nl="Wij ontwerpen slimme straatverlichting voor steden en gemeenten.")
    OrganisationFactory(name="Unrelated", description_nl="Iets anders.")

    response = client.get(reverse("search"), {"q": "gemeente"})

    hits = response.context["organisation_hits"]
    assert [h.url for h in hits] == [org.get_absolute_url()]
    assert "<mark>gemeenten</mark>" in str(hits[0].snippet)
    assert "<mark>gemeenten</mark>" in response.content.decode()


def test_search_forgives_a_misspelled_name(client):
    org = OrganisationFactory(name="Digipolis Antwerpen")
    OrganisationFactory(name="Stad Gent")
    response = client.get(reverse("search"), {"q": "Digipolsi"})
    assert [h.url for h in response.context["organisation_hits"]] == [org.get_absolute_url()]


def test_search_finds_instruments_too(client):
    instrument = InstrumentFactory(title="Proeftuin slimme mobiliteit", description_nl="Subsidie voor mobiliteitsprojecten.")
    response = client.get(reverse("search"), {"q": "mobiliteit"})
    assert [h.url for h in response.context["instrument_hits"]] == [instrument.get_absolute_url()]


def test_search_covers_projects_challenges_and_solutions_but_not_drafts(client, cast, client_as):
    from helix.projects.models import Project
    from tests.factories import ChallengeFactory, SolutionFactory

    project = Project.objects.create(slug="zonnewarmte", title="Zonnewarmte in de wijk", source="test")
    public = ChallengeFactory(title="Warmtenet voor de wijk", owners=[cast.org_a])
    draft = ChallengeFactory(title="Warmtenet ontwerp", status="draft", published_at=None, owners=[cast.org_a])
    solution = SolutionFactory(title="Warmtepomp als dienst", organisation=cast.org_b)

    response = client.get(reverse("search"), {"q": "warmte"})
    assert [h.url for h in response.context["project_hits"]] == [project.get_absolute_url()]
    assert [h.url for h in response.context["challenge_hits"]] == [public.get_absolute_url()]
    assert [h.url for h in response.context["solution_hits"]] == [solution.get_absolute_url()]
    assert draft.title not in response.content.decode()

    # The owner's editor sees their own draft too.
    own = client_as(cast.editor_a).get(reverse("search"), {"q": "warmte"})
    assert {h.url for h in own.context["challenge_hits"]} == {public.get_absolute_url(), draft.get_absolute_url()}


def test_search_snippets_escape_the_source_text(client):
    OrganisationFactory(name="Xss Test", description_nl="Kosten < baten: slimme verlichting <img src=x onerror=alert(1)>")
    response = client.get(reverse("search"), {"q": "verlichting"})
    snippet = str(response.context["organisation_hits"][0].snippet)
    assert snippet.startswith("Kosten &lt; baten: slimme <mark>verlichting</mark> &lt;img src=x onerror=")
    assert "<img src=x" not in response.content.decode()


def test_safe_highlight_allows_only_mark():
    text = f"a <b>{HIGHLIGHT_START}word{HIGHLIGHT_STOP}</b> {HIGHLIGHT_STOP}{HIGHLIGHT_START}open"
    assert safe_highlight(text) == "a &lt;b&gt;<mark>word</mark>&lt;/b&gt; <mark>open</mark>"


def test_empty_search_shows_the_form_only(client):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "organisation_hits" not in response.context


def test_404_page_explains_what_to_do(client):
    response = client.get("/organisaties/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and reverse("search") in html


def test_pages_do_not_load_from_a_cdn(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
