"""What an anonymous visitor does, in Chromium, on the region's real data: search, lists with
facets and keyset pages, exports, details, the language switch and the keyboard basics.
axe-core checks every page visited."""

from __future__ import annotations

import csv
import re

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.helpers import assert_focus_visible, result_total, row_names, row_slugs, tab_until, wait_for_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_home_to_a_municipality_page(study_data, page, axe):
    from helix.actors.models import Organisation
    from tests.factories import ContactPersonFactory

    gent = Organisation.objects.get(refnis="44021")
    ContactPersonFactory(organisation=gent, name="Griet Geheim", email="griet.geheim@example.org")

    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Helix")
    # The study's own figure beside what Helix holds: the study counted 258 companies.
    companies_row = page.locator("table.data tbody tr", has=page.get_by_role("link", name="Bedrijven", exact=True))
    assert companies_row.locator("td").first.inner_text() == "258"
    assert companies_row.locator("td").nth(1).inner_text() == str(Organisation.objects.live().filter(kind="company").count())
    assert_accessible(axe, page)

    # The home page's search box: type and press Enter.
    page.get_by_label("Zoeken in organisaties, instrumenten, projecten, uitdagingen en oplossingen").fill("Gent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=Gent$"))
    assert re.search(r"\d+ resultaten? voor “Gent”", page.get_by_role("status").inner_text())
    organisations = page.locator("#org-hits-heading + ol.hits")
    assert organisations.locator("h3 a", has_text=re.compile("^Gent$")).count() == 1
    assert organisations.locator("mark", has_text="Gent").count() >= 1  # highlighted in the names
    assert page.locator("#ins-hits-heading + ol.hits p mark", has_text="Gent").count() >= 1  # and in snippets
    assert_accessible(axe, page)

    # A Dutch inflected form finds the singular: "oproepen" highlights "Oproep" (stemming).
    search = page.get_by_label("Zoeken in organisaties, instrumenten, projecten, uitdagingen en oplossingen")
    search.fill("oproepen")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=oproepen"))
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} == {"oproep"}, marks
    assert_accessible(axe, page)

    # Back to "Gent" and open the municipality.
    page.go_back()
    page.wait_for_url(re.compile(r"q=Gent$"))
    page.locator("#org-hits-heading + ol.hits h3 a", has_text=re.compile("^Gent$")).click()
    wait_for_path(page, gent.get_absolute_url())
    assert page.locator("h1").inner_text() == "Gent"
    profile = page.locator("section[aria-labelledby=municipality-heading]")
    assert "44021" in profile.inner_text()  # REFNIS
    assert "Statbel" in profile.inner_text()
    assert profile.get_by_role("link", name="CC BY 4.0").get_attribute("href") == "https://creativecommons.org/licenses/by/4.0/"
    # Contact persons are personal data: never on a public page.
    assert page.locator("#contacts-heading").count() == 0
    assert "Griet Geheim" not in page.content()
    assert "griet.geheim@example.org" not in page.content()
    assert_accessible(axe, page)

    # Its breadcrumb leads to the municipality list, which filters by province.
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Gemeenten").click()
    wait_for_path(page, "/gemeenten/")
    in_region = Organisation.objects.live().filter(kind="municipality", in_region=True, refnis__isnull=False)
    assert result_total(page) == in_region.count() > 250  # every municipality of Flanders (Statbel)
    page.locator("summary", has_text="Provincie").click()
    page.locator("input[name=province][value='40000']").check()  # Oost-Vlaanderen (REFNIS)
    page.wait_for_url(re.compile(r"province=40000"))
    east_flanders = set(in_region.filter(province__refnis="40000").values_list("slug", flat=True))
    page.wait_for_function(f"document.getElementById('result-count').innerText.startsWith('{len(east_flanders)} ')")
    assert row_slugs(page) and set(row_slugs(page)) <= east_flanders
    assert_accessible(axe, page)


def test_organisation_list_facet_by_keyboard_keyset_pages_permalink_and_csv_export(study_data, page, axe):
    from helix.actors.models import Organisation

    companies = Organisation.objects.live().filter(kind="company").count()
    page.goto("/organisaties/")
    everything = result_total(page)
    assert everything > companies > 25  # more than one page of companies
    assert_accessible(axe, page)

    # Keyboard only: Tab to the "Soort" facet, open it with Space, Tab to "Bedrijf", tick it with Space.
    tab_until(page, "details.facet:first-of-type > summary")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    tab_until(page, "input[name=kind][value=company]")
    assert_focus_visible(page)
    label = page.locator("label[for=id_kind_0]").inner_text()
    assert f"({companies})" in label
    page.keyboard.press("Space")

    # htmx swaps the results in place and pushes the permalink.
    page.wait_for_url(re.compile(r"/organisaties/\?(.+&)?kind=company(&|$)"))
    page.wait_for_function(f"document.getElementById('result-count').innerText.startsWith('{companies} ')")
    assert result_total(page) == companies
    assert page.is_checked("#id_kind_0")
    first_page = row_names(page)
    assert len(first_page) == 25
    assert_accessible(axe, page)

    # The next page through the keyset link; the focus moves to the results.
    page.get_by_role("link", name="Volgende pagina").click()
    page.wait_for_url(re.compile(r"kind=company.*&after=\w+"))
    page.wait_for_function("document.activeElement && document.activeElement.id === 'results-heading'")
    second_page = row_names(page)
    assert len(second_page) == companies - 25
    assert not set(first_page) & set(second_page)
    assert page.get_by_role("link", name="Vorige pagina").is_visible()
    assert_accessible(axe, page)

    # The permalink, loaded afresh, shows the same page with the same filter.
    permalink = page.url
    page.reload()
    assert page.url == permalink
    assert row_names(page) == second_page
    assert page.is_checked("#id_kind_0")
    assert result_total(page) == companies
    assert_accessible(axe, page)

    # The CSV export holds exactly the rows of the count shown.
    with page.expect_download() as download_info:
        page.locator(".exports").get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == result_total(page) == companies
    assert {r["kind"] for r in rows} == {"company"}
    assert [r["slug"] for r in rows][25:] == row_slugs(page)  # the same order as the pages


