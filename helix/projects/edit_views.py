"""Write pages of the project registry: create, edit (with the contact person), archive, restore.

Thin views over helix.projects.services. Anonymous users are sent to sign in; a project that is
missing or archived (for non-curators) answers 404; one the user may not change answers 403.
The history context comes from the middleware (channel "web"); a save against an older
version shows the other editor's changes and writes nothing (helix.core.editing).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helix.core.editing import RecordFormView
from helix.core.permissions import is_curator

from . import services
from .forms import ProjectForm
from .models import Project
from .permissions import can_create_project, can_edit_project

DETAIL = "projects:project-detail"


def editable_project(user: Any, slug: str) -> Project:
    """The project to change: 404 when missing (or archived, for non-curators), 403 without the right."""
    queryset = Project.objects.all() if is_curator(user) else Project.objects.live()
    project: Project = get_object_or_404(queryset.select_related("lead"), slug=slug)
    if not can_edit_project(user, project):
        raise PermissionDenied(_("Only the lead organisation's editors may change this project."))
    return project


class ProjectEditView(RecordFormView):
    model = Project
    template_name = "projects/project_form.html"
    detail_url_name = DETAIL

    def get_form_class(self) -> Any:
        return ProjectForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_object(self) -> Any:
        if self.creating:
            self.check_create()
            return None
        return editable_project(self.request.user, self.kwargs["slug"])

    @transaction.atomic
    def save(self, form: Any, obj: Any) -> Project:
        project = services.update_project(
            project=obj, user=self.request.user, expected_version=form.cleaned_data.get("version"), **form.project_changes()
        )
        services.set_contact(project=project, user=self.request.user, **form.contact())
        return project


class ProjectCreateView(ProjectEditView):
    """Curators, and members of at least one organisation (for projects it leads)."""

    creating = True

    def check_create(self) -> None:
        if not can_create_project(self.request.user):
            raise PermissionDenied(_("Only members of an organisation can add projects."))

    @transaction.atomic
    def save(self, form: Any, obj: Any) -> Project:
        project = services.create_project(user=self.request.user, **form.project_changes())
        services.set_contact(project=project, user=self.request.user, **form.contact())
        return project


@require_POST
@login_required
def project_archive(request: HttpRequest, slug: str) -> HttpResponse:
    project = editable_project(request.user, slug)
    services.archive_project(project=project, user=request.user)
    messages.success(request, _("“%(name)s” is archived. A curator can restore it.") % {"name": project})
    if is_curator(request.user):
        return HttpResponseRedirect(reverse("history:record", kwargs={"model": "project", "slug": project.slug}))
    return HttpResponseRedirect(reverse("projects:project-list"))


@require_POST
@login_required
def project_restore(request: HttpRequest, slug: str) -> HttpResponse:
    project = editable_project(request.user, slug)
    services.restore_project(project=project, user=request.user)
    messages.success(request, _("“%(name)s” is restored.") % {"name": project})
    return HttpResponseRedirect(project.get_absolute_url())
