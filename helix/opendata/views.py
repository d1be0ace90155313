"""Pages of harvesting: sources (curators; an organisation's editors for its own portal),
runs with live progress, harvested datasets (public), and the publisher resolution page.

Anonymous users are sent to sign in on the management pages; a source the user may not see
answers 404; a page the user may not use at all answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for

from . import harvest_services as services
from .forms import ResolveForm, SourceForm
from .harvest_publishers import candidates_for
from .models import Dataset, HarvestRun, HarvestSource, PublisherMatch


def visible_sources(user: Any) -> QuerySet[HarvestSource]:
    sources = HarvestSource.objects.select_related("organisation", "last_run")
    if is_curator(user):
        return sources
    return sources.filter(organisation_id__in=organisation_ids_for(user))


def _may_manage(user: Any) -> None:
    if not (is_curator(user) or organisation_ids_for(user)):
        raise PermissionDenied(_("Only curators and editors of an organisation manage harvest sources."))


def _source(user: Any, pk: int) -> HarvestSource:
    _may_manage(user)
    source = visible_sources(user).filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    _may_manage(request.user)
    sources = visible_sources(request.user).annotate(dataset_count=Count("datasets"))
    return render(request, "opendata/source_list.html", {"sources": sources, "curator": is_curator(request.user)})


@login_required
def source_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    source = _source(request.user, pk) if pk is not None else None
    if source is None:
        _may_manage(request.user)
    form = SourceForm(request.POST or None, instance=source, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        # save_source works on a fresh object: the form has already set the values on `source`
        fresh = HarvestSource.objects.get(pk=source.pk) if source is not None else None
        saved = services.save_source(fresh, data)
        messages.success(request, _("The source was saved."))
        return HttpResponseRedirect(saved.get_absolute_url())
    return render(request, "opendata/source_form.html", {"form": form, "source": source, "creating": source is None})


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = _source(request.user, pk)
    runs = source.runs.all()[:20]
    return render(
        request,
        "opendata/source_detail.html",
        {"source": source, "runs": runs, "dataset_count": source.datasets.count()},
    )


@login_required
@require_POST
def source_harvest(request: HttpRequest, pk: int) -> HttpResponse:
    source = _source(request.user, pk)
    if not source.enabled:
        messages.error(request, _("This source is disabled; enable it first."))
        return HttpResponseRedirect(source.get_absolute_url())
    run = services.start_run(source, request.user)
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(HarvestRun.objects.select_related("source"), pk=pk)
    _source(request.user, run.source_id)
    context = {"run": run, "source": run.source}
    if request.headers.get("HX-Request") or request.GET.get("partial"):
        return render(request, "opendata/partials/run_status.html", context)
    return render(request, "opendata/run_detail.html", context)


def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = Dataset.objects.select_related("organisation", "source").order_by("title", "id")
    query = request.GET.get("q", "").strip()[:200]
    if query:
        datasets = datasets.filter(Q(title__icontains=query) | Q(keywords__contains=[query]) | Q(publisher_name__icontains=query))
    organisation = request.GET.get("organisation", "").strip()
    if organisation:
        datasets = datasets.filter(organisation__slug=organisation)
    source = request.GET.get("source", "")
    if source.isdigit():
        datasets = datasets.filter(source_id=int(source))
    page = Paginator(datasets, 50).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "opendata/dataset_list.html", {"page": page, "query": query, "filters": filters.urlencode()})


def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_object_or_404(Dataset.objects.select_related("organisation", "source"), pk=pk)
    return render(
        request,
        "opendata/dataset_detail.html",
        {"dataset": dataset, "distributions": dataset.distributions.all()},
    )


@login_required
def publisher_list(request: HttpRequest) -> HttpResponse:
    if not is_curator(request.user):
        raise PermissionDenied(_("Only curators resolve publishers."))
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            count = services.resolve_publisher(
                publisher_uri=form.cleaned_data["publisher_uri"],
                publisher_name=form.cleaned_data["publisher_name"],
                organisation=form.cleaned_data["organisation"],
                user=request.user,
            )
            messages.success(request, _("Resolved: %(n)s datasets updated.") % {"n": count})
            return HttpResponseRedirect(reverse("opendata:publisher_list"))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    rows = (
        Dataset.objects.filter(publisher_match__in=[PublisherMatch.AMBIGUOUS, PublisherMatch.UNMATCHED])
        .values("publisher_uri", "publisher_name", "publisher_match")
        .annotate(count=Count("id"))
        .order_by("publisher_match", "publisher_name", "publisher_uri")[:200]
    )
    publishers = []
    for row in rows:
        candidates: list[Organisation] = []
        if row["publisher_match"] == PublisherMatch.AMBIGUOUS:
            candidates = candidates_for(row["publisher_uri"], row["publisher_name"])
        publishers.append({**row, "candidates": candidates})
    return render(request, "opendata/publisher_list.html", {"publishers": publishers})