def test_instrument_list_filters_and_the_erdf_programme_tree(study_data, page, axe):
    from helix.instruments.choices import InstrumentStatus, PolicyLevel
    from helix.instruments.models import Instrument

    closed_flemish = (
        Instrument.objects.live().with_status_filter(InstrumentStatus.CLOSED).filter(policy_level=PolicyLevel.FLEMISH).count()
    )
    assert closed_flemish > 0
    page.goto("/instrumenten/")
    everything = result_total(page)
    assert_accessible(axe, page)

    page.get_by_label("Status", exact=True).select_option("closed")
    page.wait_for_url(re.compile(r"status=closed"))
    page.locator("summary", has_text="Beleidsniveau").click()
    page.locator("input[name=policy_level][value=flemish]").check()
    page.wait_for_url(re.compile(r"status=closed.*policy_level=flemish|policy_level=flemish.*status=closed"))
    page.wait_for_function(f"document.getElementById('result-count').innerText.startsWith('{closed_flemish} ')")
    assert result_total(page) == closed_flemish < everything
    assert_accessible(axe, page)

    # A taxonomy facet (instrument type: call) narrows further.
    calls = (
        Instrument.objects.live()
        .with_status_filter(InstrumentStatus.CLOSED)
        .filter(policy_level=PolicyLevel.FLEMISH, instrument_type__code="call")
        .count()
    )
    assert 0 < calls < closed_flemish
    page.locator("summary", has_text="Soort instrument").click()
    page.locator("input[name=instrument_type][value=call]").check()
    page.wait_for_url(re.compile(r"instrument_type=call"))
    page.wait_for_function(f"document.getElementById('result-count').innerText.startsWith('{calls} ')")
    assert len(row_names(page)) == calls

    # A call of the Flemish ERDF programme, found with the list's own search box.
    page.get_by_label("Zoeken in deze lijst").fill("speerpunt")  # htmx searches after a pause in typing
    page.wait_for_url(re.compile(r"q=speerpunt"))
    call = Instrument.objects.get(slug="efro-pa1-investeringsprojecten-speerpuntclusters")
    assert row_slugs(page) == [call.slug]
    page.locator("#results").get_by_role("link", name=call.title_nl).click()
    wait_for_path(page, call.get_absolute_url())
    assert page.locator("h1").inner_text() == call.title_nl
    chain = page.locator("ol.chain li").all_inner_texts()
    assert chain == ["EFRO", "EFRO-programma Vlaanderen 2014-2020", Instrument.objects.get(slug="efro-pa1").title_nl]
    crumbs = page.get_by_role("navigation", name="Kruimelpad").locator("li").all_inner_texts()
    assert crumbs[2:] == [*chain, call.title_nl]
    assert_accessible(axe, page)

    # Up to its priority axis, which lists the call among its parts.
    page.locator("ol.chain").get_by_role("link").nth(2).click()
    wait_for_path(page, "/instrumenten/efro-pa1/")
    parts = page.locator("section[aria-labelledby=programme-heading] ul li").all_inner_texts()
    assert call.title_nl in parts
    assert page.locator("ol.chain li").all_inner_texts() == chain[:2]
    assert_accessible(axe, page)


def test_language_switch_keeps_the_page_and_its_filters(study_data, page, axe):
    page.goto("/organisaties/ugent/")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.locator("#facts-heading").inner_text() == "Gegevens"

    page.get_by_role("button", name="English").click()
    wait_for_path(page, "/en/organisaties/ugent/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#facts-heading").inner_text() == "Facts"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Organisations").is_visible()
    assert nav.get_by_role("link", name="Instruments").is_visible()
    assert_accessible(axe, page)

    # A filtered list stays filtered in the other language.
    page.goto("/en/instrumenten/?status=closed")
    assert page.get_by_label("Status", exact=True).input_value() == "closed"
    assert page.locator("#id_status option:checked").inner_text() == "Closed"
    assert "results" in page.locator("#result-count").inner_text()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/instrumenten/\?status=closed$"))
    assert "/en/" not in page.url
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.locator("#id_status option:checked").inner_text() == "Gesloten"
    assert page.locator(".site-nav").get_by_role("link", name="Organisaties").is_visible()
    assert_accessible(axe, page)


def test_skip_link_comes_first_and_focus_is_always_visible(study_data, page, axe):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.evaluate("({cls: document.activeElement.className, href: document.activeElement.getAttribute('href')})")
    assert skip == {"cls": "skip-link", "href": "#main"}
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"
    assert_focus_visible(page)

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    # The next Tab continues inside the main content: the home page's search box.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "home-q"
    assert_focus_visible(page)
    assert_accessible(axe, page)

    # Every kind of control shows its focus: links, buttons, fields, selects, checkboxes.
    page.goto("/organisaties/")
    for selector in (
        "a.skip-link",
        ".language-switch button",
        ".site-nav a",
        "#id_q",
        "details.facet > summary",
        "#id_sort",
        "#filters button[type=submit]",
    ):
        tab_until(page, selector, limit=200)
        assert_focus_visible(page)
    page.keyboard.press("Shift+Tab")
    assert_focus_visible(page)
