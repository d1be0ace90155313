"""An import can be found by its batch id and undone: created records go, updated fields come back."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.core.importing import RevertRefused, check_upload, commit_import, plan_import, revert_batch
from helix.core.services import save_record
from tests.factories import InstrumentFactory, OrganisationFactory, SchemeFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def imported(cast):
    nace = SchemeFactory(slug="nace")
    j, m = TermFactory(scheme=nace, code="J"), TermFactory(scheme=nace, code="M")
    existing = OrganisationFactory(slug="keep-me", name="Keep Me", founded_year=1999, sector="old")
    existing.nace_sections.set([j])
    body = "slug,name,kind,founded_year,nace_sections\nkeep-me,Keep Me,company,2005,J; M\nfresh,Fresh Org,company,2020,M\n"
    plan = plan_import(check_upload(body.encode(), name="orgs.csv"))
    assert not plan.errors
    batch = commit_import(plan, user=cast.curator)
    return {"batch": batch, "existing": existing, "j": j, "m": m}


def test_revert_restores_fields_and_relations_and_removes_created_records(imported, cast):
    existing = imported["existing"]
    existing.refresh_from_db()
    assert existing.founded_year == 2005
    assert Organisation.objects.filter(slug="fresh").exists()
    report = revert_batch(imported["batch"], user=cast.curator)
    assert report.deleted == ["fresh"] and report.restored == ["keep-me"]
    existing.refresh_from_db()
    assert existing.founded_year == 1999
    assert existing.sector == "old"
    assert list(existing.nace_sections.values_list("code", flat=True)) == ["J"]
    assert not Organisation.objects.filter(slug="fresh").exists()
    with pytest.raises(RevertRefused, match="already reverted"):
        revert_batch(imported["batch"], user=cast.curator)


def test_revert_is_refused_when_a_record_changed_afterwards(imported, cast):
    existing = imported["existing"]
    existing.refresh_from_db()
    with history_context(channel=Channel.WEB, user=cast.editor_a):  # every entry point sets its context
        save_record(existing, changes={"sector": "edited later"})
    with pytest.raises(RevertRefused, match="changed after the import"):
        revert_batch(imported["batch"], user=cast.curator)
    existing.refresh_from_db()
    assert existing.founded_year == 2005  # nothing reverted


def test_created_record_still_referenced_is_archived(imported, cast):
    with history_context(channel=Channel.WEB):
        InstrumentFactory(offered_by=Organisation.objects.get(slug="fresh"))
    report = revert_batch(imported["batch"], user=cast.curator)
    assert report.archived == ["fresh"]
    assert Organisation.objects.get(slug="fresh").archived_at is not None


def test_revert_through_the_command(imported):
    out = io.StringIO()
    call_command("import_inventory", "--revert", imported["batch"], "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["deleted"] == ["fresh"]
    with pytest.raises(CommandError):
        call_command("import_inventory", "--revert", "no-such-batch", stdout=io.StringIO())
