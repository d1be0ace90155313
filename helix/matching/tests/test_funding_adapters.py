"""The registry as the funding finder sees it: the study's eligibility interpreted by the loader,
applicants and instruments built by the adapters, and the engine's verdicts on the real data."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helix.actors.models import Organisation, Province, Region
from helix.core.loaders.base import fold
from helix.core.loaders.seed import seed_dir
from helix.core.loaders.vocabularies import COUNTRY_AREAS, KEMPEN, NAMED_AREAS, TARGET_GROUPS, UNINTERPRETED_TARGET_GROUPS
from helix.core.models import Term
from helix.instruments.models import Instrument
from helix.matching import adapters
from helix.matching.adapters import applicant_from_organisation, applicant_of_type, instrument_profiles
from helix.matching.engine.funding import FundingIndex
from helix.matching.engine.types import FundingProfile, InstrumentProfile, Outcome, Verdict
from helix.matching.services import ApplicantChoice, find_funding
from tests.factories import InstrumentFactory, OrganisationFactory
from tests.study_data import run_command

TODAY = datetime.date(2019, 6, 1)  # while the study's ERDF calls were open


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> str:
    return study_data["load_study"]


def municipality(refnis: str) -> Organisation:
    return adapters.applicant_queryset().get(refnis=refnis)


def verdicts_for(applicant: Any, *, today: datetime.date = TODAY, **profile: Any) -> dict[str, Any]:
    """slug -> FundingResult for every live instrument."""
    index = FundingIndex(instrument_profiles())
    results = index.evaluate(FundingProfile(applicants=(applicant,), today=today, **profile), include_ineligible=True)
    return {r.instrument.slug: r for r in results}


def reason(result: Any, criterion: str) -> Any:
    return next(r for r in result.reasons if r.criterion == criterion)


# --- The interpretation table ---------------------------------------------------------------------


def test_every_target_group_of_the_study_is_read_or_deliberately_left_unread() -> None:
    records = yaml.safe_load((seed_dir() / "instruments.yaml").read_text())
    groups = {str(g) for r in records for g in r.get("target_groups") or []}
    read = {fold(g) for g in TARGET_GROUPS} | {fold(g) for g in UNINTERPRETED_TARGET_GROUPS}
    assert sorted(g for g in groups if fold(g) not in read) == []


def test_the_tables_use_existing_applicant_types_and_areas(loaded: str, db: Any) -> None:
    types = set(Term.objects.filter(scheme__slug="applicant-types").values_list("code", flat=True))
    refnis = set(Region.objects.values_list("refnis", flat=True)) | set(Province.objects.values_list("refnis", flat=True))
    refnis |= set(Organisation.objects.filter(refnis__isnull=False).values_list("refnis", flat=True))
    for group, reading in TARGET_GROUPS.items():
        assert set(reading.applicant_types) <= types, group
        for code in reading.areas:
            assert code in refnis or code in NAMED_AREAS or code in COUNTRY_AREAS, (group, code)
    # The Kempen's 29 municipalities exist under their REFNIS code and name.
    names = dict(Organisation.objects.filter(refnis__in=[c for c, _ in KEMPEN.members]).values_list("refnis", "name"))
    assert names == dict(KEMPEN.members) and len(names) == 29


# --- What load_study stores ------------------------------------------------------------------------


def test_target_groups_become_applicant_types_areas_and_named_beneficiaries(loaded: str, db: Any) -> None:
    def codes(slug: str) -> set[str]:
        return set(Instrument.objects.get(slug=slug).applicant_types.values_list("code", flat=True))

    # "local governments"
    assert codes("efro-pa2-intergemeentelijke-samenwerking-digitalisering") == {
        "municipality",
        "intercommunale",
        "other-local-government",
    }
    assert codes("efro-pa2") == {"sme"}  # "SMEs"
    assert codes("vlaio-rd-projects") == {"company", "regional-government", "other-local-government"}
    kempen_sme = Instrument.objects.get(slug="efro-pa2-innovatieve-bedrijfsmodellen-gti-kempen")
    assert kempen_sme.territory_areas == ["kempen"] and kempen_sme.territory == "Kempen"
    assert "Eligibility interpreted by Helix" in kempen_sme.notes
    assert Instrument.objects.get(slug="efro-pa4").territory_areas == ["44021", "11002"]  # Gent and Antwerpen
    assert Instrument.objects.get(slug="gti-limburg").territory_areas == ["70000"]
    assert Instrument.objects.get(slug="city-of-things-call").territory_areas == ["02000"]  # Flemish government
    assert Instrument.objects.get(slug="nl-lighthouse-model-calls").territory_areas == ["nl"]
    uia = Instrument.objects.get(slug="urban-innovative-actions")
    assert uia.municipality_sizes == ["large"] and uia.territory_areas == []
    select = Instrument.objects.get(slug="select-for-cities-challenge")
    assert set(select.restricted_to.values_list("slug", flat=True)) == {"copenhagen", "helsinki", "gemeente-antwerpen-11002"}
    belfius = Instrument.objects.get(slug="belfius-eib-scca-ce-ii")
    assert "waste-management" in set(belfius.domains.values_list("code", flat=True))
    # Target groups that name no applicant stay without applicant types, and the notes say why.
    jessica = Instrument.objects.get(slug="jessica")
    assert not jessica.applicant_types.exists() and "not interpreted" in jessica.notes


def test_loading_the_study_again_changes_no_instrument(loaded: str, db: Any) -> None:
    before = adapters.instrument_profiles()
    output = run_command("load_study")
    line = next(x for x in output.splitlines() if x.startswith("instruments "))
    assert line.split()[1:] == ["0", "0", "69"]  # created, updated, unchanged
    assert adapters.instrument_profiles() == before


# --- Applicants ------------------------------------------------------------------------------------


def test_a_municipality_lies_in_its_municipality_province_region_country_and_named_areas(loaded: str, db: Any) -> None:
    geel = applicant_from_organisation(municipality("13008"))
    assert geel.applicant_types == {"municipality"}
    assert geel.areas == {"13008", "10000", "02000", "be", "kempen"}
    gent = applicant_from_organisation(municipality("44021"))
    assert gent.areas == {"44021", "40000", "02000", "be"} and gent.size_class == "large"
    assert gent.organisation_id == municipality("44021").pk
    # An SME located in Geel: the type, and Geel's areas, but not Geel's size class.
    sme = applicant_of_type("sme", municipality=municipality("13008"))
    assert sme.applicant_types == {"sme"} and "kempen" in sme.areas and sme.size_class is None


def test_organisation_types_follow_kind_size_and_subkind(db: Any) -> None:
    start_up = OrganisationFactory(kind="company", size_class="micro", subkind="start-up")
    assert applicant_from_organisation(start_up).applicant_types == {"company", "sme", "start-up"}
    big = OrganisationFactory(kind="company", size_class="large")
    assert applicant_from_organisation(big).applicant_types == {"company"}
    agency = OrganisationFactory(kind="government", subkind="agency", helix_role="government")
    assert applicant_from_organisation(agency).applicant_types == {"regional-government"}
    cluster = OrganisationFactory(kind="intermediary", subkind="speerpuntcluster", helix_role="business")
    assert applicant_from_organisation(cluster).applicant_types == {"non-profit"}


# --- Verdicts on the study's instruments -------------------------------------------------------------


def test_an_instrument_for_local_governments_accepts_a_municipality(loaded: str, db: Any) -> None:
    results = verdicts_for(applicant_from_organisation(municipality("44021")))
    call = results["efro-pa2-intergemeentelijke-samenwerking-digitalisering"]
    assert reason(call, "applicant_type").outcome == Outcome.MET
    # ... and an instrument for SMEs does not, saying who it is for.
    smes = results["efro-pa2"]
    assert smes.verdict == Verdict.NOT_ELIGIBLE
    unmet = reason(smes, "applicant_type")
    assert unmet.outcome == Outcome.UNMET and dict(unmet.params) == {"accepted": "sme", "yours": "municipality"}


def test_kempen_calls_reject_a_municipality_outside_the_kempen_for_its_territory(loaded: str, db: Any) -> None:
    slug = "efro-pa3-stedelijke-mobiliteit-gti-kempen"
    gent = verdicts_for(applicant_from_organisation(municipality("44021")))[slug]
    assert gent.verdict == Verdict.NOT_ELIGIBLE
    territory = reason(gent, "territory")
    assert (territory.outcome, territory.code, dict(territory.params)) == (Outcome.UNMET, "territory.unmet", {"areas": "kempen"})
    assert [r.criterion for r in gent.reasons if r.outcome == Outcome.UNMET] == ["territory"]  # nothing else
    geel = verdicts_for(applicant_from_organisation(municipality("13008")))[slug]
    assert reason(geel, "territory").outcome == Outcome.MET
    assert geel.verdict == Verdict.POSSIBLY_ELIGIBLE  # the call states no phase


def test_the_metropolitan_axis_is_for_gent_and_antwerpen_only(loaded: str, db: Any) -> None:
    brugge = verdicts_for(applicant_from_organisation(municipality("31005")))["efro-pa4"]
    assert reason(brugge, "territory").outcome == Outcome.UNMET
    gent = verdicts_for(applicant_from_organisation(municipality("44021")))["efro-pa4"]
    assert dict(reason(gent, "territory").params) == {"areas": "44021"}


def test_named_beneficiaries_and_size_classes(loaded: str, db: Any) -> None:
    gent = verdicts_for(applicant_from_organisation(municipality("44021")))
    assert reason(gent["select-for-cities-challenge"], "territory").code == "territory.restricted_unmet"
    assert reason(gent["urban-innovative-actions"], "size_class").outcome == Outcome.MET  # a centrumstad: large
    geel = verdicts_for(applicant_from_organisation(municipality("13008")))
    assert reason(geel["urban-innovative-actions"], "size_class").outcome == Outcome.UNKNOWN  # size not known
    antwerpen = verdicts_for(applicant_from_organisation(municipality("11002")))
    assert reason(antwerpen["select-for-cities-challenge"], "territory").code == "territory.restricted_met"


def test_a_foreign_scheme_is_not_for_a_flemish_city(loaded: str, db: Any) -> None:
    gent = verdicts_for(applicant_from_organisation(municipality("44021")))
    assert reason(gent["nl-lighthouse-model-calls"], "territory").outcome == Outcome.UNMET


def test_support_instruments_support_the_money_of_their_programme(loaded: str, db: Any) -> None:
    profiles = {p.slug: p for p in instrument_profiles()}

    def supported(slug: str) -> set[str]:
        ids = profiles[slug].supports
        return {p.slug for p in profiles.values() if p.id in ids}

    assert supported("ncp-flanders-contact-point") == {"eu-horizon-2020-horizon-europe"}
    assert supported("pio-guidance") == {"pio-cofinancing"}  # same offerer, same umbrella
    assert supported("smart-city-marktplaats-database") == {"city-of-things-call"}
    assert supported("digital-cities-challenge") == {"eu-cosme"}
    assert not profiles["city-of-things-call"].supports  # money supports nothing


def test_the_finder_shows_the_contact_point_beside_the_programme(loaded: str, db: Any) -> None:
    answer = find_funding(
        applicants=[ApplicantChoice(applicant_type="knowledge-institution", municipality=municipality("44021"))],
        phase="study",
        include_ineligible=False,
        limit=200,
    )
    horizon = next(r for r in answer.results if r.slug == "eu-horizon-2020-horizon-europe")
    assert [s.slug for s in horizon.supported_by] == ["ncp-flanders-contact-point"]


# --- Building profiles ------------------------------------------------------------------------------


def test_profiles_are_built_in_a_fixed_number_of_queries(loaded: str, db: Any) -> None:
    with CaptureQueriesContext(connection) as few:
        small = instrument_profiles()
    gent = municipality("44021")
    phase = Term.objects.get(scheme__slug="phases", code="pilot")
    for i in range(30):
        extra = InstrumentFactory(slug=f"extra-{i}", offered_by=gent, territory_areas=["02000"])
        extra.phases.add(phase)
        extra.restricted_to.add(gent)
    with CaptureQueriesContext(connection) as many:
        large = instrument_profiles()
    assert len(large) == len(small) + 30
    assert len(many.captured_queries) == len(few.captured_queries) <= 8
    extra = next(p for p in large if p.slug == "extra-0")
    assert extra.phases == {"pilot"} and extra.restricted_to == {gent.pk} and extra.areas == {"02000"}


def test_domains_stand_for_their_sub_topics(loaded: str, db: Any) -> None:
    instrument = InstrumentFactory(slug="waste-only")
    instrument.domains.add(Term.objects.get(scheme__slug="domains", code="waste-management"))
    whole = InstrumentFactory(slug="environment-whole")
    whole.domains.add(Term.objects.get(scheme__slug="domains", code="smart-environment"))
    profiles = {p.slug: p for p in instrument_profiles()}
    assert profiles["waste-only"].domains == {"waste-management"}
    assert "waste-management" in profiles["environment-whole"].domains
    index = FundingIndex([profiles["waste-only"], profiles["environment-whole"]])
    catalogue_closure = adapters.domain_closure()

    def domain_outcomes(codes: list[str]) -> dict[str, Outcome]:
        profile = FundingProfile(
            applicants=(applicant_of_type("municipality"),), domains=adapters.expand_domains(codes, catalogue_closure)
        )
        return {r.instrument.slug: reason(r, "domain").outcome for r in index.evaluate(profile)}

    assert domain_outcomes(["smart-environment"]) == {"waste-only": Outcome.MET, "environment-whole": Outcome.MET}
    assert domain_outcomes(["waste-management"]) == {"waste-only": Outcome.MET, "environment-whole": Outcome.MET}
    assert domain_outcomes(["pollution-and-air-quality"]) == {"waste-only": Outcome.UNMET, "environment-whole": Outcome.MET}


# --- The cached index --------------------------------------------------------------------------------


def test_the_index_is_built_once_per_data_version(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    InstrumentFactory(slug="only-one")
    adapters.clear_cache()
    version = {"value": "7.1"}
    monkeypatch.setattr(adapters, "data_version", lambda: version["value"])
    built: list[str | None] = []
    real_build = adapters.build_catalogue

    def counting_build(v: str | None = None) -> adapters.FundingCatalogue:
        built.append(v)
        return real_build(v)

    monkeypatch.setattr(adapters, "build_catalogue", counting_build)
    first = adapters.funding_catalogue()
    assert adapters.funding_catalogue() is first and built == ["7.1"]
    version["value"] = "8.1"  # a write advanced the sequence
    second = adapters.funding_catalogue()
    assert second is not first and built == ["7.1", "8.1"]
    assert "only-one" in {p.slug for p in second.profiles.values()}
    monkeypatch.setattr(adapters, "data_version", lambda: None)  # inside a transaction: never cached
    assert adapters.funding_catalogue() is not adapters.funding_catalogue()
    adapters.clear_cache()


def test_an_instrument_profile_is_plain_engine_data(db: Any) -> None:
    InstrumentFactory(slug="plain", amount_min=1000, amount_max=5000, cofinancing_rate=40)
    profile = next(p for p in instrument_profiles() if p.slug == "plain")
    assert isinstance(profile, InstrumentProfile)
    assert (profile.amount_min, profile.amount_max, profile.cofinancing_rate) == (1000, 5000, 40.0)


def test_not_eligible_instruments_are_counted_apart_when_asked(loaded: str, db: Any) -> None:
    gent = [ApplicantChoice(municipality=municipality("44021"))]
    ranked = find_funding(applicants=gent, include_ineligible=True, limit=5)
    assert [r.verdict for r in ranked.results] == ["possibly_eligible"] * 5  # the fitting ones fill the limit
    split = find_funding(applicants=gent, include_ineligible=True, limit=5, ineligible_limit=3)
    verdicts = [r.verdict for r in split.results]
    assert verdicts[:5] == ["possibly_eligible"] * 5 and verdicts[5:] == ["not_eligible"] * 3
    assert [r.slug for r in split.results[:5]] == [r.slug for r in ranked.results]
