"""Write use cases of the marketplace. Every entry point (page, API, import, command) calls these
inside `helix.core.history.history_context`; rights are checked here (`user=None` means a trusted
channel, such as a curator's import, whose rights were checked before).

PermissionDenied: the user lacks the right (403). ValidationError: the change breaks a rule
(the message says which); nothing is written then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.actors.services import unique_slug
from helix.core.models import Term
from helix.core.permissions import can_edit_organisation, is_curator
from helix.core.services import archive_record, restore_record, save_record

from .choices import ChallengeStatus, OwnerRole, ResponseOutcome, ResponseStatus
from .models import Challenge, ChallengeOwner, Response, Solution
from .permissions import (
    can_edit_challenge,
    can_edit_solution,
    can_manage_owners,
    can_review_response,
    can_see_response,
    can_withdraw_response,
    challenge_owner_ids,
)

# Scheme of the terms each taxonomy field takes (helix.core.models.Term).
CHALLENGE_TERM_SCHEMES = {
    "domains": "domains",
    "sdgs": "sdgs",
    "value_chain_roles_needed": "value-chain-roles",
    "phase_sought": "phases",
}
SOLUTION_TERM_SCHEMES = {"domains": "domains", "sdgs": "sdgs", "value_chain_roles": "value-chain-roles", "maturity": "phases"}
# Status changes go through publish/close/award/reopen, never through an edit.
LIFECYCLE_FIELDS = ("status", "published_at")


def _deny(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_terms(schemes: Mapping[str, str], data: Mapping[str, Any], m2m: Mapping[str, Iterable[Any]]) -> None:
    """Every taxonomy value comes from its own scheme (a domain is not an SDG): one query a field."""
    errors: dict[str, str] = {}
    for field, scheme in schemes.items():
        if field in m2m:
            given = list(m2m[field])
        elif data.get(field) is not None:
            given = [data[field]]
        else:
            continue
        if all(isinstance(term, Term) for term in given):
            ids = {term.pk for term in given}
            wrong = bool(ids) and Term.objects.filter(pk__in=ids, scheme__slug=scheme).count() != len(ids)
        else:
            wrong = True
        if wrong:
            errors[field] = _("Choose terms of the “%(scheme)s” scheme.") % {"scheme": scheme}
    if errors:
        raise ValidationError(errors)


def _check_live(organisation: Organisation, field: str) -> None:
    if organisation.archived_at is not None:
        raise ValidationError({field: _("“%(name)s” is archived; choose a current organisation.") % {"name": organisation}})


def _standards(values: Iterable[str]) -> list[str]:
    """Open standards as short labels, without blanks and repeats (compared case-insensitively)."""
    seen: set[str] = set()
    result = []
    for value in values:
        label = str(value).strip()
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            result.append(label)
    return result


# --- Challenges ------------------------------------------------------------------------------


@transaction.atomic
def create_challenge(
    *,
    lead: Organisation,
    data: Mapping[str, Any],
    user: Any,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    co_owners: Iterable[Organisation] = (),
) -> Challenge:
    """A new challenge owned by `lead` (and `co_owners`: then it is a joint challenge).

    Members create drafts for organisations they edit; trusted channels (imports) may also set
    the status, and a challenge that is not a draft gets its publication date.
    """
    if user is not None:
        _deny(can_edit_organisation(user, lead.pk), _("You may only publish challenges for organisations you edit."))
    _check_live(lead, "lead")
    changes = dict(data)
    m2m = dict(m2m or {})
    if user is not None:
        changes["status"] = ChallengeStatus.DRAFT
    changes.setdefault("status", ChallengeStatus.DRAFT)
    if changes["status"] != ChallengeStatus.DRAFT and not changes.get("published_at"):
        changes["published_at"] = timezone.now()
    _check_terms(CHALLENGE_TERM_SCHEMES, changes, m2m)
    slug = changes.pop("slug", None) or unique_slug(Challenge, str(changes.get("title", "")))
    challenge = save_record(Challenge(slug=slug), changes=changes, m2m=m2m, user=None)  # rights checked above
    ChallengeOwner.objects.create(challenge=challenge, organisation=lead, role=OwnerRole.LEAD)
    for organisation in co_owners:
        if organisation.pk != lead.pk:
            _check_live(organisation, "co_owners")
            ChallengeOwner.objects.get_or_create(
                challenge=challenge, organisation=organisation, defaults={"role": OwnerRole.CO_OWNER}
            )
    return challenge


@transaction.atomic
def update_challenge(
    *,
    challenge: Challenge,
    data: Mapping[str, Any],
    user: Any,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> Challenge:
    """Save an edit by an owner's editor; StaleVersion when someone saved since `expected_version`."""
    changes = dict(data)
    m2m = dict(m2m or {})
    if user is not None:
        _deny(can_edit_challenge(user, challenge), _("Only the owners of a challenge may edit it."))
        if any(field in changes for field in LIFECYCLE_FIELDS):
            raise ValidationError({"status": _("Publish, close or award the challenge with its own buttons.")})
    elif changes.get("status", ChallengeStatus.DRAFT) != ChallengeStatus.DRAFT and challenge.published_at is None:
        changes.setdefault("published_at", timezone.now())
    _check_terms(CHALLENGE_TERM_SCHEMES, changes, m2m)
    return save_record(challenge, changes=changes, m2m=m2m, user=None, expected_version=expected_version)


