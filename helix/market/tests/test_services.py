"""Write use cases and their rights: who may create, edit, publish, respond, shortlist and follow up."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pghistory.models import Events

from helix.core.history import Channel, history_context
from helix.core.services import StaleVersion
from helix.market import services
from helix.market.models import Challenge, ChallengeOwner, Response
from tests.factories import ChallengeFactory, MunicipalityFactory, SolutionFactory

pytestmark = pytest.mark.django_db


def new_challenge(market, user, **data):
    return services.create_challenge(
        lead=market.gent,
        data={"title": "Smart parking", "description_en": "Too many cars circle for a spot.", **data},
        m2m={"domains": [market.mobility], "value_chain_roles_needed": [market.sensors]},
        user=user,
    )


def test_editor_creates_a_draft_for_their_municipality_and_is_its_lead(market):
    challenge = new_challenge(market, market.editor_gent, status="open")
    assert challenge.status == "draft"  # members always start with a draft
    assert challenge.published_at is None
    assert challenge.slug == "smart-parking"
    assert [(o.organisation, o.role) for o in challenge.ownerships.all()] == [(market.gent, "lead")]
    assert list(challenge.domains.all()) == [market.mobility]


def test_nobody_creates_a_challenge_for_an_organisation_they_do_not_edit(market, cast):
    with pytest.raises(PermissionDenied):
        new_challenge(market, cast.editor_a)
    with pytest.raises(PermissionDenied):
        new_challenge(market, market.editor_leuven)
    assert not Challenge.objects.exists()
    assert new_challenge(market, cast.curator).pk  # curators may


def test_terms_must_come_from_their_own_scheme(market):
    with pytest.raises(ValidationError) as error:
        services.create_challenge(
            lead=market.gent, data={"title": "Wrong"}, m2m={"domains": [market.sdg11]}, user=market.editor_gent
        )
    assert "domains" in error.value.message_dict
    assert not Challenge.objects.exists()


def test_co_owners_edit_the_challenge_but_only_the_lead_manages_owners(market, cast):
    challenge = new_challenge(market, market.editor_gent)
    with pytest.raises(PermissionDenied):
        services.add_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_leuven)
    services.add_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_gent)
    challenge = Challenge.objects.get(pk=challenge.pk)
    assert challenge.is_joint

    services.update_challenge(challenge=challenge, data={"title": "Smart parking together"}, user=market.editor_leuven)
    assert Challenge.objects.get(pk=challenge.pk).title == "Smart parking together"
    with pytest.raises(PermissionDenied):
        services.remove_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_leuven)
    with pytest.raises(ValidationError):
        services.remove_co_owner(challenge=challenge, organisation=market.gent, user=market.editor_gent)  # the lead stays
    with pytest.raises(ValidationError):
        services.add_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_gent)  # already
    services.remove_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_gent)
    assert not Challenge.objects.get(pk=challenge.pk).is_joint


def test_editor_of_another_organisation_cannot_edit_or_publish(market, cast):
    challenge = new_challenge(market, market.editor_gent)
    for user in (cast.editor_a, market.editor_leuven):
        with pytest.raises(PermissionDenied):
            services.update_challenge(challenge=challenge, data={"title": "Hijacked"}, user=user)
        with pytest.raises(PermissionDenied):
            services.publish_challenge(challenge=challenge, user=user)
    challenge.refresh_from_db()
    assert (challenge.title, challenge.status) == ("Smart parking", "draft")


def test_status_changes_go_through_their_own_use_cases(market):
    challenge = new_challenge(market, market.editor_gent)
    with pytest.raises(ValidationError):
        services.update_challenge(challenge=challenge, data={"status": "open"}, user=market.editor_gent)
    with pytest.raises(ValidationError):
        services.close_challenge(challenge=challenge, user=market.editor_gent)  # a draft cannot be closed

    services.publish_challenge(challenge=challenge, user=market.editor_gent)
    challenge.refresh_from_db()
    assert challenge.status == "open" and challenge.published_at is not None
    published = challenge.published_at
    services.close_challenge(challenge=challenge, user=market.editor_gent)
    services.reopen_challenge(challenge=challenge, user=market.editor_gent)
    services.award_challenge(challenge=challenge, user=market.editor_gent)
    challenge.refresh_from_db()
    assert challenge.status == "awarded" and challenge.published_at == published
    with pytest.raises(ValidationError):
        services.publish_challenge(challenge=challenge, user=market.editor_gent)


def test_publishing_needs_a_description_and_a_future_deadline(market):
    empty = services.create_challenge(lead=market.gent, data={"title": "Empty"}, user=market.editor_gent)
    with pytest.raises(ValidationError) as error:
        services.publish_challenge(challenge=empty, user=market.editor_gent)
    assert "description_nl" in error.value.message_dict
    late = new_challenge(market, market.editor_gent, title="Late", deadline=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.publish_challenge(challenge=late, user=market.editor_gent)
    assert "deadline" in error.value.message_dict


def test_budget_bounds_are_validated_before_writing(market):
    with pytest.raises(ValidationError):
        new_challenge(market, market.editor_gent, budget_min=Decimal("90000"), budget_max=Decimal("10000"))
    assert not Challenge.objects.exists()


def test_stale_edit_is_refused(market):
    challenge = new_challenge(market, market.editor_gent)
    services.update_challenge(challenge=challenge, data={"title": "First"}, user=market.editor_gent, expected_version=1)
    with pytest.raises(StaleVersion):
        services.update_challenge(challenge=challenge, data={"title": "Second"}, user=market.editor_gent, expected_version=1)


def test_solutions_belong_to_their_provider_and_reference_municipalities_only(market, cast):
    with pytest.raises(PermissionDenied):
        services.create_solution(organisation=cast.org_b, data={"title": "Not mine"}, user=cast.editor_a)
    with pytest.raises(ValidationError) as error:
        services.create_solution(
            organisation=cast.org_a, data={"title": "Sensors"}, m2m={"references": [cast.org_b]}, user=cast.editor_a
        )
    assert "references" in error.value.message_dict
    solution = services.create_solution(
        organisation=cast.org_a,
        data={"title": "Parking sensors", "open_standards": [" OSLO", "oslo", "NGSI-LD", ""]},
        m2m={"references": [market.gent]},
        user=cast.editor_a,
    )
    assert solution.organisation == cast.org_a
    assert solution.open_standards == ["OSLO", "NGSI-LD"]
    assert list(solution.references.all()) == [market.gent]
    with pytest.raises(PermissionDenied):
        services.update_solution(solution=solution, data={"title": "Mine now"}, user=cast.editor_b)
    with pytest.raises(PermissionDenied):
        services.update_solution(solution=solution, data={"organisation": cast.org_b}, user=cast.editor_a)
    services.update_solution(solution=solution, data={"title": "Parking sensors v2"}, user=cast.editor_a)
    with pytest.raises(PermissionDenied):
        services.archive_solution(solution=solution, user=cast.editor_b)


@pytest.fixture
def open_challenge(market):
    return ChallengeFactory(owners=[market.gent, market.leuven], title="Open challenge")


def test_respond_with_an_own_solution_to_an_open_challenge(market, cast, open_challenge):
    own = SolutionFactory(organisation=cast.org_a)
    other = SolutionFactory(organisation=cast.org_b)
    with pytest.raises(PermissionDenied):
        services.respond(challenge=open_challenge, solution=other, proposal="Theirs", user=cast.editor_a)
    with pytest.raises(ValidationError) as error:
        services.respond(challenge=open_challenge, solution=other, proposal="x", user=cast.curator, organisation=cast.org_a)
    assert "solution" in error.value.message_dict
    response = services.respond(challenge=open_challenge, solution=own, proposal="  We can help.  ", user=cast.editor_a)
    assert (response.organisation, response.proposal, response.status, response.outcome) == (
        cast.org_a,
        "We can help.",
        "submitted",
        "none",
    )
    with pytest.raises(ValidationError):
        services.respond(challenge=open_challenge, solution=own, proposal="Again", user=cast.editor_a)  # once per solution


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "draft", "published_at": None},
        {"status": "closed"},
        {"status": "awarded"},
        {"deadline": datetime.date(2020, 1, 1)},
        {"archived_at": timezone.now()},
    ],
)
def test_no_response_unless_the_challenge_is_open(market, cast, open_challenge, changes):
    Challenge.objects.filter(pk=open_challenge.pk).update(**changes)
    with pytest.raises(ValidationError) as error:
        solution = SolutionFactory(organisation=cast.org_a)
        services.respond(challenge=open_challenge, solution=solution, proposal="x", user=cast.editor_a)
    assert "challenge" in error.value.message_dict
    assert not Response.objects.exists()


def test_owners_do_not_respond_to_their_own_challenge(market, open_challenge):
    solution = SolutionFactory(organisation=market.leuven)
    with pytest.raises(ValidationError):
        services.respond(challenge=open_challenge, solution=solution, proposal="x", user=market.editor_leuven)


def test_only_owners_shortlist_and_either_side_records_the_outcome(market, cast, open_challenge):
    response = services.respond(
        challenge=open_challenge, solution=SolutionFactory(organisation=cast.org_a), proposal="x", user=cast.editor_a
    )
    for user in (cast.editor_a, cast.editor_b):
        with pytest.raises(PermissionDenied):
            services.shortlist_response(response=response, user=user)
    services.shortlist_response(response=response, user=market.editor_leuven)  # a co-owner
    services.reject_response(response=response, user=market.editor_gent)
    services.shortlist_response(response=response, user=cast.curator)
    assert Response.objects.get(pk=response.pk).status == "shortlisted"

    with pytest.raises(PermissionDenied):
        services.record_outcome(response=response, outcome="contact", user=cast.editor_b)
    services.record_outcome(response=response, outcome="contact", user=cast.editor_a)
    services.record_outcome(response=response, outcome="agreement", user=market.editor_gent)
    response.refresh_from_db()
    assert response.outcome == "agreement" and response.outcome_noted_at is not None
    with pytest.raises(ValidationError):
        services.record_outcome(response=response, outcome="married", user=market.editor_gent)

    with pytest.raises(PermissionDenied):
        services.withdraw_response(response=response, user=market.editor_gent)  # the owners cannot withdraw it
    services.withdraw_response(response=response, user=cast.editor_a)
    with pytest.raises(ValidationError):
        services.shortlist_response(response=response, user=market.editor_gent)  # withdrawn stays withdrawn


def test_writes_are_recorded_in_history_with_their_channel(market, cast, open_challenge):
    with history_context(channel=Channel.API, user=market.editor_gent) as batch:
        challenge = new_challenge(market, market.editor_gent)
        services.add_co_owner(challenge=challenge, organisation=market.leuven, user=market.editor_gent)
    with history_context(channel=Channel.WEB, user=cast.editor_a):
        response = services.respond(
            challenge=open_challenge, solution=SolutionFactory(organisation=cast.org_a), proposal="x", user=cast.editor_a
        )
    challenge_events = Events.objects.tracks(challenge)
    assert [e.pgh_context["channel"] for e in challenge_events] == ["api"]
    assert challenge_events[0].pgh_context["batch"] == batch
    owner_events = Events.objects.tracks(ChallengeOwner.objects.get(challenge=challenge, organisation=market.leuven))
    assert owner_events[0].pgh_context["username"] == "editor-gent"
    response_events = Events.objects.tracks(response)
    assert [(e.pgh_label, e.pgh_context["channel"]) for e in response_events] == [("insert", "web")]


def test_set_owners_replaces_the_lead_and_co_owners(market):
    challenge = ChallengeFactory(owners=[market.gent, market.leuven])
    bruges = MunicipalityFactory(name="Brugge")
    services.set_owners(challenge=challenge, lead=market.leuven, co_owners=[bruges], user=None)
    owners = {(o.organisation.name, o.role) for o in ChallengeOwner.objects.filter(challenge=challenge)}
    assert owners == {("Leuven", "lead"), ("Brugge", "co_owner")}
