"""`manage.py import_market --undo BATCH`: an import is undone exactly, or refused and nothing changes."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from pghistory.models import Context

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.importing import check_upload, commit_import, plan_import
from helix.market import services
from helix.market.models import Challenge, ChallengeOwner, Response, Solution
from tests.factories import (
    ChallengeFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ResponseFactory,
    SolutionFactory,
)

pytestmark = pytest.mark.django_db

BOOKKEEPING = {"version", "updated_at", "search_vector"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def before(market):
    """Records the import will update: a draft challenge with three owners and a solution."""
    provider = OrganisationFactory(slug="sensortech", name="SensorTech NV", enterprise_number="0207451227", kind="company")
    brugge = MunicipalityFactory(slug="gemeente-brugge-31005", name="Brugge")
    air = ChallengeFactory(
        slug="clean-air",
        title="Clean air",
        status="draft",
        published_at=None,
        budget_max=20000,
        owners=[market.gent, market.leuven, brugge],
    )
    air.domains.set([market.energy])
    air.value_chain_roles_needed.set([market.platform])
    counter = SolutionFactory(
        slug="people-counter",
        title="People counter",
        organisation=provider,
        open_standards=["DCAT-AP"],
        pricing_model="license",
    )
    counter.references.set([market.gent])
    counter.domains.set([market.energy])
    counter.value_chain_roles.set([market.platform])
    return {"provider": provider, "brugge": brugge, "air": air, "counter": counter}


DATA = {
    "challenges": [
        {
            "slug": "clean-air",
            "title": "Clean air (revised)",
            "status": "open",
            "lead_owner": "Leuven",
            "co_owners": ["Gent"],
            "domains": "smart-mobility",
            "sdgs": "11",
            "roles_needed": "devices-sensors; data-platform",
            "phase_sought": "pilot",
            "budget_max": 30000,
        },
        {"title": "Smart parking", "lead_owner": "Gent", "co_owners": "Leuven", "domains": "smart-energy"},
    ],
    "solutions": [
        {
            "slug": "people-counter",
            "references": "Gent; Leuven",
            "domains": "smart-mobility",
            "sdgs": "11",
            "value_chain_roles": "devices-sensors",
            "open_standards": ["OSLO"],
            "pricing_model": "subscription",
            "maturity": "pilot",
        },
        {"title": "Parking sensors", "organisation": "0207.451.227", "references": "Leuven"},
    ],
}


def snapshot() -> dict[str, Any]:
    """Every marketplace row the import touches: fields (without bookkeeping), many-to-many, owners."""

    def record(obj: Any) -> dict[str, Any]:
        values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in BOOKKEEPING}
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
        return values

    return {
        "challenges": {c.pk: record(c) for c in Challenge.objects.all()},
        "solutions": {s.pk: record(s) for s in Solution.objects.all()},
        "owners": sorted(ChallengeOwner.objects.values_list("pk", "challenge_id", "organisation_id", "role")),
        "responses": Response.objects.count(),
    }


def import_file(tmp_path, data=DATA) -> str:
    path = tmp_path / "market.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = io.StringIO()
    call_command("import_market", str(path), "--format", "json", "--user", "editor-gent", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert result["committed"] is True, result
    return result["batch"]


def undo(batch: str, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("import_market", "--undo", batch, "--format", "json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def undo_refused(batch: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_market", "--undo", batch, "--format", "json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["reverted"] is False
    return str(refused.value)


def test_undo_restores_the_database_exactly(tmp_path, market, before, cast):
    original = snapshot()
    batch = import_file(tmp_path)

    # The import did change everything the undo has to bring back.
    air = Challenge.objects.get(slug="clean-air")
    assert (air.title, air.status, air.lead_owner) == ("Clean air (revised)", "open", market.leuven)
    assert air.published_at is not None and air.phase_sought == market.pilot
    assert set(air.domains.all()) == {market.mobility} and list(air.sdgs.all()) == [market.sdg11]
    assert not air.ownerships.filter(organisation=before["brugge"]).exists()
    counter = Solution.objects.get(slug="people-counter")
    assert set(counter.references.all()) == {market.gent, market.leuven} and counter.open_standards == ["OSLO"]
    assert (Challenge.objects.count(), Solution.objects.count(), ChallengeOwner.objects.count()) == (2, 2, 4)

    report = undo(batch, "--user", "curator")
    assert report["reverted"] is True and report["batch"] == batch
    assert set(report["deleted"]) == {"smart-parking", "parking-sensors"}
    assert snapshot() == original

    # The undo is itself a batch in the history, channel "import", naming who undid what.
    context = Context.objects.get(metadata__reverts=batch)
    assert context.metadata["batch"] == report["revert_batch"] != batch
    assert (context.metadata["channel"], context.metadata["username"]) == (Channel.IMPORT, "curator")


def test_undo_twice_is_refused(tmp_path, market, before):
    batch = import_file(tmp_path)
    undo(batch)
    undone = snapshot()
    assert "already reverted" in undo_refused(batch)
    assert snapshot() == undone


def _edit_title() -> None:
    air = Challenge.objects.get(slug="clean-air")
    services.update_challenge(challenge=air, data={"title": "Edited on the page"}, user=None)


def _edit_domains() -> None:
    counter = Solution.objects.get(slug="people-counter")
    services.update_solution(solution=counter, data={}, m2m={"domains": []}, user=None)


def _add_owner() -> None:
    parking = Challenge.objects.get(title="Smart parking")
    services.add_co_owner(challenge=parking, organisation=Organisation.objects.get(name="Brugge"), user=None)


def _remove_owner() -> None:
    air = Challenge.objects.get(slug="clean-air")
    services.remove_co_owner(challenge=air, organisation=Organisation.objects.get(name="Gent"), user=None)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (_edit_title, "challenge clean-air: changed after the import"),
        (_edit_domains, "solution people-counter: changed after the import"),
        (_add_owner, "challenge smart-parking: challenge owners changed after the import"),
        (_remove_owner, "challenge clean-air: challenge owners changed after the import"),
    ],
)
def test_undo_is_refused_when_a_record_changed_after_the_import(tmp_path, market, before, edit, named):
    batch = import_file(tmp_path)
    with history_context(channel=Channel.WEB, user=market.editor_gent):
        edit()
    edited = snapshot()
    message = undo_refused(batch)
    assert "cannot be reverted" in message and named in message
    assert snapshot() == edited
    assert not Context.objects.filter(metadata__reverts=batch).exists()


def test_a_created_challenge_that_received_a_response_is_archived_not_deleted(tmp_path, market, before):
    batch = import_file(tmp_path)
    parking = Challenge.objects.get(title="Smart parking")
    with history_context(channel=Channel.WEB, user=market.editor_gent):
        response = ResponseFactory(challenge=parking, solution=SolutionFactory(organisation=before["provider"]))
    report = undo(batch)
    assert report["archived"] == ["smart-parking"] and "parking-sensors" in report["deleted"]
    parking.refresh_from_db()
    assert parking.archived_at is not None
    assert Response.objects.filter(pk=response.pk).exists()
    assert parking.ownerships.count() == 2  # an archived challenge keeps its owners
    assert Challenge.objects.get(slug="clean-air").title == "Clean air"


def test_unknown_batch_is_a_clear_error(market):
    message = undo_refused("no-such-batch")
    assert message == "No change was recorded under batch no-such-batch."


def test_a_batch_of_another_import_is_refused(market, cast):
    plan = plan_import(check_upload(b"slug,name,kind\nfresh,Fresh Org,company\n", name="orgs.csv"))
    batch = commit_import(plan, user=cast.curator)
    assert "was not written by import_market" in undo_refused(batch)
    assert Organisation.objects.filter(slug="fresh").exists()


def test_a_run_prints_its_batch_and_how_to_undo_it(tmp_path, market, before):
    path = tmp_path / "market.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    out = io.StringIO()
    call_command("import_market", str(path), stdout=out, stderr=io.StringIO())
    batch = Context.objects.get(metadata__importer="market").metadata["batch"]
    assert f"History batch: {batch} (undo: manage.py import_market --undo {batch})" in out.getvalue()
    text = io.StringIO()
    call_command("import_market", "--undo", batch, stdout=text, stderr=io.StringIO())
    assert f"Undid batch {batch}: 2 deleted, 0 archived, 5 restored" in text.getvalue()


def test_help_mentions_undo(capsys):
    with pytest.raises(SystemExit):
        call_command("import_market", "--help")
    text = capsys.readouterr().out
    assert "--undo BATCH" in text and "changes nothing" in text