@transaction.atomic
def add_co_owner(*, challenge: Challenge, organisation: Organisation, user: Any) -> ChallengeOwner:
    """Make the challenge joint: another organisation owns it too (its editors may then edit it)."""
    if user is not None:
        _deny(can_manage_owners(user, challenge), _("Only the lead owner's editors may add co-owners."))
    _check_live(organisation, "organisation")
    if ChallengeOwner.objects.filter(challenge=challenge, organisation=organisation).exists():
        raise ValidationError({"organisation": _("“%(name)s” already owns this challenge.") % {"name": organisation}})
    return ChallengeOwner.objects.create(challenge=challenge, organisation=organisation, role=OwnerRole.CO_OWNER)


@transaction.atomic
def remove_co_owner(*, challenge: Challenge, organisation: Organisation, user: Any) -> None:
    if user is not None:
        _deny(can_manage_owners(user, challenge), _("Only the lead owner's editors may remove co-owners."))
    found = ChallengeOwner.objects.filter(challenge=challenge, organisation=organisation).first()
    if found is None:
        raise ValidationError({"organisation": _("“%(name)s” does not own this challenge.") % {"name": organisation}})
    if found.role == OwnerRole.LEAD:
        raise ValidationError({"organisation": _("The lead owner cannot be removed.")})
    found.delete()


@transaction.atomic
def set_owners(*, challenge: Challenge, lead: Organisation, co_owners: Iterable[Organisation], user: Any) -> None:
    """Replace the owners (used by imports): `lead` leads, `co_owners` co-own, others are removed."""
    if user is not None:
        _deny(can_manage_owners(user, challenge), _("Only the lead owner's editors may change the owners."))
    wanted = {o.pk: OwnerRole.CO_OWNER for o in co_owners} | {lead.pk: OwnerRole.LEAD}
    current = {o.organisation_id: o for o in ChallengeOwner.objects.filter(challenge=challenge)}
    for organisation_id, owner in current.items():
        if organisation_id not in wanted:
            owner.delete()
        elif owner.role == OwnerRole.LEAD and wanted[organisation_id] != OwnerRole.LEAD:
            owner.role = OwnerRole.CO_OWNER  # demoted first: one lead at a time
            owner.save(update_fields=["role"])
    for organisation_id, role in wanted.items():
        existing = current.get(organisation_id)
        if existing is None:
            ChallengeOwner.objects.create(challenge=challenge, organisation_id=organisation_id, role=role)
        elif existing.role != role:
            existing.role = role
            existing.save(update_fields=["role"])
    if hasattr(challenge, "_prefetched_objects_cache"):
        challenge._prefetched_objects_cache.pop("ownerships", None)


def _transition(challenge: Challenge, *, user: Any, allowed: set[str], to: ChallengeStatus, verb: str) -> Challenge:
    if user is not None:
        _deny(can_edit_challenge(user, challenge), _("Only the owners of a challenge may change its status."))
    if challenge.status not in allowed:
        raise ValidationError(
            {
                "status": _("A challenge that is “%(status)s” cannot be %(verb)s.")
                % {"status": challenge.get_status_display(), "verb": verb}
            },
            code="invalid_transition",
        )
    changes: dict[str, Any] = {"status": to}
    if challenge.published_at is None:
        changes["published_at"] = timezone.now()
    return save_record(challenge, changes=changes, user=None)


