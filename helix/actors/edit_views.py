"""Write pages of the actor registry: edit, create, archive, restore, contacts, merge (thin views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helix.core.editing import RecordActionView, RecordFormView, apply_validation_error, detail_url
from helix.core.history import Channel, history_context
from helix.core.permissions import get_for_edit, is_curator

from . import services
from .forms import ContactPersonForm, MergeForm, organisation_form_class
from .models import ContactPerson, Organisation

DETAIL = "actors:organisation-detail"


class OrganisationEditView(RecordFormView):
    model = Organisation
    template_name = "actors/edit/organisation_form.html"
    detail_url_name = DETAIL

    def get_form_class(self) -> Any:
        return organisation_form_class(self.request.user)

    def save(self, form: Any, obj: Any) -> Organisation:
        data, m2m = form.model_changes()
        return services.update_organisation(
            organisation=obj, data=data, m2m=m2m, user=self.request.user, expected_version=form.cleaned_data.get("version")
        )


class OrganisationCreateView(OrganisationEditView):
    creating = True

    def check_create(self) -> None:
        if not is_curator(self.request.user):
            raise PermissionDenied

    def save(self, form: Any, obj: Any) -> Organisation:
        data, m2m = form.model_changes()
        return services.create_organisation(data=data, m2m=m2m, user=self.request.user)


class OrganisationArchiveView(RecordActionView):
    model = Organisation
    detail_url_name = DETAIL
    action = staticmethod(services.archive_organisation)
    success_message = gettext_lazy("“%(name)s” is archived. A curator can restore it.")


class OrganisationRestoreView(RecordActionView):
    model = Organisation
    detail_url_name = DETAIL
    action = staticmethod(services.restore_organisation)
    success_message = gettext_lazy("“%(name)s” is restored.")


# Contact persons -------------------------------------------------------------------------------


@login_required
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's contact persons, with a form to add one."""
    organisation = get_for_edit(Organisation.objects.all(), request.user, slug=slug)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contact(organisation=organisation, data=form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Contact person added."))
            return HttpResponseRedirect(reverse("actors:organisation-contacts", kwargs={"slug": slug}))
    ctx = {"object": organisation, "contacts": organisation.contacts.all(), "form": form}
    return render(request, "actors/edit/contacts.html", ctx, status=400 if form.errors else 200)


def _contact(request: HttpRequest, slug: str, pk: int) -> ContactPerson:
    organisation = get_for_edit(Organisation.objects.all(), request.user, slug=slug)
    return get_object_or_404(ContactPerson, pk=pk, organisation=organisation)


@login_required
def contact_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contact = _contact(request, slug, pk)
    form = ContactPersonForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(contact=contact, data=form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Contact person saved."))
            return HttpResponseRedirect(reverse("actors:organisation-contacts", kwargs={"slug": slug}))
    return render(request, "actors/edit/contact_form.html", {"object": contact.organisation, "contact": contact, "form": form})


@require_POST
@login_required
def contact_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contact = _contact(request, slug, pk)
    services.delete_contact(contact=contact, user=request.user)
    messages.success(request, _("Contact person removed."))
    return HttpResponseRedirect(reverse("actors:organisation-contacts", kwargs={"slug": slug}))


# Merging duplicates (curators) ----------------------------------------------------------------


@login_required
def merge(request: HttpRequest, slug: str) -> HttpResponse:
    if not is_curator(request.user):
        raise PermissionDenied
    keep = get_for_edit(Organisation.objects.all(), request.user, slug=slug)
    form = MergeForm(request.POST or None, keep=keep)
    if request.method == "POST" and form.is_valid():
        duplicate = form.cleaned_data["duplicate"]
        try:
            with history_context(channel=Channel.WEB, user=request.user):
                services.merge_organisations(keep=keep, duplicate=duplicate, user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(duplicate)s” is merged into “%(keep)s”.") % {"duplicate": duplicate, "keep": keep})
            return HttpResponseRedirect(detail_url(DETAIL, keep))
    return render(request, "actors/edit/merge.html", {"object": keep, "form": form})
