"""The synthetic scale-test generator: labelled, realistic, reproducible, purged exactly."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from helix.actors.models import Membership, Organisation, OrganisationEvent
from helix.core import synthetic
from helix.core.search import ranked_search
from helix.instruments.models import Instrument
from tests.factories import InstrumentFactory, OrganisationFactory, SchemeFactory, TermFactory

pytestmark = pytest.mark.django_db


def synthetic_orgs():
    return Organisation.objects.filter(slug__startswith=synthetic.SYNTHETIC_PREFIX)


def test_every_generated_record_is_labelled_as_synthetic():
    result = synthetic.generate(organisations=200, instruments=40, seed=1)
    assert (result.organisations, result.instruments) == (200, 40)
    assert Organisation.objects.count() == 200
    assert set(Organisation.objects.values_list("source", flat=True)) == {synthetic.SYNTHETIC_SOURCE}
    assert set(Instrument.objects.values_list("source", flat=True)) == {synthetic.SYNTHETIC_SOURCE}
    assert all(s.startswith("synthetic-") for s in Organisation.objects.values_list("slug", flat=True))
    assert all(s.startswith("synthetic-") for s in Instrument.objects.values_list("slug", flat=True))
    assert Membership.objects.count() == result.memberships
    assert set(Membership.objects.values_list("source", flat=True)) <= {synthetic.SYNTHETIC_SOURCE}
    # No enterprise numbers (they could be real ones) and no link to a real municipality.
    assert not Organisation.objects.exclude(enterprise_number="").exists()
    assert not Organisation.objects.filter(located_in__isnull=False).exists()


def test_data_has_a_realistic_spread():
    synthetic.generate(organisations=300, instruments=100, seed=2)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"company", "government", "intermediary"} <= kinds
    assert Organisation.objects.filter(kind="company").count() > Organisation.objects.exclude(kind="company").count()
    assert Organisation.objects.filter(founded_year__isnull=False).exists()
    assert Organisation.objects.exclude(description_nl="").count() == 300
    assert len(set(Instrument.objects.values_list("policy_level", flat=True))) >= 3
    # Programmes -> priority axes -> calls.
    call = Instrument.objects.filter(parent__parent__isnull=False).first()
    assert call is not None and call.parent.parent.parent is None
    assert Instrument.objects.filter(closes_on__isnull=False).exists()
    assert Instrument.objects.filter(amount_max__isnull=False).exists()
    assert Instrument.objects.exclude(offered_by=None).count() == 100
    # The search trigger indexed the rows, so the generator serves search benchmarks.
    assert not Organisation.objects.filter(search_vector__isnull=True).exists()
    name = Organisation.objects.order_by("pk").first().name
    assert ranked_search(Organisation.objects.all(), name, "name").exists()


def test_taxonomy_terms_are_linked_when_loaded():
    domains = [TermFactory(scheme=SchemeFactory(slug="domains"), code=f"d{i}") for i in range(4)]
    synthetic.generate(organisations=100, instruments=20, seed=3)
    linked = Organisation.domains.through.objects.filter(term__in=domains).count()
    assert linked > 0


def test_same_seed_gives_the_same_names():
    synthetic.generate(organisations=50, instruments=0, seed=7)
    first = list(synthetic_orgs().order_by("slug").values_list("name", flat=True))
    synthetic.purge()
    synthetic.generate(organisations=50, instruments=0, seed=7)
    assert list(synthetic_orgs().order_by("slug").values_list("name", flat=True)) == first


def test_a_second_run_adds_with_new_slugs():
    synthetic.generate(organisations=20, instruments=5, seed=1)
    synthetic.generate(organisations=20, instruments=5, seed=1)
    assert synthetic_orgs().count() == 40
    assert Instrument.objects.count() == 10


def test_purge_deletes_exactly_the_synthetic_records():
    real = OrganisationFactory(slug="real-org", name="Real Organisation")
    real_instrument = InstrumentFactory(slug="real-instrument", offered_by=real)
    # A real record that only looks synthetic by one of the two labels is kept.
    lookalike = OrganisationFactory(slug="synthetic-lookalike", source="typed in by a curator")
    synthetic.generate(organisations=80, instruments=20, seed=4)
    removed = synthetic.purge()
    assert removed["organisations"] == 80 and removed["instruments"] == 20
    assert set(Organisation.objects.values_list("pk", flat=True)) == {real.pk, lookalike.pk, real_instrument.offered_by_id}
    assert list(Instrument.objects.all()) == [real_instrument]
    assert not Membership.objects.filter(slug__startswith="synthetic-").exists()


def test_history_is_skipped_unless_asked_for():
    synthetic.generate(organisations=10, instruments=0, seed=5)
    assert not OrganisationEvent.objects.filter(slug__startswith="synthetic-").exists()
    synthetic.generate(organisations=10, instruments=0, seed=5, with_history=True)
    assert OrganisationEvent.objects.filter(slug__startswith="synthetic-").count() == 10
    synthetic.purge()
    assert not OrganisationEvent.objects.filter(slug__startswith="synthetic-").exists()


def test_command_generates_and_purges(capsys):
    call_command("generate_synthetic", "--orgs", "30", "--instruments", "6", "--seed", "9")
    assert synthetic_orgs().count() == 30
    assert "SYNTHETIC" in capsys.readouterr().out
    call_command("generate_synthetic", "--purge")
    assert not synthetic_orgs().exists() and not Instrument.objects.exists()


def test_command_refuses_to_do_nothing():
    with pytest.raises(CommandError):
        call_command("generate_synthetic")
