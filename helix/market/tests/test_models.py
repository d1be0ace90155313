"""Invariants of the marketplace models: database constraints, derived flags, visibility."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from helix.market.models import Challenge, ChallengeOwner, Response, Solution, is_startup
from tests.factories import ChallengeFactory, OrganisationFactory, ResponseFactory, SolutionFactory

pytestmark = pytest.mark.django_db


def violates(**changes) -> bool:
    challenge = ChallengeFactory()
    try:
        with transaction.atomic():
            Challenge.objects.filter(pk=challenge.pk).update(**changes)
    except IntegrityError:
        return True
    return False


def test_budget_bounds_are_ordered_and_not_negative_in_the_database(market):
    assert violates(budget_min=Decimal("50000"), budget_max=Decimal("10000"))
    assert violates(budget_min=Decimal("-1"))
    assert not violates(budget_min=Decimal("10000"), budget_max=Decimal("10000"))
    assert not violates(budget_min=None, budget_max=Decimal("5"))


def test_a_published_challenge_has_a_publication_date(market):
    assert violates(status="open", published_at=None)
    assert not violates(status="draft", published_at=None)


def test_one_lead_per_challenge_and_each_owner_once(market):
    challenge = ChallengeFactory(owners=[market.gent])
    with pytest.raises(IntegrityError), transaction.atomic():
        ChallengeOwner.objects.create(challenge=challenge, organisation=market.leuven, role="lead")
    with pytest.raises(IntegrityError), transaction.atomic():
        ChallengeOwner.objects.create(challenge=challenge, organisation=market.gent, role="co_owner")
    ChallengeOwner.objects.create(challenge=challenge, organisation=market.leuven, role="co_owner")


def test_joint_challenge_and_lead_owner(market):
    alone = ChallengeFactory(owners=[market.gent])
    joint = ChallengeFactory(owners=[market.leuven, market.gent])
    assert not alone.is_joint
    assert joint.is_joint
    assert joint.lead_owner == market.leuven
    assert joint.owner_organisations == [market.leuven, market.gent]


def test_one_response_per_solution_and_challenge_and_outcomes_carry_a_date(market):
    response = ResponseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            challenge=response.challenge, solution=response.solution, organisation=response.organisation, proposal="again"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.filter(pk=response.pk).update(outcome="contact", outcome_noted_at=None)


def test_startup_flag_comes_from_the_registry():
    today = datetime.date(2026, 6, 1)
    assert is_startup(OrganisationFactory.build(kind="company", subkind="start-up"), today=today)
    assert is_startup(OrganisationFactory.build(kind="company", founded_year=2021), today=today)
    assert not is_startup(OrganisationFactory.build(kind="company", founded_year=2020), today=today)
    assert not is_startup(OrganisationFactory.build(kind="company"), today=today)
    assert not is_startup(OrganisationFactory.build(kind="knowledge_institution", founded_year=2025), today=today)


def test_startup_filter_matches_the_flag(market):
    year = timezone.localdate().year
    young = SolutionFactory(organisation=OrganisationFactory(founded_year=year - 1))
    named = SolutionFactory(organisation=OrganisationFactory(subkind="Startup"))
    SolutionFactory(organisation=OrganisationFactory(founded_year=year - 30))
    assert set(Solution.objects.startups()) == {young, named}
    assert young.is_startup and named.is_startup


def test_drafts_are_visible_to_their_owners_editors_and_curators_only(market, cast):
    draft = ChallengeFactory(owners=[market.gent, market.leuven], status="draft", published_at=None)
    public = ChallengeFactory(owners=[market.gent])
    assert set(Challenge.objects.visible_to(None)) == {public}
    assert set(Challenge.objects.visible_to(cast.editor_a)) == {public}
    assert set(Challenge.objects.visible_to(market.editor_gent)) == {draft, public}
    assert set(Challenge.objects.visible_to(market.editor_leuven)) == {draft, public}  # co-owner
    assert set(Challenge.objects.visible_to(cast.curator)) == {draft, public}


def test_responses_are_visible_to_both_parties_and_curators_only(market, cast):
    challenge = ChallengeFactory(owners=[market.gent, market.leuven])
    response = ResponseFactory(challenge=challenge, solution=SolutionFactory(organisation=cast.org_a))
    assert list(Response.objects.visible_to(None)) == []
    assert list(Response.objects.visible_to(cast.editor_b)) == []
    for user in (cast.editor_a, market.editor_gent, market.editor_leuven, cast.curator):
        assert list(Response.objects.visible_to(user)) == [response]
