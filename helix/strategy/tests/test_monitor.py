"""Strategy monitor, second slice: write pages and rights, indicators (computed on the study
data and manual), the suggested status and its override, the steering group's report (page,
print, xlsx, past dates), snapshot_indicators and the API."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.models import Term
from helix.instruments.models import Instrument
from helix.strategy import indicators as ind
from helix.strategy.choices import IndicatorKind, ProgressStatus
from helix.strategy.models import Action, Indicator, Measurement, ProgressUpdate, Recommendation
from helix.strategy.services import (
    add_action,
    add_measurement,
    assign_owner,
    ensure_computed_indicators,
    record_progress,
    save_indicator,
    snapshot_indicators,
)
from tests.factories import ChallengeFactory, MunicipalityFactory
from tests.study_data import run_command

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


def rec(number: int) -> Recommendation:
    return Recommendation.objects.get(number=number)


@pytest.fixture
def owned(loaded: Any, cast: Any) -> Recommendation:
    """Recommendation 8, owned by organisation A."""
    eight = rec(8)
    assign_owner(recommendation=eight, organisation=cast.org_a, user=cast.curator)
    return eight


def manual_indicator(recs: list[Recommendation], **extra: Any) -> Indicator:
    data = {
        "slug": "pilots-scaled",
        "name_nl": "Opgeschaalde pilootprojecten",
        "name_en": "Pilots scaled up",
        "unit": "projects",
        "baseline_value": Decimal(0),
        "baseline_date": TODAY - datetime.timedelta(days=100),
        "target_value": Decimal(10),
        "target_date": TODAY + datetime.timedelta(days=100),
        **extra,
    }
    return save_indicator(indicator=None, data=data, recommendations=recs, user=None)


# -- rights on the write pages ----------------------------------------------------------------


def test_progress_page_rights(owned: Recommendation, cast: Any, client_as: Any) -> None:
    url = f"/strategie/aanbevelingen/{owned.slug}/voortgang/"
    assert client_as(None).get(url).status_code == 302  # sign in first
    assert client_as(cast.editor_b).get(url).status_code == 403  # not an owner
    assert client_as(cast.editor_a).get(url).status_code == 200
    assert client_as(cast.curator).get(url).status_code == 200
    assert client_as(cast.editor_a).get("/strategie/aanbevelingen/rec-99/voortgang/").status_code == 404
    with history_context(channel=Channel.WEB):
        Recommendation.objects.filter(pk=owned.pk).update(archived_at=timezone.now())
    assert client_as(cast.editor_a).get(url).status_code == 404  # archived: out of scope
    assert client_as(cast.curator).get(url).status_code == 200


def test_an_owner_records_progress_with_evidence_on_the_page(owned: Recommendation, cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    response = client.post(
        f"/strategie/aanbevelingen/{owned.slug}/voortgang/",
        {
            "status": "partially_on_track",
            "justification": "Two pilots scaled up to five cities.",
            "evidence": "https://example.org/report.pdf\nhttps://example.org/decision",
            "as_of": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(recommendation=owned)
    assert update.organisation == cast.org_a and update.author == cast.editor_a
    assert update.evidence == ["https://example.org/report.pdf", "https://example.org/decision"]
    context = update.events.get().pgh_context  # type: ignore[attr-defined]
    assert context.metadata["channel"] == "web" and context.metadata["username"] == "editor-a"
    html = client_as(None).get(owned.get_absolute_url()).content.decode()
    assert "Two pilots scaled up to five cities." in html and "https://example.org/decision" in html
    roadmap = client_as(None).get("/en/strategie/").content.decode()
    assert "Partially on track" in roadmap


def test_progress_form_refuses_bad_evidence_and_future_dates(owned: Recommendation, cast: Any, client_as: Any) -> None:
    client = client_as(cast.editor_a)
    url = f"/en/strategie/aanbevelingen/{owned.slug}/voortgang/"
    bad = client.post(url, {"status": "fully_on_track", "justification": "x", "evidence": "not a link", "as_of": TODAY})
    assert bad.status_code == 200 and "is not a web address" in bad.content.decode()
    future = client.post(url, {"status": "fully_on_track", "justification": "x", "as_of": TODAY + datetime.timedelta(days=3)})
    assert future.status_code == 200 and "today or an earlier day" in future.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_owners_page_is_for_curators(owned: Recommendation, cast: Any, client_as: Any) -> None:
    url = f"/strategie/aanbevelingen/{owned.slug}/eigenaars/"
    assert client_as(cast.editor_a).get(url).status_code == 403
    client = client_as(cast.curator)
    assert client.post(url, {"organisation": "org-b"}).status_code == 302
    assert set(owned.owners.values_list("slug", flat=True)) == {"org-a", "org-b"}
    assert client.post(url, {"remove": "org-a"}).status_code == 302
    assert set(owned.owners.values_list("slug", flat=True)) == {"org-b"}


def test_actions_pages_rights(owned: Recommendation, cast: Any, client_as: Any) -> None:
    create = f"/strategie/aanbevelingen/{owned.slug}/acties/nieuw/"
    assert client_as(cast.editor_b).get(create).status_code == 403
    client = client_as(cast.editor_a)
    response = client.post(
        create, {"title": "Scale-up fund", "organisation": cast.org_a.pk, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    )
    assert response.status_code == 302
    action = Action.objects.get(recommendation=owned)
    assert (action.organisation, action.starts_on) == (cast.org_a, datetime.date(2026, 1, 1))
    # An editor may only pick an organisation they edit.
    other = client.post(create, {"title": "Not mine", "organisation": cast.org_b.pk})
    assert other.status_code == 200 and Action.objects.count() == 1
    edit = f"/strategie/acties/{action.pk}/bewerken/"
    assert client_as(cast.editor_b).get(edit).status_code == 403
    ok = client_as(cast.editor_a).post(
        edit, {"title": "Scale-up fund 2", "organisation": cast.org_a.pk, "starts_on": "2026-02-01", "ends_on": "2026-01-01"}
    )
    assert ok.status_code == 200  # ends before it starts
    client_as(cast.editor_a).post(edit, {"title": "Scale-up fund 2", "organisation": cast.org_a.pk})
    action.refresh_from_db()
    assert action.title == "Scale-up fund 2" and action.starts_on is None
    assert client_as(cast.editor_b).post(f"/strategie/acties/{action.pk}/verwijderen/").status_code == 403
    assert client_as(cast.editor_a).post(f"/strategie/acties/{action.pk}/verwijderen/").status_code == 302
    assert not Action.objects.exists()


def test_indicator_and_measurement_pages_rights(owned: Recommendation, cast: Any, client_as: Any) -> None:
    assert client_as(cast.editor_a).get("/strategie/indicatoren/nieuw/").status_code == 403
    curator = client_as(cast.curator)
    response = curator.post(
        "/strategie/indicatoren/nieuw/",
        {"name_nl": "Opgeschaalde projecten", "unit": "projects", "target_value": "10", "recommendations": [owned.pk]},
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name_nl="Opgeschaalde projecten")
    assert indicator.kind == IndicatorKind.MANUAL and list(indicator.recommendations.all()) == [owned]
    add = f"/strategie/indicatoren/{indicator.slug}/metingen/nieuw/"
    assert client_as(cast.editor_b).get(add).status_code == 403
    assert client_as(None).get(add).status_code == 302
    posted = client_as(cast.editor_a).post(add, {"value": "3", "measured_on": TODAY, "source": "Annual report"})
    assert posted.status_code == 302
    assert indicator.measurements.get().value == 3
    page = client_as(None).get(indicator.get_absolute_url()).content.decode()
    assert "Annual report" in page
    computed = ensure_computed_indicators()[0]
    assert client_as(cast.curator).get(f"/strategie/indicatoren/{computed.slug}/metingen/nieuw/").status_code == 403
    with pytest.raises(ValidationError):
        add_measurement(indicator=computed, value=Decimal(1), measured_on=TODAY, user=cast.curator)


# -- computed indicators on the study data ------------------------------------------------------


def test_coordinator_share_counts_the_study_s_four_centre_cities(loaded: Any, db: Any) -> None:
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, in_region=True, refnis__isnull=False)
    total = municipalities.count()
    result = ind.coordinator_share()
    assert result.note == f"4 of {total} municipalities in the region"
    assert result.value == (Decimal(400) / total).quantize(Decimal("0.01"))
    antwerpen = municipalities.get(refnis="11002")
    # The profile field wins over the study's sentence; the inclusion reason also counts.
    with history_context(channel=Channel.WEB):
        antwerpen.coordinator_appointed = False
        antwerpen.save()
        leuven = municipalities.get(refnis="24062")
        leuven.inclusion_reasons.add(Term.objects.get(scheme__slug="inclusion-reasons", code="coordinator-appointed"))
        genk = municipalities.get(refnis="71016")
        genk.coordinator_appointed = True
        genk.save()
    assert ind.coordinator_share().note == f"5 of {total} municipalities in the region"


def test_joint_challenges_count_published_challenges_with_co_owners(loaded: Any, db: Any) -> None:
    assert ind.joint_challenges().value == 0
    a, b = MunicipalityFactory(), MunicipalityFactory()
    ChallengeFactory(owners=[a, b])
    ChallengeFactory(owners=[a])  # alone: not joint
    ChallengeFactory(owners=[a, b], status="draft", published_at=None)  # not published
    assert ind.joint_challenges().value == 1


def test_implementation_funding_share_on_the_study_instruments(loaded: Any, db: Any) -> None:
    funding = Instrument.objects.filter(kind="financial", archived_at__isnull=True, phases__isnull=False).distinct()
    total = funding.count()
    implementing = funding.filter(phases__code__in=["implementation", "operation"]).distinct().count()
    assert total > implementing > 0  # the study tags research/study/pilot and implementation instruments
    before = ind.implementation_funding_share()
    assert before.note == f"{implementing} of {total} funding instruments with a phase fund implementation"
    study_only = funding.exclude(phases__code__in=["implementation", "operation"]).first()
    assert study_only is not None
    study_only.phases.add(Term.objects.get(scheme__slug="phases", code="implementation"))
    assert ind.implementation_funding_share().value > before.value


def test_open_data_star_share_reads_the_opendata_datasets(loaded: Any, db: Any) -> None:
    try:
        dataset = apps.get_model("opendata", "Dataset")
        source_model = apps.get_model("opendata", "HarvestSource")
    except LookupError:
        assert ind.open_data_star_share() is None
        return
    assert ind.open_data_star_share().value == 0  # type: ignore[union-attr]
    source = source_model.objects.create(title="Test portal", url="https://example.org/catalog")
    gent = Organisation.objects.get(refnis="44021")
    brugge = Organisation.objects.get(refnis="31005")
    dataset.objects.create(source=source, uri="https://example.org/d/1", organisation=gent, stars=4)
    dataset.objects.create(source=source, uri="https://example.org/d/2", organisation=brugge, stars=3)  # not past the third
    result = ind.open_data_star_share()
    assert result is not None and result.note.startswith("1 of ")


def test_snapshot_indicators_is_idempotent_per_date(loaded: Any, db: Any) -> None:
    out = run_command("snapshot_indicators")
    assert "gemeenten-met-smart-city-coordinator created" in out
    assert Indicator.objects.filter(kind=IndicatorKind.COMPUTED).count() == len(ind.COMPUTATIONS)
    count = Measurement.objects.count()
    events = apps.get_model("strategy", "MeasurementEvent").objects.count()
    second = run_command("snapshot_indicators")
    assert "created" not in second and Measurement.objects.count() == count
    assert apps.get_model("strategy", "MeasurementEvent").objects.count() == events
    coordinator = Measurement.objects.get(indicator__computation="coordinator_share", measured_on=TODAY)
    assert coordinator.value == ind.coordinator_share().value and coordinator.computed
    event = coordinator.events.first()  # type: ignore[attr-defined]
    assert event.pgh_context.metadata["channel"] == "command"
    # Another date adds one measurement per available indicator.
    with history_context(channel=Channel.COMMAND):
        outcome = snapshot_indicators(on=TODAY - datetime.timedelta(days=1))
    assert Measurement.objects.count() == count + sum(1 for v in outcome.values() if v == "created")
    assert set(coordinator.indicator.recommendations.values_list("number", flat=True)) == {1, 9, 15}


# -- suggested status and override --------------------------------------------------------------


def test_pace_steps_follow_the_documented_thresholds(loaded: Any, db: Any) -> None:
    indicator = manual_indicator([rec(8)])
    # Half the period has passed: 5 of 10 is on pace (fully), 3.5 -> 0.7 (largely), 2 -> 0.4 (partially), 1 -> 0.2 (not).
    for value, expected in [(5, "fully_on_track"), (3.5, "largely_on_track"), (2, "partially_on_track"), (1, "not_on_track")]:
        Measurement.objects.all().delete()
        add_measurement(indicator=indicator, value=Decimal(str(value)), measured_on=TODAY, user=None)
        assert ind.suggested_status(rec(8).pk) == expected, value
    # Lower is better when the target lies below the baseline.
    down = manual_indicator([rec(9)], slug="waiting-days", baseline_value=Decimal(100), target_value=Decimal(0))
    add_measurement(indicator=down, value=Decimal(50), measured_on=TODAY, user=None)
    assert ind.suggested_status(rec(9).pk) == ProgressStatus.FULLY


def test_declaring_another_status_than_suggested_needs_a_reason(owned: Recommendation, cast: Any, client: Any) -> None:
    indicator = manual_indicator([owned])
    add_measurement(indicator=indicator, value=Decimal(1), measured_on=TODAY, user=cast.editor_a)
    with pytest.raises(ValidationError) as error:
        record_progress(recommendation=owned, status="largely_on_track", justification="x", evidence=[], user=cast.editor_a)
    assert "override_reason" in error.value.message_dict
    update = record_progress(
        recommendation=owned,
        status="largely_on_track",
        justification="Scaling decided, not yet measured.",
        evidence=[],
        user=cast.editor_a,
        override_reason="Budget approved last week.",
    )
    assert update.suggested_status == "not_on_track" and update.overrides_suggestion
    agreeing = record_progress(recommendation=owned, status="not_on_track", justification="y", evidence=[], user=cast.editor_a)
    assert agreeing.override_reason == "" and not agreeing.overrides_suggestion
    html = client.get(f"/en/strategie/aanbevelingen/{owned.slug}/").content.decode()  # both shown
    assert "Budget approved last week." in html and "Suggested: Not on track" in html


# -- the steering group's report ----------------------------------------------------------------


def _past_state(owned: Recommendation, cast: Any) -> datetime.date:
    """An update and a measurement 40 days ago, newer ones today; returns a date between."""
    indicator = manual_indicator([owned])
    add_measurement(indicator=indicator, value=Decimal("0.5"), measured_on=TODAY - datetime.timedelta(days=40), user=None)
    record_progress(
        recommendation=owned,
        status="not_on_track",
        justification="Nothing started yet.",
        evidence=[],
        user=cast.curator,
        as_of=TODAY - datetime.timedelta(days=40),
    )
    add_measurement(indicator=indicator, value=Decimal(9), measured_on=TODAY, user=None)
    record_progress(
        recommendation=owned, status="fully_on_track", justification="Nine pilots scaled.", evidence=[], user=cast.curator
    )
    add_action(recommendation=owned, title="Scale-up fund", organisation=cast.org_a, user=cast.curator)
    return TODAY - datetime.timedelta(days=20)


def test_report_at_a_past_date_shows_the_past_state(owned: Recommendation, cast: Any, client: Any) -> None:
    past = _past_state(owned, cast)
    now = client.get("/en/strategie/rapport/").content.decode()
    assert "Nine pilots scaled." in now and "Scale-up fund" in now
    then = client.get(f"/en/strategie/rapport/?date={past.isoformat()}").content.decode()
    assert "Nothing started yet." in then and "Nine pilots scaled." not in then
    assert "Scale-up fund" not in then  # the action was created after that date
    assert "0.5 projects" in then and "9 projects" not in then
    printable = client.get(f"/en/strategie/rapport/afdrukken/?date={past.isoformat()}")
    assert printable.status_code == 200 and "Nothing started yet." in printable.content.decode()
    assert "print.css" in printable.content.decode()
    # Blocked: 8 waits for 1, 2 and 5, none of them fully on track.
    assert "Blocked by" in then and "/en/strategie/aanbevelingen/rec-05/" in then


def test_report_xlsx_content(owned: Recommendation, cast: Any, client: Any) -> None:
    past = _past_state(owned, cast)
    response = client.get(f"/en/strategie/rapport/?date={past.isoformat()}&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert past.isoformat() in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Recommendations", "Indicators", "Actions"]
    rows = list(book["Recommendations"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Cluster", "Number", "Recommendation", "Declared status", "Suggested status")
    assert len(rows) == 19
    eight = next(r for r in rows if r[1] == 8)
    assert eight[3] == "Not on track" and eight[6] == "Nothing started yet." and eight[10] == "1, 2, 5"
    indicators = list(book["Indicators"].iter_rows(values_only=True))
    assert indicators[1][0] == 8 and indicators[1][5] == 0.5  # the latest value known on that date
    assert list(book["Actions"].iter_rows(values_only=True))[1:] == []
    today = load_workbook(io.BytesIO(client.get("/en/strategie/rapport/?format=xlsx").content))
    assert list(today["Actions"].iter_rows(values_only=True))[1][1] == "Scale-up fund"


# -- API ----------------------------------------------------------------------------------------


def token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_api_reads_indicators_measurements_and_history(owned: Recommendation, cast: Any) -> None:
    _past_state(owned, cast)
    client = APIClient()
    rows = client.get("/api/v1/indicators/").json()["results"]
    pilots = next(r for r in rows if r["slug"] == "pilots-scaled")
    assert pilots["latest_measurement"]["value"] == "9.0000" and pilots["recommendations"] == [owned.slug]
    assert pilots["suggested_status"] == "fully_on_track"
    detail = client.get("/api/v1/indicators/pilots-scaled/").json()
    assert detail["latest_measurement"]["measured_on"] == TODAY.isoformat() and detail["target_value"] == "10.0000"
    measurements = client.get("/api/v1/measurements/?indicator=pilots-scaled").json()["results"]
    assert [m["value"] for m in measurements] == ["9.0000", "0.5000"]
    history = client.get(f"/api/v1/progress-updates/?recommendation={owned.slug}").json()["results"]
    assert [h["status"] for h in history] == ["fully_on_track", "not_on_track"]
    assert "author" not in history[0]


def test_api_writes_progress_with_an_owner_token(owned: Recommendation, cast: Any) -> None:
    body = {
        "recommendation": owned.slug,
        "status": "partially_on_track",
        "justification": "Started.",
        "evidence": ["https://example.org/e"],
    }
    assert APIClient().post("/api/v1/progress-updates/", body, format="json").status_code == 401
    assert token_client(cast.editor_b).post("/api/v1/progress-updates/", body, format="json").status_code == 403
    response = token_client(cast.editor_a).post("/api/v1/progress-updates/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["slug"] == "org-a"
    update = ProgressUpdate.objects.get()
    assert update.events.get().pgh_context.metadata["channel"] == "api"  # type: ignore[attr-defined]
    indicator = manual_indicator([owned])
    add_measurement(indicator=indicator, value=Decimal(9), measured_on=TODAY, user=None)
    refused = token_client(cast.editor_a).post("/api/v1/progress-updates/", body, format="json")
    assert refused.status_code == 400 and "override_reason" in refused.json()["errors"]
    body["override_reason"] = "Measured values lag behind."
    assert token_client(cast.editor_a).post("/api/v1/progress-updates/", body, format="json").status_code == 201


def test_computed_indicators_created_before_the_study_are_linked_later(loaded: Any, db: Any) -> None:
    created = ensure_computed_indicators()
    coordinator = next(i for i in created if i.computation == "coordinator_share")
    coordinator.recommendations.clear()  # as if created before load_study
    ensure_computed_indicators()
    assert set(coordinator.recommendations.values_list("number", flat=True)) == {1, 9, 15}


def test_report_queries_do_not_grow_with_the_data(owned: Recommendation, cast: Any, client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _past_state(owned, cast)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/strategie/rapport/").status_code == 200
    for number in (1, 2, 3, 4):
        record_progress(recommendation=rec(number), status="fully_on_track", justification="Done.", evidence=[], user=None)
        add_action(recommendation=rec(number), title=f"Action {number}", organisation=cast.org_a, user=None)
    with CaptureQueriesContext(connection) as second:
        assert client.get("/strategie/rapport/").status_code == 200
    assert len(second.captured_queries) == len(first.captured_queries)


def test_report_at_a_past_date_lists_the_owners_of_that_date(owned: Recommendation, cast: Any) -> None:
    import pgtrigger

    from helix.strategy.report import build_report
    from helix.strategy.services import remove_owner

    # Organisation B owned recommendation 8 from before owner changes were recorded; a curator
    # removes it today. Organisation A became an owner today (the fixture).
    with pgtrigger.ignore("strategy.RecommendationOwnersLink:insert_insert"):
        owned.owners.add(cast.org_b)
    remove_owner(recommendation=owned, organisation=cast.org_b, user=cast.curator)

    def owners_on(day: datetime.date | None) -> list[str]:
        (item,) = [i for i in build_report(on=day).items if i.item.recommendation.pk == owned.pk]
        return [o.name for o in item.owners]

    assert owners_on(None) == ["Organisation A"]
    assert owners_on(TODAY - datetime.timedelta(days=1)) == ["Organisation B"]
