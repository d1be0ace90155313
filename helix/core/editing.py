"""Generic edit, create, archive and restore pages for records (organisations, instruments, ...).

A registry's edit_views.py configures these with its model, form and service functions. Every
page checks rights on the object (helix.core.permissions.get_for_edit): anonymous -> sign in,
missing or archived (non-curator) -> 404, no right -> 403. A save made against an older
version than the one in the database shows the other editor's changes and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from helix.core.changelog import changes_since, merged_changes
from helix.core.permissions import get_for_edit, is_curator
from helix.core.services import StaleVersion


def detail_url(url_name: str, obj: models.Model) -> str:
    """The record's page; its edit page while the detail page is not wired (keeps edits usable)."""
    slug = obj.slug  # type: ignore[attr-defined]
    try:
        return reverse(url_name, kwargs={"slug": slug})
    except NoReverseMatch:
        return reverse(url_name.replace("-detail", "-edit"), kwargs={"slug": slug})


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where they are shown."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RecordFormView(LoginRequiredMixin, View):
    """Edit (slug given) or create (no slug) a record through a service function."""

    model: ClassVar[type[models.Model]]
    template_name: ClassVar[str]
    detail_url_name: ClassVar[str]
    creating: ClassVar[bool] = False

    def get_form_class(self) -> type[forms.ModelForm]:
        raise NotImplementedError

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def check_create(self) -> None:
        """Raise PermissionDenied when the user may not create such records."""

    def save(self, form: Any, obj: Any) -> Any:  # obj is None when creating
        raise NotImplementedError

    def get_object(self) -> Any:
        if self.creating:
            self.check_create()
            return None
        return get_for_edit(self.model._default_manager.all(), self.request.user, slug=self.kwargs["slug"])

    def make_form(self, obj: Any, data: Any = None) -> Any:
        return self.get_form_class()(data, instance=obj, **self.form_kwargs())

    def render_form(self, form: Any, obj: Any, **extra: Any) -> HttpResponse:
        ctx = {
            "form": form,
            "object": obj,
            "creating": self.creating,
            "model_name": self.model._meta.model_name,
            "is_curator": is_curator(self.request.user),
            "detail_url": detail_url(self.detail_url_name, obj) if obj is not None else None,
            **extra,
        }
        status = 409 if extra.get("conflict") else 200
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.make_form(obj), obj)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.make_form(obj, request.POST)
        if not form.is_valid():
            messages.error(request, _("The record was not saved. Correct the fields marked below."))
            return self.render_form(form, obj)
        try:
            saved = self.save(form, obj)
        except StaleVersion as stale:
            return self.conflict(form, stale)
        except ValidationError as error:
            apply_validation_error(form, error)
            messages.error(request, _("The record was not saved. Correct the fields marked below."))
            return self.render_form(form, obj)
        messages.success(request, _("Saved “%(name)s”.") % {"name": saved})
        return HttpResponseRedirect(detail_url(self.detail_url_name, saved))

    def conflict(self, form: Any, stale: StaleVersion) -> HttpResponse:
        """Nothing was saved: show what the other editor changed; the form keeps the user's input
        and now carries the current version, so saving again deliberately overwrites."""
        current = type(stale.record)._default_manager.get(pk=stale.record.pk)
        versions = changes_since(current, stale.expected)
        data = form.data.copy()
        data["version"] = str(current.version)
        fresh_form = self.make_form(current, data)
        fresh_form.is_valid()
        return self.render_form(
            fresh_form,
            current,
            conflict=True,
            conflict_versions=versions,
            conflict_changes=merged_changes(versions),
        )


class RecordActionView(LoginRequiredMixin, View):
    """A POST-only action on one record (archive, restore)."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]
    model: ClassVar[type[models.Model]]
    detail_url_name: ClassVar[str]
    action: ClassVar[Callable[..., Any]]
    success_message: ClassVar[Any]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = get_for_edit(self.model._default_manager.all(), request.user, slug=kwargs["slug"])
        type(self).action(**{self.model._meta.model_name or "record": obj, "user": request.user})
        messages.success(request, str(self.success_message) % {"name": obj})
        return HttpResponseRedirect(self.next_url(obj))

    def next_url(self, obj: Any) -> str:
        if obj.archived_at is not None:
            # Archived records are hidden from non-curators; curators land where they can restore it.
            if is_curator(self.request.user):
                return reverse("history:record", kwargs={"model": self.model._meta.model_name, "slug": obj.slug})
            return reverse("home")
        return detail_url(self.detail_url_name, obj)
