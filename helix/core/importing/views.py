"""Curators' import pages: upload → preview of every row → confirm → result (with undo)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from helix.core.permissions import is_curator

from . import storage
from .guards import ImportRefused, check_upload
from .pipeline import CommitFailed, Decision, ImportPlan, Status, commit_import, plan_import
from .revert import RevertRefused, revert_batch

View = Callable[..., HttpResponse]


def curator_required(view: View) -> View:
    """Anonymous: to the login page; signed in but not a curator: 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_curator(request.user):
            raise PermissionDenied(_("Only curators may import."))
        return view(request, *args, **kwargs)

    return wrapper


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Inventory file"),
        help_text=gettext_lazy("An Excel workbook (.xlsx), a CSV file (UTF-8) or a JSON file."),
    )


@curator_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > settings.HELIX_IMPORT_MAX_BYTES:
                check_upload(b"\0" * (settings.HELIX_IMPORT_MAX_BYTES + 1), name=uploaded.name)
            data = uploaded.read()
            check_upload(data, name=uploaded.name)
        except ImportRefused as error:
            form.add_error("file", str(error))
        else:
            token = storage.save_upload(data, name=uploaded.name, user_id=int(request.user.pk or 0))
            return redirect(f"{reverse('importing:preview')}?token={token}")
    status = 400 if request.method == "POST" else 200
    return render(request, "importing/upload.html", {"form": form}, status=status)


def _plan(request: HttpRequest, token: str, decisions: dict[str, str] | None = None) -> ImportPlan | HttpResponse:
    try:
        data, name = storage.load_upload(token, user_id=int(request.user.pk or 0))
        return plan_import(check_upload(data, name=name), decisions=decisions)
    except storage.UploadExpired:
        message = _("The uploaded file expired or is unknown. Upload it again.")
        return render(request, "importing/upload.html", {"form": UploadForm(), "error": message}, status=400)
    except ImportRefused as error:
        return render(request, "importing/upload.html", {"form": UploadForm(), "error": str(error)}, status=400)


def _preview(request: HttpRequest, plan: ImportPlan, token: str, *, message: str = "", status: int = 200) -> HttpResponse:
    counts = {s: plan.count(s) for s in (Status.NEW, Status.CHANGED, Status.UNCHANGED, Status.DUPLICATE, Status.ERROR)}
    context = {"plan": plan, "token": token, "digest": plan.digest(), "counts": counts, "message": message}
    return render(request, "importing/preview.html", context, status=status)


@curator_required
@require_http_methods(["GET"])
def preview(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("token", "")
    plan = _plan(request, token)
    if isinstance(plan, HttpResponse):
        return plan
    return _preview(request, plan, token)


@curator_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    decisions: dict[str, str] = {}
    for name in request.POST:
        value = str(request.POST.get(name, ""))
        if name.startswith("decision-") and (value in (Decision.SKIP, Decision.CREATE) or value.startswith(Decision.MATCH)):
            decisions[name.removeprefix("decision-")] = value
    plan = _plan(request, token, decisions)
    if isinstance(plan, HttpResponse):
        return plan
    if plan.errors:
        return _preview(request, plan, token, message=_("The file has errors; nothing was imported."), status=400)
    if request.POST.get("digest") != plan.digest():
        return _preview(
            request, plan, token, message=_("The data changed since your preview. Check the rows again and confirm."), status=409
        )
    try:
        commit_import(plan, user=request.user)
    except CommitFailed as error:
        plan.file_errors.extend(error.issues)
        return _preview(request, plan, token, message=_("The import failed; nothing was imported."), status=400)
    storage.delete_upload(token)
    counts = {s: plan.count(s) for s in (Status.NEW, Status.CHANGED, Status.UNCHANGED, Status.DUPLICATE)}
    return render(request, "importing/result.html", {"plan": plan, "counts": counts})


@curator_required
@require_POST
def revert(request: HttpRequest) -> HttpResponse:
    batch = request.POST.get("batch", "")
    try:
        report = revert_batch(batch, user=request.user)
    except RevertRefused as error:
        return render(request, "importing/reverted.html", {"batch": batch, "error": str(error)}, status=409)
    return render(request, "importing/reverted.html", {"batch": batch, "report": report})
