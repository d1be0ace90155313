"""Pages of the maturity self-assessment (thin: rights, then services and analysis).

Rights: a municipality's assessment pages are for its members only (everyone else: 404). A
shared result is readable by signed-in members and curators. The region-wide distribution and
the questionnaire versions are for curators (403 for other signed-in users).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for
from helix.core.tabular import Column, export_response

from . import analysis, services
from .choices import AssessmentStatus, VersionStatus
from .forms import AssessmentForm
from .models import MAX_LEVEL, Assessment, QuestionnaireVersion


def _municipality_for_member(request: HttpRequest, slug: str) -> Organisation:
    """The municipality, when the user is one of its members; 404 otherwise (also for curators)."""
    org = get_object_or_404(Organisation.objects.live().select_related("province"), slug=slug, kind=OrganisationKind.MUNICIPALITY)
    if not services.is_municipality_member(request.user, org):
        raise Http404
    return org


def _require_curator(request: HttpRequest) -> None:
    if not is_curator(request.user):
        raise PermissionDenied


def home(request: HttpRequest) -> HttpResponse:
    version = services.current_version()
    blocks: list[Any] = []
    if version is not None:
        counts = dict(
            version.questions.values_list("building_block_id").annotate(n=Count("pk")).values_list("building_block_id", "n")
        )
        blocks = [(b, counts.get(b.pk, 0)) for b in analysis.building_blocks()]
    own = (
        Organisation.objects.live()
        .filter(pk__in=organisation_ids_for(request.user), kind=OrganisationKind.MUNICIPALITY)
        .order_by("name")
    )
    context = {
        "version": version,
        "blocks": blocks,
        "municipalities": list(own),
        "is_curator": is_curator(request.user),
        "min_group": analysis.min_group(),
    }
    return render(request, "maturity/home.html", context)


@login_required
def municipality(request: HttpRequest, slug: str) -> HttpResponse:
    org = _municipality_for_member(request, slug)
    assessments = list(org.maturity_assessments.select_related("version").order_by("-created_at"))
    context = {
        "org": org,
        "draft": next((a for a in assessments if a.status == AssessmentStatus.DRAFT), None),
        "submitted": [a for a in assessments if a.status == AssessmentStatus.SUBMITTED],
        "version": services.current_version(),
    }
    return render(request, "maturity/municipality.html", context)


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    org = _municipality_for_member(request, slug)
    try:
        services.start_assessment(organisation=org, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("maturity:municipality", slug=org.slug)
    return redirect("maturity:fill", slug=org.slug)


@login_required
def fill(request: HttpRequest, slug: str) -> HttpResponse:
    org = _municipality_for_member(request, slug)
    draft = Assessment.objects.filter(organisation=org, status=AssessmentStatus.DRAFT).select_related("version").first()
    if draft is None:
        return redirect("maturity:municipality", slug=org.slug)
    problems: list[str] = []
    if request.method == "POST":
        form = AssessmentForm(request.POST, assessment=draft)
        if form.is_valid():
            services.save_answers(assessment=draft, answers=form.answers(), user=request.user)
            if form.cleaned_data.get("action") == "submit":
                try:
                    done = services.submit_assessment(assessment=draft, user=request.user)
                except ValidationError:
                    problems = [item.question.key for s in form.sections() for item in s.items if item.selected == ""]
                else:
                    messages.success(request, _("Your self-assessment is submitted."))
                    return redirect("maturity:result", slug=org.slug, pk=done.pk)
            else:
                messages.success(request, _("Draft saved. Nobody outside your municipality sees it."))
                return redirect("maturity:fill", slug=org.slug)
    else:
        form = AssessmentForm(assessment=draft)
    sections = form.sections()
    missing = [item for s in sections for item in s.items if item.question.key in problems]
    answered = sum(1 for s in sections for item in s.items if item.selected != "")
    context = {
        "org": org,
        "assessment": draft,
        "form": form,
        "sections": sections,
        "missing": missing,
        "answered": answered,
        "total": len(form.questions),
    }
    return render(request, "maturity/fill.html", context, status=400 if problems or form.errors else 200)


def _result_for(request: HttpRequest, slug: str, pk: int) -> tuple[Assessment, bool]:
    """The submitted assessment and whether the user is a member of its municipality.

    Members see everything; a shared result is readable by other signed-in members and curators;
    anyone else gets 404."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("organisation", "organisation__province", "version"),
        pk=pk,
        organisation__slug=slug,
        status=AssessmentStatus.SUBMITTED,
    )
    member = services.is_municipality_member(request.user, assessment.organisation)
    if not member and not assessment.shared:
        raise Http404
    return assessment, member


