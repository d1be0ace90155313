"""Matching rows to existing records, flagging likely duplicates, and errors that say where."""

from __future__ import annotations

import pytest
from django.utils import translation

from helix.actors.models import Organisation
from helix.core.importing import Decision, Status, check_upload, commit_import, plan_import
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _csv(text: str):
    return check_upload(text.encode(), name="orgs.csv")


def test_rows_match_by_enterprise_number_and_by_normalised_name():
    by_number = OrganisationFactory(slug="acme", name="Acme", enterprise_number="0403170701", founded_year=1990)
    by_name = OrganisationFactory(slug="smart-city-consult", name="Smart-City Consult BVBA", founded_year=2000)
    plan = plan_import(
        _csv(
            "name;enterprise_number;founded_year;kind\n"
            "ACME Belgium;BE 0403.170.701;1991;company\n"
            "smart city consult;;2001;company\n"
        )
    )
    assert not plan.errors, plan.errors
    assert [(r.pk, r.status) for r in plan.rows] == [(by_number.pk, Status.CHANGED), (by_name.pk, Status.CHANGED)]
    # A row found by its name never renames the record.
    assert [c.key for c in plan.rows[1].changes] == ["founded_year"]
    commit_import(plan)
    by_name.refresh_from_db()
    assert (by_name.name, by_name.founded_year) == ("Smart-City Consult BVBA", 2001)


def test_likely_duplicates_are_flagged_not_created_unless_confirmed():
    existing = OrganisationFactory(slug="sensorbouw-vlaanderen", name="Sensorbouw Vlaanderen")
    checked = _csv("name,kind\nSensorbouw Vlaandren,company\n")
    plan = plan_import(checked)
    [row] = plan.rows
    assert row.status == Status.DUPLICATE
    assert row.duplicates[0][0] == existing.pk
    assert plan.as_json(dry_run=True)["possible_duplicates"][0]["candidates"][0]["id"] == existing.pk
    assert commit_import(plan) is None
    assert Organisation.objects.count() == 1

    created = plan_import(checked, decisions={row.ref: Decision.CREATE})
    assert created.rows[0].status == Status.NEW
    commit_import(created)
    assert Organisation.objects.filter(name="Sensorbouw Vlaandren").exists()


def test_a_duplicate_can_update_the_record_it_resembles():
    existing = OrganisationFactory(slug="sensorbouw-vlaanderen", name="Sensorbouw Vlaanderen", founded_year=None)
    checked = _csv("name,kind,founded_year\nSensorbouw Vlaandren,company,2012\n")
    plan = plan_import(checked, decisions={"CSV:2": f"{Decision.MATCH}{existing.pk}"})
    assert plan.rows[0].status == Status.CHANGED
    commit_import(plan)
    existing.refresh_from_db()
    assert existing.founded_year == 2012 and existing.name == "Sensorbouw Vlaanderen"


def test_every_bad_cell_is_reported_with_sheet_row_and_column():
    plan = plan_import(
        _csv(
            "name,kind,founded_year,enterprise_number,helix_role\n"
            "Good one,company,2001,,business\n"
            "Bad year,company,soon,,business\n"
            "Bad number,company,2001,0123,business\n"
            "Bad kind,spaceship,2001,,business\n"
            "Too old,company,200,,business\n"
        )
    )
    errors = {(e.sheet, e.row, e.column) for e in plan.errors}
    assert errors == {
        ("CSV", 3, "founded_year"),
        ("CSV", 4, "enterprise_number"),
        ("CSV", 5, "kind"),
        ("CSV", 6, "founded_year"),
    }
    assert plan.rows[0].status == Status.NEW
    with pytest.raises(Exception):  # noqa: B017 - CommitFailed
        commit_import(plan)
    assert Organisation.objects.count() == 0


def test_the_same_record_twice_in_a_file_is_an_error():
    OrganisationFactory(slug="acme", name="Acme")
    plan = plan_import(_csv("slug,name\nacme,Acme\nacme,Acme again\n"))
    assert [(e.row, "Same record" in e.message) for e in plan.errors] == [(3, True)]


def test_cross_field_constraints_name_their_columns():
    plan = plan_import(_csv("title,kind,amount_min,amount_max\nBackwards,financial,5000,100\n"))
    [error] = plan.errors
    assert (error.row, error.column) == (2, "amount_min, amount_max")
