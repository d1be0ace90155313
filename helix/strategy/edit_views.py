"""Write pages of the strategy monitor: progress updates and actions (owners' editors and
curators), owners of a recommendation and indicators (curators), measurements of manual
indicators (curators and owners of a linked recommendation). Thin views over `services`.

Anonymous users are sent to sign in; what the user may not see answers 404 (an archived
recommendation for a non-curator); what they see but may not change answers 403. The history
context comes from the middleware (channel "web").
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actors.models import Organisation
from helix.core.permissions import is_curator
from helix.core.views import get_visible_or_404

from . import services
from .forms import ActionForm, IndicatorForm, MeasurementForm, OwnerForm, ProgressForm
from .indicators import states, suggest
from .models import Action, Indicator, Recommendation


def _recommendation(request: HttpRequest, slug: str) -> Recommendation:
    return get_visible_or_404(Recommendation.objects.select_related("cluster"), request.user, slug=slug)


def _apply(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _owner_choices(user: Any, rec: Recommendation) -> list[Organisation]:
    """The owner organisations the user may act for: all owners for curators, their own otherwise."""
    ids = services.owner_ids(rec) if is_curator(user) else services.owned_for(user, rec)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
def progress_create(request: HttpRequest, slug: str) -> HttpResponse:
    rec = _recommendation(request, slug)
    if not services.can_record_progress(request.user, rec):
        raise PermissionDenied(_("Only the owners of a recommendation and curators record its progress."))
    organisations = [] if is_curator(request.user) else _owner_choices(request.user, rec)
    form = ProgressForm(request.POST or None, organisations=organisations)
    indicator_states = states(rec.indicators.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_progress(
                recommendation=rec,
                status=data["status"],
                justification=data["justification"],
                evidence=data["evidence"],
                as_of=data["as_of"],
                organisation=data.get("organisation"),
                override_reason=data["override_reason"],
                user=request.user,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Progress recorded."))
            return HttpResponseRedirect(rec.get_absolute_url() + "#progress-heading")
    context = {"rec": rec, "form": form, "indicator_states": indicator_states, "suggested": suggest(indicator_states)}
    return render(request, "strategy/progress_form.html", context)


@login_required
def action_create(request: HttpRequest, slug: str) -> HttpResponse:
    rec = _recommendation(request, slug)
    organisations = _owner_choices(request.user, rec)
    if not organisations:
        raise PermissionDenied(_("Only the owners of a recommendation and curators add actions to it."))
    form = ActionForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(recommendation=rec, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Action added."))
            return HttpResponseRedirect(rec.get_absolute_url() + "#actions-heading")
    return render(request, "strategy/action_form.html", {"rec": rec, "form": form, "action": None})


def _action(request: HttpRequest, pk: int) -> Action:
    action = get_object_or_404(Action.objects.select_related("recommendation", "organisation"), pk=pk)
    _recommendation(request, action.recommendation.slug)  # 404 when the recommendation is archived
    if not services.can_manage_action(request.user, action):
        raise PermissionDenied(_("Only the owner of an action and curators change it."))
    return action


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    rec = action.recommendation
    organisations = list(Organisation.objects.filter(pk__in=services.owner_ids(rec)).order_by("name"))
    initial = {
        "title": action.title,
        "organisation": action.organisation,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
    }
    form = ActionForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Action saved."))
            return HttpResponseRedirect(rec.get_absolute_url() + "#actions-heading")
    return render(request, "strategy/action_form.html", {"rec": rec, "form": form, "action": action})


@require_POST
@login_required
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    services.delete_action(action=action, user=request.user)
    messages.success(request, _("Action removed."))
    return HttpResponseRedirect(action.recommendation.get_absolute_url() + "#actions-heading")


@login_required
def owners(request: HttpRequest, slug: str) -> HttpResponse:
    """The owners of a recommendation; curators add and remove them."""
    rec = _recommendation(request, slug)
    if not is_curator(request.user):
        raise PermissionDenied(_("Only curators assign the owners of a recommendation."))
    form = OwnerForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            organisation = get_object_or_404(Organisation, slug=request.POST["remove"])
            services.remove_owner(recommendation=rec, organisation=organisation, user=request.user)
            messages.success(request, _("%(name)s no longer owns this recommendation.") % {"name": organisation})
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            services.assign_owner(recommendation=rec, organisation=organisation, user=request.user)
            messages.success(request, _("%(name)s now owns this recommendation.") % {"name": organisation})
            return HttpResponseRedirect(request.path)
    context = {"rec": rec, "form": form, "owners": list(rec.owners.order_by("name"))}
    return render(request, "strategy/owners.html", context)


# -- indicators -----------------------------------------------------------------------------


def _curator(request: HttpRequest) -> None:
    if not is_curator(request.user):
        raise PermissionDenied(_("Only curators define indicators."))


@login_required
def indicator_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    _curator(request)
    indicator = get_object_or_404(Indicator, slug=slug) if slug else None
    initial: dict[str, Any] = {}
    if indicator is not None:
        initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
        initial["recommendations"] = list(indicator.recommendations.all())
    form = IndicatorForm(request.POST or None, initial=initial, computed=bool(indicator and indicator.is_computed))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        recommendations = data.pop("recommendations")
        try:
            indicator = services.save_indicator(
                indicator=indicator, data=data, recommendations=recommendations, user=request.user
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return HttpResponseRedirect(indicator.get_absolute_url())
    return render(request, "strategy/indicator_form.html", {"form": form, "indicator": indicator})


@login_required
def measurement_create(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=slug)
    if indicator.is_computed:
        raise PermissionDenied(_("Computed indicators are measured by Helix itself."))
    if not services.can_measure(request.user, indicator):
        raise PermissionDenied(_("Only curators and the owners of a linked recommendation add measurements."))
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_measurement(indicator=indicator, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("Measurement added."))
            return HttpResponseRedirect(indicator.get_absolute_url())
    return render(request, "strategy/measurement_form.html", {"form": form, "indicator": indicator})