@transaction.atomic
def publish_challenge(*, challenge: Challenge, user: Any) -> Challenge:
    """Draft -> open: the challenge becomes public and organisations may respond."""
    if user is not None:
        _deny(can_edit_challenge(user, challenge), _("Only the owners of a challenge may change its status."))
    if not (challenge.description_nl.strip() or challenge.description_en.strip()):
        raise ValidationError({"description_nl": _("Describe the problem (in Dutch or English) before publishing.")})
    if challenge.deadline_passed:
        raise ValidationError({"deadline": _("The deadline has passed; set a later one before publishing.")})
    return _transition(challenge, user=user, allowed={ChallengeStatus.DRAFT}, to=ChallengeStatus.OPEN, verb=_("published"))


@transaction.atomic
def close_challenge(*, challenge: Challenge, user: Any) -> Challenge:
    """Open -> closed: no new responses; the owners review what came in."""
    return _transition(challenge, user=user, allowed={ChallengeStatus.OPEN}, to=ChallengeStatus.CLOSED, verb=_("closed"))


@transaction.atomic
def reopen_challenge(*, challenge: Challenge, user: Any) -> Challenge:
    return _transition(challenge, user=user, allowed={ChallengeStatus.CLOSED}, to=ChallengeStatus.OPEN, verb=_("reopened"))


@transaction.atomic
def award_challenge(*, challenge: Challenge, user: Any) -> Challenge:
    """Open or closed -> awarded: the owners chose a solution."""
    return _transition(
        challenge,
        user=user,
        allowed={ChallengeStatus.OPEN, ChallengeStatus.CLOSED},
        to=ChallengeStatus.AWARDED,
        verb=_("awarded"),
    )


@transaction.atomic
def archive_challenge(*, challenge: Challenge, user: Any) -> None:
    if user is not None:
        _deny(can_edit_challenge(user, challenge), _("Only the owners of a challenge may archive it."))
    archive_record(challenge)


@transaction.atomic
def restore_challenge(*, challenge: Challenge, user: Any) -> None:
    if user is not None:
        _deny(is_curator(user), _("Only curators may restore records."))
    restore_record(challenge)


# --- Solutions -------------------------------------------------------------------------------


def _check_references(m2m: Mapping[str, Iterable[Any]]) -> None:
    if "references" not in m2m:
        return
    wrong = [str(o) for o in m2m["references"] if getattr(o, "kind", None) != OrganisationKind.MUNICIPALITY]
    if wrong:
        raise ValidationError(
            {
                "references": _("References are municipalities where the solution runs; not: %(names)s.")
                % {"names": ", ".join(wrong)}
            }
        )


@transaction.atomic
def create_solution(
    *, organisation: Organisation, data: Mapping[str, Any], user: Any, m2m: Mapping[str, Iterable[Any]] | None = None
) -> Solution:
    """A new solution offered by `organisation` (its editors, or curators)."""
    if user is not None:
        _deny(can_edit_organisation(user, organisation.pk), _("You may only add solutions of organisations you edit."))
    _check_live(organisation, "organisation")
    changes = dict(data)
    m2m = dict(m2m or {})
    if "open_standards" in changes:
        changes["open_standards"] = _standards(changes["open_standards"] or [])
    _check_terms(SOLUTION_TERM_SCHEMES, changes, m2m)
    _check_references(m2m)
    slug = changes.pop("slug", None) or unique_slug(Solution, str(changes.get("title", "")))
    changes["organisation"] = organisation
    return save_record(Solution(slug=slug), changes=changes, m2m=m2m, user=None)


@transaction.atomic
def update_solution(
    *,
    solution: Solution,
    data: Mapping[str, Any],
    user: Any,
    m2m: Mapping[str, Iterable[Any]] | None = None,
    expected_version: int | None = None,
) -> Solution:
    changes = dict(data)
    m2m = dict(m2m or {})
    if user is not None:
        _deny(can_edit_solution(user, solution), _("Only the provider's editors may edit this solution."))
        provider = changes.get("organisation")
        if provider is not None and provider.pk != solution.organisation_id:
            _deny(can_edit_organisation(user, provider.pk), _("You may only move a solution to an organisation you edit."))
    if changes.get("organisation") is not None:
        _check_live(changes["organisation"], "organisation")
    if "open_standards" in changes:
        changes["open_standards"] = _standards(changes["open_standards"] or [])
    _check_terms(SOLUTION_TERM_SCHEMES, changes, m2m)
    _check_references(m2m)
    return save_record(solution, changes=changes, m2m=m2m, user=None, expected_version=expected_version)


