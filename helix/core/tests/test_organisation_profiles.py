"""data/interpretations/organisation_profiles.yaml: roles and domains applied by load_study."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.conf import settings
from pghistory.models import Event

from helix.actors.models import Organisation
from helix.core.loaders import load_study
from helix.core.loaders.base import Loader
from helix.core.loaders.profiles import PROFILES_FILE, apply_organisation_profiles, interpretations_dir, read_profiles
from helix.core.models import Term

PROFILES = settings.BASE_DIR / "data" / "interpretations" / PROFILES_FILE


@pytest.fixture(scope="module")
def loaded(study_data: dict[str, str]) -> dict[str, str]:
    return study_data


def event_count() -> int:
    """History events of the apps load_study writes to."""
    apps_written = {"actors", "core", "instruments", "projects", "strategy"}
    return sum(m.objects.count() for m in apps.get_models() if issubclass(m, Event) and m._meta.app_label in apps_written)


def codes(org: Organisation, field: str) -> set[str]:
    return set(getattr(org, field).values_list("code", flat=True))


def by_seed(seed_id: str) -> Organisation:
    return Organisation.objects.get(identifiers__scheme="seed", identifiers__value=seed_id)


def test_every_entry_of_the_file_is_on_its_organisation(loaded: Any, db: Any) -> None:
    records = read_profiles(PROFILES)
    assert len(records) >= 30
    for record in records:
        org = by_seed(record["organisation"])
        assert set(record["value_chain_roles"]) <= codes(org, "value_chain_roles"), record["organisation"]
        assert set(record["domains"]) <= codes(org, "domains"), record["organisation"]
        assert record["basis"], record["organisation"]


def test_study_facts_become_roles_and_domains(loaded: Any, db: Any) -> None:
    fluvius = by_seed("fluvius")
    assert codes(fluvius, "value_chain_roles") == {
        "infrastructure-utilities",
        "devices-sensors",
        "connectivity",
        "integration-advice",
    }
    assert {"smart-environment", "affordable-and-sustainable-energy"} <= codes(fluvius, "domains")
    assert codes(by_seed("hoplr"), "domains") == {"smart-people", "participation"}
    assert codes(by_seed("mycsn"), "value_chain_roles") == {"data-platform", "integration-advice"}
    # A sub-topic always comes with its domain.
    for org in Organisation.objects.filter(domains__broader__isnull=False).distinct():
        tops = codes(org, "domains")
        for sub in org.domains.filter(broader__isnull=False).select_related("broader"):
            assert sub.broader is not None and sub.broader.code in tops, (org.slug, sub.code)


def test_organisations_the_study_says_nothing_usable_about_get_nothing(loaded: Any, db: Any) -> None:
    # Only "sector: ICT" in the study: no role or domain is invented for them.
    for seed_id in ("citymesh", "allthingstalk", "aptus", "smart-belgium-services", "belfius"):
        org = by_seed(seed_id)
        assert not org.value_chain_roles.exists() and not org.domains.exists(), seed_id


def test_second_run_changes_nothing_and_records_no_history(loaded: Any, db: Any) -> None:
    events = event_count()
    stats = load_study()
    assert stats.counts["organisation profiles"]["updated"] == 0
    assert stats.counts["organisation profiles"]["unchanged"] == len(read_profiles(PROFILES))
    assert event_count() == events


def test_a_curators_extra_term_stays(loaded: Any, db: Any) -> None:
    hoplr = by_seed("hoplr")
    extra = Term.objects.get(scheme__slug="value-chain-roles", code="data-platform")
    hoplr.value_chain_roles.add(extra)
    load_study()
    assert "data-platform" in codes(hoplr, "value_chain_roles")


def _copy_with(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    seed = tmp_path / "seed"
    shutil.copytree(settings.BASE_DIR / "data" / "seed", seed)
    (tmp_path / "interpretations").mkdir()
    (tmp_path / "interpretations" / PROFILES_FILE).write_text(yaml.safe_dump(records), encoding="utf-8")
    assert interpretations_dir(seed) == tmp_path / "interpretations"
    return seed


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"organisation": "nobody", "domains": ["smart-mobility"], "basis": ["x"]}, "unknown organisation 'nobody'"),
        ({"organisation": "hoplr", "value_chain_roles": ["sensors"], "basis": ["x"]}, "unknown value-chain role 'sensors'"),
        ({"organisation": "hoplr", "domains": ["smart-cities"], "basis": ["x"]}, "unknown domain 'smart-cities'"),
        ({"organisation": "hoplr", "domains": ["smart-people"]}, "needs a `basis`"),
    ],
)
def test_a_wrong_entry_stops_the_load_with_a_clear_message(
    loaded: Any, db: Any, tmp_path: Path, record: dict[str, Any], message: str
) -> None:
    seed = _copy_with(tmp_path, [record])
    orgs = {"hoplr": by_seed("hoplr")}
    with pytest.raises(ValueError, match="Organisation profiles are inconsistent") as error:
        apply_organisation_profiles(Loader(), orgs, seed)
    assert message in str(error.value)
