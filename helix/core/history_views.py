"""A record's change history (public, without personal data) and the curators' revert."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.core.changelog import Version, record_versions
from helix.core.editing import detail_url
from helix.core.permissions import can_edit, is_curator
from helix.core.revert import revert_record
from helix.core.services import validation_messages


def _registry() -> dict[str, tuple[type[models.Model], str, list[type[models.Model]], list[type[models.Model]]]]:
    """model name -> (model, detail url name, related public models, related personal-data models)."""
    from helix.actors.models import ContactPerson, ExternalIdentifier, Membership, Organisation, OrganisationEditor
    from helix.instruments.models import Instrument
    from helix.market.models import Challenge, ChallengeOwner, Solution
    from helix.projects.models import Project, ProjectFunding, ProjectLink, ProjectPartner

    return {
        "organisation": (
            Organisation,
            "actors:organisation-detail",
            [ExternalIdentifier, Membership],
            [ContactPerson, OrganisationEditor],
        ),
        "instrument": (Instrument, "instruments:instrument-detail", [], []),
        "project": (Project, "projects:project-detail", [ProjectPartner, ProjectFunding, ProjectLink], []),
        "challenge": (Challenge, "market:challenge-detail", [ChallengeOwner], []),
        "solution": (Solution, "market:solution-detail", [], []),
    }


def _record(request: HttpRequest, model_name: str, slug: str) -> tuple[Any, str, list[Any], list[Any]]:
    entry = _registry().get(model_name)
    if entry is None:
        raise Http404
    model, detail, public_related, personal_related = entry
    queryset = model._default_manager.all()
    if hasattr(queryset, "visible_to"):  # drafts (challenges) exist only for their owners and curators
        queryset = queryset.visible_to(request.user)
    if not is_curator(request.user):
        queryset = queryset.filter(archived_at__isnull=True)
    return get_object_or_404(queryset, slug=slug), detail, public_related, personal_related


def _public(versions: list[Version], *, signed_in: bool) -> list[Version]:
    """User names are personal data: anonymous visitors see that a member made a change, not who."""
    if signed_in:
        return versions
    anonymous_who = _("a registered member")
    return [v if v.who == _("system") else replace(v, who=anonymous_who) for v in versions]


def record_history(request: HttpRequest, model: str, slug: str) -> HttpResponse:
    """Every version of the record: when, who, channel, batch and what changed (old -> new).
    Contact persons' changes (personal data) are listed for curators only."""
    record, detail, public_related, personal_related = _record(request, model, slug)
    curator = is_curator(request.user)
    related = [*public_related, *(personal_related if curator else [])]
    ctx = {
        "object": record,
        "model_name": model,
        "versions": _public(record_versions(record, related=related), signed_in=request.user.is_authenticated),
        "detail_url": detail_url(detail, record),
        "can_revert": curator,
        "can_edit": can_edit(request.user, record),
    }
    return render(request, "history/record.html", ctx)


@require_POST
@login_required
def revert(request: HttpRequest, model: str, slug: str, event_id: int) -> HttpResponse:
    if not is_curator(request.user):
        raise PermissionDenied
    record, _detail, _public, _personal = _record(request, model, slug)
    history_url = reverse("history:record", kwargs={"model": model, "slug": slug})
    try:
        revert_record(record=record, event_id=event_id, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("The old version no longer passes validation; nothing was changed: %(errors)s")
            % {"errors": "; ".join(validation_messages(error))},
        )
        return HttpResponseRedirect(history_url)
    messages.success(
        request, _("“%(name)s” is reverted to the version of event %(event)s.") % {"name": record, "event": event_id}
    )
    return HttpResponseRedirect(history_url)
