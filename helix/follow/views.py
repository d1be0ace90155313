"""Pages of the follow app: overviews per target group, saved searches, unsubscribing (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from helix.core.tabular import export_response

from . import services
from .choices import TARGET_GROUP_BY_SLUG, TARGET_GROUP_SLUGS, TargetGroup
from .forms import SavedSearchForm, SaveSearchForm
from .models import Overview, SavedSearch
from .overviews import OverviewView, closing_days, latest_overview
from .sources import describe_query
from .tables import overview_columns

# --- Overviews ----------------------------------------------------------------------------------


def _group(slug: str) -> str:
    group = TARGET_GROUP_BY_SLUG.get(slug)
    if group is None:
        raise Http404
    return group


def _overview_context(view: OverviewView) -> dict[str, Any]:
    slug = TARGET_GROUP_SLUGS[view.group]
    return {
        "view": view,
        "sections": view.sections,
        "group_slug": slug,
        "closing_days": view.snapshot.closing_days,
        "xlsx_url": reverse("follow:overview-detail", kwargs={"group": slug}) + "?format=xlsx",
        "print_url": reverse("follow:overview-print", kwargs={"group": slug}),
        "detail_url": reverse("follow:overview-detail", kwargs={"group": slug}),
    }


def overview_index(request: HttpRequest) -> HttpResponse:
    latest = {o.target_group: o for o in Overview.objects.order_by("target_group", "-period_start").distinct("target_group")}
    groups = [
        {"group": group, "label": label, "slug": TARGET_GROUP_SLUGS[group], "latest": latest.get(group)}
        for group, label in TargetGroup.choices
    ]
    return render(request, "follow/overview_index.html", {"groups": groups, "closing_days": closing_days()})


def overview_detail(request: HttpRequest, group: str) -> HttpResponse:
    view = latest_overview(_group(group))
    if request.GET.get("format") == "xlsx":
        rows = [row for section in view.sections for row in section.rows]
        period = view.overview.period_start.strftime("%Y-%m") if view.overview else view.snapshot.as_of.isoformat()
        return export_response(
            "xlsx", overview_columns(request.build_absolute_uri), rows, filename=f"helix-overview-{group}-{period}"
        )
    return render(request, "follow/overview_detail.html", _overview_context(view))


def overview_print(request: HttpRequest, group: str) -> HttpResponse:
    view = latest_overview(_group(group))
    return render(request, "follow/overview_print.html", _overview_context(view))


# --- Saved searches -----------------------------------------------------------------------------


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("follow:saved-search-list")


def _user_id(request: HttpRequest) -> int:
    """The signed-in user's id (the views below require a login)."""
    return int(request.user.pk or 0)


@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Back to the list after signing in (this address only takes POSTs).
        return redirect_to_login(_safe_next(request, request.POST.get("next")))
    form = SaveSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This search could not be saved."))
        return redirect(_safe_next(request, request.POST.get("next")))
    data = form.cleaned_data
    back = _safe_next(request, data["next"])
    try:
        search, created = services.save_search(
            user=request.user,
            target=data["target"],
            query=data["query"],
            name=data["name"],
            digest=data["digest"] or SavedSearch._meta.get_field("digest").default,
            language=get_language() or "nl",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if created:
        messages.success(
            request,
            _("Search saved as “%(name)s”. Find its feed and e-mail settings under “My followed searches”.")
            % {"name": search.name},
        )
    else:
        messages.info(request, _("You already follow this search as “%(name)s”.") % {"name": search.name})
    return redirect(back)


@login_required
def saved_search_list(request: HttpRequest) -> HttpResponse:
    searches = list(SavedSearch.objects.filter(user_id=_user_id(request)).order_by("name", "id"))
    rows = [
        {
            "search": s,
            "filters": describe_query(s.target, s.query),
            "results_url": s.results_url() if s.is_available else "",
            "feed_url": request.build_absolute_uri(s.feed_url()) if s.is_public else "",
        }
        for s in searches
    ]
    return render(request, "follow/saved_search_list.html", {"rows": rows})


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    """The user's own saved search; anybody else's answers 404 (it is not theirs to know of)."""
    return get_object_or_404(SavedSearch, pk=pk, user_id=_user_id(request))


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_edit(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    form = SavedSearchForm(request.POST or None, instance=search)
    if request.method == "POST" and form.is_valid():
        services.update_saved_search(
            saved_search=search, user=request.user, name=form.cleaned_data["name"], digest=form.cleaned_data["digest"]
        )
        messages.success(request, _("“%(name)s” is saved.") % {"name": search.name})
        return redirect("follow:saved-search-list")
    context = {
        "search": search,
        "form": form,
        "filters": describe_query(search.target, search.query),
        "feed_url": request.build_absolute_uri(search.feed_url()) if search.is_public else "",
    }
    return render(request, "follow/saved_search_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    if request.method == "POST":
        name = search.name
        services.delete_saved_search(saved_search=search, user=request.user)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": name})
        return redirect("follow:saved-search-list")
    return render(request, "follow/saved_search_confirm_delete.html", {"search": search})


@require_POST
@login_required
def saved_search_renew_feed(request: HttpRequest, pk: int) -> HttpResponse:
    search = _own(request, pk)
    services.renew_feed_token(saved_search=search, user=request.user)
    messages.success(request, _("“%(name)s” has a new feed address; the old one no longer works.") % {"name": search.name})
    return redirect("follow:saved-search-edit", pk=search.pk)


# --- Unsubscribing from digests (a token from the e-mail, no login) -----------------------------


@csrf_exempt  # the token is the secret; RFC 8058 one-click POSTs from mail clients carry no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponseBase:
    if request.method == "POST":
        scope = services.unsubscribe(token=token)
        if scope is None:
            raise Http404
        return render(request, "follow/unsubscribed.html", {"scope": scope})
    scope = services.read_unsubscribe_token(token)
    if scope is None:
        raise Http404
    return render(request, "follow/unsubscribe.html", {"scope": scope, "token": token})