@transaction.atomic
def archive_solution(*, solution: Solution, user: Any) -> None:
    if user is not None:
        _deny(can_edit_solution(user, solution), _("Only the provider's editors may archive this solution."))
    archive_record(solution)


@transaction.atomic
def restore_solution(*, solution: Solution, user: Any) -> None:
    if user is not None:
        _deny(is_curator(user), _("Only curators may restore records."))
    restore_record(solution)


# --- Responses -------------------------------------------------------------------------------


@transaction.atomic
def respond(
    *, challenge: Challenge, solution: Solution, proposal: str, user: Any, organisation: Organisation | None = None
) -> Response:
    """`solution`'s organisation answers `challenge` with a short proposal.

    Only to open challenges before their deadline, only with the responder's own, current
    solutions, once per solution; owners do not respond to their own challenge.
    """
    responder = organisation or solution.organisation
    if user is not None:
        _deny(can_edit_organisation(user, responder.pk), _("You may only respond for organisations you edit."))
    if solution.organisation_id != responder.pk:
        raise ValidationError({"solution": _("The solution must be one of the responding organisation's own solutions.")})
    if solution.archived_at is not None:
        raise ValidationError({"solution": _("This solution is archived.")})
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)  # no response slips past a close
    if locked.archived_at is not None or not locked.accepts_responses:
        raise ValidationError(
            {"challenge": _("This challenge does not accept responses: it is not open, or its deadline has passed.")}
        )
    if responder.pk in challenge_owner_ids(locked):
        raise ValidationError({"challenge": _("Owners do not respond to their own challenge.")})
    response = Response(challenge=locked, solution=solution, organisation=responder, proposal=proposal.strip())
    response.full_clean()
    response.save()
    return response


def _set_status(response: Response, status: ResponseStatus, *, allowed: set[str]) -> Response:
    if response.status not in allowed:
        raise ValidationError(
            {
                "status": _("A response that is “%(status)s” cannot be changed like this.")
                % {"status": response.get_status_display()}
            },
            code="invalid_transition",
        )
    response.status = status
    response.updated_at = timezone.now()
    response.save(update_fields=["status", "updated_at"])
    return response


@transaction.atomic
def shortlist_response(*, response: Response, user: Any) -> Response:
    if user is not None:
        _deny(can_review_response(user, response), _("Only the challenge owners may shortlist responses."))
    return _set_status(response, ResponseStatus.SHORTLISTED, allowed={ResponseStatus.SUBMITTED, ResponseStatus.REJECTED})


@transaction.atomic
def reject_response(*, response: Response, user: Any) -> Response:
    if user is not None:
        _deny(can_review_response(user, response), _("Only the challenge owners may decline responses."))
    return _set_status(response, ResponseStatus.REJECTED, allowed={ResponseStatus.SUBMITTED, ResponseStatus.SHORTLISTED})


@transaction.atomic
def withdraw_response(*, response: Response, user: Any) -> Response:
    if user is not None:
        _deny(can_withdraw_response(user, response), _("Only the responding organisation may withdraw its response."))
    return _set_status(response, ResponseStatus.WITHDRAWN, allowed={ResponseStatus.SUBMITTED, ResponseStatus.SHORTLISTED})


@transaction.atomic
def record_outcome(*, response: Response, outcome: ResponseOutcome | str, user: Any) -> Response:
    """What came of a response (either side notes it), so Helix learns which matches led somewhere."""
    if user is not None:
        _deny(can_see_response(user, response), _("Only the two parties of a response may record its outcome."))
    if outcome not in ResponseOutcome.values:
        raise ValidationError({"outcome": _("Unknown outcome “%(value)s”.") % {"value": outcome}})
    response.outcome = ResponseOutcome(outcome)
    response.outcome_noted_at = None if outcome == ResponseOutcome.NONE else timezone.now()
    response.updated_at = timezone.now()
    response.save(update_fields=["outcome", "outcome_noted_at", "updated_at"])
    return response