ANSWER_COLUMNS = [
    Column("building_block", gettext_lazy("Building block"), lambda a: a.question.building_block.label),
    Column("question_key", gettext_lazy("Question key"), lambda a: a.question.key),
    Column("question", gettext_lazy("Question"), lambda a: a.question.text),
    Column("level", gettext_lazy("Level"), lambda a: a.level),
    Column("evidence", gettext_lazy("Evidence"), lambda a: a.evidence),
]


@login_required
def result(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An assessment's result; `?format=xlsx|csv` downloads its answers (same rights as the page)."""
    assessment, member = _result_for(request, slug, pk)
    org = assessment.organisation
    answers = list(assessment.answers.select_related("question", "question__building_block").prefetch_related("question__levels"))
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        return export_response(fmt, ANSWER_COLUMNS, answers, filename=f"maturity-{org.slug}-{assessment.pk}")
    context: dict[str, Any] = {
        "org": org,
        "assessment": assessment,
        "member": member,
        "profile": analysis.profile(assessment),
        "answers": answers,
        "min_group": analysis.min_group(),
    }
    if member:
        domains = analysis.domains_for(org, request.GET.getlist("domain"))
        context.update(
            {
                "steps": analysis.next_steps(assessment, domains=domains),
                "domains": domains,
                "all_domains": analysis.Term.objects.filter(scheme__slug="domains", broader__isnull=True).order_by("order"),
                "finder_url": analysis.funding_finder_url(org),
                "latest": services.last_submitted(org),
            }
        )
    return render(request, "maturity/result.html", context)


@login_required
@require_POST
def share(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    org = _municipality_for_member(request, slug)
    assessment = get_object_or_404(Assessment, pk=pk, organisation=org)
    shared = request.POST.get("shared") == "1"
    try:
        services.set_shared(assessment=assessment, shared=shared, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your result is shared.") if shared else _("Your result is no longer shared."))
    return redirect("maturity:result", slug=org.slug, pk=assessment.pk)


# --- region-wide (curators) ---------------------------------------------------------------------


def _mean_of(code: str) -> Callable[[analysis.DistributionRow], Any]:
    return lambda row: row.means.get(code)


def _band_of(code: str, level: int) -> Callable[[analysis.DistributionRow], Any]:
    return lambda row: row.bands[code][level] if row.bands.get(code) else None


def _distribution_columns(blocks: list[Any]) -> list[Column]:
    """Export columns: the group, its size (hidden when suppressed), per block the mean and the
    number of municipalities per rounded level."""
    columns = [
        Column("dimension", _("Dimension"), lambda r: r.dimension),
        Column("group", _("Group"), lambda r: r.group),
        Column("municipalities", _("Municipalities"), lambda r: None if r.suppressed else r.n),
    ]
    for block in blocks:
        columns.append(Column(f"{block.code}_mean", block.label, _mean_of(block.code)))
        columns += [
            Column(f"{block.code}_level_{level}", f"{block.label} {level}", _band_of(block.code, level))
            for level in range(MAX_LEVEL + 1)
        ]
    return columns


@login_required
def region(request: HttpRequest) -> HttpResponse:
    _require_curator(request)
    blocks, rows = analysis.region_distribution()
    if request.GET.get("format") == "xlsx":
        return export_response("xlsx", _distribution_columns(blocks), rows, filename="maturity-distribution")
    context = {"blocks": blocks, "rows": rows, "min_group": analysis.min_group()}
    return render(request, "maturity/region.html", context)


# --- questionnaire versions (curators) ----------------------------------------------------------


def questionnaire(request: HttpRequest, number: int) -> HttpResponse:
    """A version's questions and levels: public when published or retired, drafts for curators."""
    version = get_object_or_404(QuestionnaireVersion, number=number)
    if version.status == VersionStatus.DRAFT and not is_curator(request.user):
        raise Http404
    questions = version.questions.select_related("building_block", "subtheme").prefetch_related("levels")
    return render(request, "maturity/questionnaire.html", {"version": version, "questions": questions})


@login_required
def versions(request: HttpRequest) -> HttpResponse:
    _require_curator(request)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "copy":
                base = get_object_or_404(QuestionnaireVersion, number=request.POST.get("number"))
                created = services.new_version_from(base=base, user=request.user)
                messages.success(request, _("Draft version %(n)s created; edit it in the admin.") % {"n": created.number})
            elif request.POST.get("action") == "publish":
                draft = get_object_or_404(QuestionnaireVersion, number=request.POST.get("number"))
                services.publish_version(version=draft, user=request.user)
                messages.success(request, _("Version %(n)s is published.") % {"n": draft.number})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("maturity:versions")
    rows = list(
        QuestionnaireVersion.objects.annotate(
            n_questions=Count("questions", distinct=True), n_assessments=Count("assessments", distinct=True)
        ).order_by("-number")
    )
    problems = {v.pk: services.version_problems(v) for v in rows if v.status == VersionStatus.DRAFT}
    return render(request, "maturity/versions.html", {"versions": rows, "problems": problems})
