"""Write pages of the marketplace: challenge and solution forms, co-owners, status changes,
responding, and the owners' review of responses (thin views over helix.market.services).

Anonymous users are sent to sign in; what the user may not see answers 404; what they see but
may not change answers 403. The history context comes from the middleware (channel "web").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.core.editing import RecordActionView, RecordFormView, apply_validation_error
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.services import validation_messages

from . import services
from .choices import OwnerRole
from .forms import ChallengeCreateForm, ChallengeForm, CoOwnerForm, OutcomeForm, RespondForm, SolutionForm
from .models import Challenge, Response, Solution
from .permissions import can_edit_challenge, can_manage_owners, can_review_response
from .views import visible_challenge

CHALLENGE_DETAIL = "market:challenge-detail"
SOLUTION_DETAIL = "market:solution-detail"


def _may_create(user: Any) -> None:
    if not (is_curator(user) or organisation_ids_for(user)):
        raise PermissionDenied(_("Only members of an organisation can add to the marketplace."))


def _editable_challenge(user: Any, slug: str) -> Challenge:
    challenge = visible_challenge(user, slug)
    if not can_edit_challenge(user, challenge):
        raise PermissionDenied(_("Only the owners of a challenge may change it."))
    return challenge


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in validation_messages(error):
        messages.error(request, message.split(": ", 1)[-1])


# --- Challenges -------------------------------------------------------------------------------


class ChallengeEditView(RecordFormView):
    model = Challenge
    template_name = "market/challenge_form.html"
    detail_url_name = CHALLENGE_DETAIL

    def get_form_class(self) -> Any:
        return ChallengeForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_object(self) -> Any:
        if self.creating:
            self.check_create()
            return None
        return _editable_challenge(self.request.user, self.kwargs["slug"])

    def save(self, form: Any, obj: Any) -> Challenge:
        data, m2m = form.model_changes()
        return services.update_challenge(
            challenge=obj, data=data, m2m=m2m, user=self.request.user, expected_version=form.cleaned_data.get("version")
        )


class ChallengeCreateView(ChallengeEditView):
    """A new challenge starts as a draft: only its owners see it until they publish it."""

    creating = True

    def get_form_class(self) -> Any:
        return ChallengeCreateForm

    def check_create(self) -> None:
        _may_create(self.request.user)

    def save(self, form: Any, obj: Any) -> Challenge:
        data, m2m = form.model_changes()
        return services.create_challenge(lead=form.cleaned_data["lead"], data=data, m2m=m2m, user=self.request.user)


CHALLENGE_ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "publish": (services.publish_challenge, gettext_lazy("“%(name)s” is published: organisations can now respond.")),
    "close": (services.close_challenge, gettext_lazy("“%(name)s” is closed for responses.")),
    "reopen": (services.reopen_challenge, gettext_lazy("“%(name)s” is open for responses again.")),
    "award": (services.award_challenge, gettext_lazy("“%(name)s” is marked as awarded.")),
}


@require_POST
@login_required
def challenge_status(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in CHALLENGE_ACTIONS:
        raise Http404
    challenge = _editable_challenge(request.user, slug)
    service, message = CHALLENGE_ACTIONS[action]
    try:
        service(challenge=challenge, user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, str(message) % {"name": challenge})
    return HttpResponseRedirect(challenge.get_absolute_url())


@require_POST
@login_required
def challenge_archive(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _editable_challenge(request.user, slug)
    services.archive_challenge(challenge=challenge, user=request.user)
    messages.success(request, _("“%(name)s” is archived. A curator can restore it.") % {"name": challenge})
    return HttpResponseRedirect(reverse("market:home"))


@login_required
def challenge_owners(request: HttpRequest, slug: str) -> HttpResponse:
    """Who owns the challenge; the lead's editors add and remove co-owners (a joint challenge)."""
    challenge = _editable_challenge(request.user, slug)
    manage = can_manage_owners(request.user, challenge)
    form = CoOwnerForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("Only the lead owner's editors may add co-owners."))
        if form.is_valid():
            try:
                services.add_co_owner(challenge=challenge, organisation=form.cleaned_data["organisation"], user=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, _("“%(name)s” now co-owns this challenge.") % {"name": form.cleaned_data["organisation"]}
                )
                return HttpResponseRedirect(reverse("market:challenge-owners", kwargs={"slug": slug}))
    context = {
        "challenge": challenge,
        "owners": challenge.owner_links,
        "form": form,
        "can_manage": manage,
        "lead": OwnerRole.LEAD,
    }
    return render(request, "market/challenge_owners.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def challenge_owner_remove(request: HttpRequest, slug: str, organisation: str) -> HttpResponse:
    challenge = _editable_challenge(request.user, slug)
    owner = next((o for o in challenge.ownerships.all() if o.organisation.slug == organisation), None)
    if owner is None:
        raise Http404
    try:
        services.remove_co_owner(challenge=challenge, organisation=owner.organisation, user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("“%(name)s” no longer co-owns this challenge.") % {"name": owner.organisation})
    return HttpResponseRedirect(reverse("market:challenge-owners", kwargs={"slug": slug}))


# --- Responding -------------------------------------------------------------------------------


@login_required
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    """Answer an open challenge with one of your organisations' solutions and a short proposal."""
    challenge = visible_challenge(request.user, slug)
    owners = {o.organisation_id for o in challenge.ownerships.all()}
    organisations = organisation_ids_for(request.user) - owners
    answered = Response.objects.filter(challenge=challenge).values("solution_id")
    solutions = (
        Solution.objects.live()
        .filter(organisation_id__in=organisations)
        .exclude(pk__in=answered)
        .select_related("organisation")
        .order_by("title", "id")
    )
    form = RespondForm(request.POST or None, solutions=solutions)
    status = 200
    if request.method == "POST":
        if not organisations:
            raise PermissionDenied(_("You may only respond for organisations you edit."))
        if form.is_valid():
            try:
                services.respond(
                    challenge=challenge,
                    solution=form.cleaned_data["solution"],
                    proposal=form.cleaned_data["proposal"],
                    user=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your response is sent to the owners of “%(name)s”.") % {"name": challenge})
                return HttpResponseRedirect(challenge.get_absolute_url() + "#own-responses")
        status = 400
    context = {
        "challenge": challenge,
        "form": form,
        "has_solutions": solutions.exists(),
        "member": bool(organisations),
    }
    return render(request, "market/respond.html", context, status=status)


@login_required
def challenge_responses(request: HttpRequest, slug: str) -> HttpResponse:
    """The owners' list of responses: shortlist, decline, note the outcome."""
    challenge = _editable_challenge(request.user, slug)
    responses = list(challenge.responses.select_related("solution", "organisation").order_by("-created_at", "-id"))
    for response in responses:
        response.outcome_form = OutcomeForm(initial={"outcome": response.outcome}, prefix=f"r{response.pk}")  # type: ignore[attr-defined]
    return render(request, "market/challenge_responses.html", {"challenge": challenge, "responses": responses})


def _visible_response(request: HttpRequest, pk: int) -> Response:
    return get_object_or_404(
        Response.objects.visible_to(request.user).select_related("challenge", "solution", "organisation"), pk=pk
    )


def _back(request: HttpRequest, response: Response) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    if can_review_response(request.user, response):
        return HttpResponseRedirect(reverse("market:challenge-responses", kwargs={"slug": response.challenge.slug}))
    return HttpResponseRedirect(response.challenge.get_absolute_url() + "#own-responses")


RESPONSE_ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "shortlist": (services.shortlist_response, gettext_lazy("The response of %(name)s is shortlisted.")),
    "reject": (services.reject_response, gettext_lazy("The response of %(name)s is marked as not retained.")),
    "withdraw": (services.withdraw_response, gettext_lazy("The response of %(name)s is withdrawn.")),
}


@require_POST
@login_required
def response_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in RESPONSE_ACTIONS:
        raise Http404
    response = _visible_response(request, pk)
    service, message = RESPONSE_ACTIONS[action]
    try:
        service(response=response, user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, str(message) % {"name": response.organisation})
    return _back(request, response)


@require_POST
@login_required
def response_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    response = _visible_response(request, pk)
    form = OutcomeForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the outcomes in the list."))
        return _back(request, response)
    try:
        services.record_outcome(response=response, outcome=form.cleaned_data["outcome"], user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Outcome saved: %(outcome)s.") % {"outcome": response.get_outcome_display()})
    return _back(request, response)


# --- Solutions -------------------------------------------------------------------------------


class SolutionEditView(RecordFormView):
    model = Solution
    template_name = "market/solution_form.html"
    detail_url_name = SOLUTION_DETAIL

    def get_form_class(self) -> Any:
        return SolutionForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def save(self, form: Any, obj: Any) -> Solution:
        data, m2m = form.model_changes()
        return services.update_solution(
            solution=obj, data=data, m2m=m2m, user=self.request.user, expected_version=form.cleaned_data.get("version")
        )


class SolutionCreateView(SolutionEditView):
    creating = True

    def check_create(self) -> None:
        _may_create(self.request.user)

    def save(self, form: Any, obj: Any) -> Solution:
        data, m2m = form.model_changes()
        organisation = data.pop("organisation")
        return services.create_solution(organisation=organisation, data=data, m2m=m2m, user=self.request.user)


class SolutionArchiveView(RecordActionView):
    model = Solution
    detail_url_name = SOLUTION_DETAIL
    action = staticmethod(services.archive_solution)
    success_message = gettext_lazy("“%(name)s” is archived. A curator can restore it.")

    def next_url(self, obj: Any) -> str:
        return reverse("market:solution-list")
