"""Overviews per target group on the study's real data, stored per period, compared, exported, printed."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from openpyxl import load_workbook

from helix.core.history import Channel, history_context
from helix.core.services import archive_record, save_record
from helix.follow.choices import OverviewSection, TargetGroup
from helix.follow.models import Overview
from helix.follow.overviews import build_snapshot, latest_overview, period_bounds
from helix.follow.services import generate_overviews
from helix.instruments.choices import InstrumentStatus
from helix.instruments.models import Instrument

from .factories import dated_instrument

DAY = datetime.date(2026, 11, 2)
NEXT_MONTH = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> None:
    return None


def codes(instrument: Instrument) -> set[str]:
    return {t.code for t in instrument.applicant_types.all()}


def fits(instrument: Instrument, group: str, day: datetime.date) -> bool:
    """The rule of docs/follow.md, spelled out in Python over the records."""
    if instrument.archived_at is not None or instrument.status_on(day) == InstrumentStatus.CLOSED:
        return False
    if group == TargetGroup.CONSORTIUM:
        return "consortium" in codes(instrument) or instrument.consortium_required is True
    return "municipality" in codes(instrument) and (not instrument.municipality_sizes or group in instrument.municipality_sizes)


def en_date(year: int, month: int, day: int) -> str:
    with translation.override("en"):
        return date_format(datetime.date(year, month, day), "DATE_FORMAT")


def section(view: Any, key: str) -> list[str]:
    return [row.entry.slug for s in view.sections if s.key == key for row in s.rows]


# --- Content per target group on the study data --------------------------------------------------


@pytest.mark.parametrize("group", TargetGroup.values)
def test_each_target_group_lists_exactly_the_fitting_instruments_that_are_not_closed(loaded: Any, db: Any, group: str) -> None:
    snapshot = build_snapshot(group, DAY)
    expected = {i.slug for i in Instrument.objects.prefetch_related("applicant_types") if fits(i, group, DAY)}
    assert {e.slug for e in snapshot.entries} == expected
    if group != TargetGroup.CONSORTIUM:
        assert len(expected) > 20  # the study has 35 instruments for municipalities, most without dates


def test_size_restriction_and_closed_calls_on_the_study_data(loaded: Any, db: Any) -> None:
    small = {e.slug for e in build_snapshot(TargetGroup.SMALL, DAY).entries}
    large = {e.slug for e in build_snapshot(TargetGroup.LARGE, DAY).entries}
    # Urban Innovative Actions: urban authorities of 50 000+ inhabitants only.
    assert "urban-innovative-actions" in large
    assert "urban-innovative-actions" not in small
    # The ERDF calls of the study closed on 22 September 2019: in no overview of 2026.
    assert "efro-pa4-stedelijke-vitaliteit" not in small | large
    # ...but in one made in 2019, before they closed.
    in_2019 = build_snapshot(TargetGroup.SMALL, datetime.date(2019, 9, 1))
    assert "efro-pa4-stedelijke-vitaliteit" in {e.slug for e in in_2019.entries}
    # The study names no instrument for consortia.
    assert build_snapshot(TargetGroup.CONSORTIUM, DAY).entries == []


def test_sections_closing_soon_open_upcoming_and_matchmaking(loaded: Any, db: Any) -> None:
    soon = dated_instrument(today=DAY, opens_in=-30, closes_in=20, slug="closes-in-20-days")
    later = dated_instrument(today=DAY, opens_in=-30, closes_in=90, slug="closes-in-90-days")
    upcoming = dated_instrument(today=DAY, opens_in=10, closes_in=100, slug="opens-in-10-days")
    closed = dated_instrument(today=DAY, closes_in=-1, slug="closed-yesterday")
    meet = dated_instrument(today=DAY, slug="matchmaking-day", kind="matchmaking")
    for_companies = dated_instrument(today=DAY, closes_in=5, slug="for-companies", applicant_types=("company",))
    view = latest_overview(TargetGroup.MEDIUM, today=DAY)
    assert view.live
    assert section(view, OverviewSection.CLOSING_SOON) == [soon.slug]
    assert later.slug in section(view, OverviewSection.OPEN)
    assert soon.slug not in section(view, OverviewSection.OPEN)
    assert section(view, OverviewSection.UPCOMING) == [upcoming.slug]
    assert meet.slug in section(view, OverviewSection.MATCHMAKING)
    assert meet.slug not in section(view, OverviewSection.OPEN)
    every = {slug for s in view.sections for slug in section(view, s.key)}
    assert closed.slug not in every
    assert for_companies.slug not in every
    # The closing window is a setting.
    with override_settings(HELIX_OVERVIEW_CLOSING_DAYS=100):
        wider = latest_overview(TargetGroup.MEDIUM, today=DAY)
        assert section(wider, OverviewSection.CLOSING_SOON) == [soon.slug, later.slug]


def test_consortia_are_instruments_for_consortia_or_requiring_one(loaded: Any, db: Any) -> None:
    by_type = dated_instrument(today=DAY, slug="for-consortia", applicant_types=("consortium",))
    required = dated_instrument(today=DAY, slug="consortium-required", applicant_types=("company",), consortium_required=True)
    alone = dated_instrument(today=DAY, slug="alone", applicant_types=("company",), consortium_required=False)
    slugs = {e.slug for e in build_snapshot(TargetGroup.CONSORTIUM, DAY).entries}
    assert slugs == {by_type.slug, required.slug}
    assert alone.slug not in slugs


# --- Stored overviews and their differences -----------------------------------------------------


def test_periods_are_calendar_months_or_iso_weeks() -> None:
    assert period_bounds(datetime.date(2026, 2, 14)) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert period_bounds(datetime.date(2026, 12, 3), "weekly") == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))


def test_make_overviews_is_idempotent_per_period(loaded: Any, db: Any) -> None:
    out = io.StringIO()
    call_command("make_overviews", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().count("created") == 4
    first = {o.pk: o.snapshot for o in Overview.objects.all()}
    dated_instrument(today=DAY, slug="added-mid-month")
    out = io.StringIO()
    call_command("make_overviews", "--date", "2026-11-20", stdout=out)
    assert "created" not in out.getvalue()
    assert out.getvalue().count("exists, unchanged") == 4
    assert {o.pk: o.snapshot for o in Overview.objects.all()} == first
    small = Overview.objects.get(target_group=TargetGroup.SMALL)
    assert (small.period_start, small.period_end, small.as_of) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), DAY)
    assert "added-mid-month" not in {e["slug"] for e in small.snapshot["instruments"]}
    # The next month is a new period.
    call_command("make_overviews", "--date", NEXT_MONTH.isoformat(), stdout=io.StringIO())
    assert Overview.objects.filter(target_group=TargetGroup.SMALL).count() == 2


def test_the_page_shows_the_latest_overview_with_new_changed_and_removed(loaded: Any, db: Any, client: Any) -> None:
    changing = dated_instrument(today=DAY, opens_in=-5, closes_in=200, slug="gets-a-new-deadline", title="Deadline moves")
    touched = dated_instrument(today=DAY, slug="description-edited", title="Description edited")
    closing = dated_instrument(today=DAY, opens_in=-5, closes_in=10, slug="closes-before-december", title="Closes in November")
    archived = dated_instrument(today=DAY, slug="will-be-archived", title="Will be archived")
    resized = dated_instrument(today=DAY, slug="becomes-large-only", title="Becomes large only")
    unchanged = Instrument.objects.get(slug="city-of-things-call")
    generate_overviews(day=DAY)

    with history_context(channel=Channel.COMMAND):
        save_record(changing, changes={"closes_on": DAY + datetime.timedelta(days=260)})
        save_record(touched, changes={"description_en": "Now with a description."})
        save_record(resized, changes={"municipality_sizes": ["large"]})
        archive_record(archived)
    added = dated_instrument(today=DAY, slug="new-in-december", title="New in December")
    generate_overviews(day=NEXT_MONTH)

    view = latest_overview(TargetGroup.SMALL)
    assert not view.live and view.previous is not None
    assert [e.slug for e in view.changes.new] == [added.slug]
    changed = {e.slug: changes for e, changes in view.changes.changed}
    assert set(changed) == {changing.slug, touched.slug}
    assert [(c.field, c.before, c.after) for c in changed[changing.slug]] == [
        ("closes_on", DAY + datetime.timedelta(days=200), DAY + datetime.timedelta(days=260))
    ]
    assert [c.field for c in changed[touched.slug]] == ["version"]  # a field the overview does not show
    assert unchanged.slug not in changed
    removed = {r.entry.slug: r.reason for r in view.changes.removed}
    assert removed == {closing.slug: "closed", archived.slug: "archived", resized.slug: "no_longer_fits"}
    # Large municipalities still have the resized one; it is unchanged for them apart from its version.
    large = latest_overview(TargetGroup.LARGE)
    assert resized.slug in {e.slug for e, _c in large.changes.changed}

    with translation.override("en"):
        response = client.get("/en/overzichten/kleine-gemeenten/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Overview for {en_date(2026, 12, 1)} to {en_date(2026, 12, 31)}" in html
    assert f"Compared with the previous overview ({en_date(2026, 11, 1)} to {en_date(2026, 11, 30)})" in html
    changes_part = html[html.index('id="changes-heading"') : html.index('id="section-closing_soon"')]
    for title in ("New in December", "Deadline moves", "Description edited", "Closes in November", "Becomes large only"):
        assert title in changes_part
    assert "removed from the registry" in changes_part
    assert f'href="/en/instrumenten/{archived.slug}/"' not in html  # its page is gone
    assert f'href="/en/instrumenten/{added.slug}/"' in html


def test_without_a_stored_overview_the_page_computes_a_live_one_and_says_so(loaded: Any, db: Any, client: Any) -> None:
    assert not Overview.objects.exists()
    response = client.get("/en/overzichten/middelgrote-gemeenten/")
    assert response.status_code == 200
    assert response.context["view"].live
    html = response.content.decode()
    assert 'id="overview-live"' in html
    assert "computed live" in html
    assert "Instruments" in html and "City of Things" in html
    assert not Overview.objects.exists()  # looking does not store anything


def test_unknown_target_group_is_404(db: Any, client: Any) -> None:
    assert client.get("/overzichten/reuzensteden/").status_code == 404
    assert client.get("/overzichten/reuzensteden/afdrukken/").status_code == 404


def test_index_lists_every_target_group_with_its_latest_period(loaded: Any, db: Any, client: Any) -> None:
    generate_overviews(day=DAY, groups=[TargetGroup.LARGE])
    response = client.get("/en/overzichten/")
    html = response.content.decode()
    for slug in ("kleine-gemeenten", "middelgrote-gemeenten", "grote-gemeenten", "consortia"):
        assert f'href="/en/overzichten/{slug}/"' in html
    assert html.count(f"Latest overview: {en_date(2026, 11, 1)} to {en_date(2026, 11, 30)}.") == 1
    assert html.count("No overview stored yet") == 3


# --- Export and print ---------------------------------------------------------------------------


def test_xlsx_has_every_section_row_and_is_formula_safe(loaded: Any, db: Any, client: Any) -> None:
    hostile = dated_instrument(
        today=DAY, opens_in=-3, closes_in=15, slug="hostile", title='=HYPERLINK("http://evil.example","click")'
    )
    generate_overviews(day=DAY)
    response = client.get("/en/overzichten/kleine-gemeenten/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="helix-overview-kleine-gemeenten-2026-11.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("section", "slug", "title", "offered_by", "kind", "status", "opens_on", "closes_on", "change", "url")
    view = latest_overview(TargetGroup.SMALL)
    expected = [(s.label, row.entry.slug) for s in view.sections for row in s.rows]
    assert [(r[0], r[1]) for r in rows[1:]] == expected
    hostile_row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == hostile.slug)
    assert hostile_row[0].value == "Closes soon"
    assert hostile_row[2].value == hostile.title
    assert hostile_row[2].data_type == "s"  # text, never a formula
    assert hostile_row[2].quotePrefix
    assert hostile_row[7].value.date() == hostile.closes_on
    assert hostile_row[9].value == f"http://testserver/en/instrumenten/{hostile.slug}/"


def test_printable_version_has_the_same_content_and_a_print_stylesheet(loaded: Any, db: Any, client: Any) -> None:
    generate_overviews(day=DAY)
    page = client.get("/en/overzichten/grote-gemeenten/")
    printable = client.get("/en/overzichten/grote-gemeenten/afdrukken/")
    assert printable.status_code == 200
    html = printable.content.decode()
    assert "follow/print.css" in html
    assert '<main id="main">' in html
    assert 'class="site-nav"' not in html  # no navigation on paper
    titles = [row.title for s in page.context["sections"] for row in s.rows]
    assert titles and all(escape(t) in html for t in titles)
    assert "Urban Innovative Actions" in html
    assert 'href="/en/overzichten/grote-gemeenten/afdrukken/"' in page.content.decode()
