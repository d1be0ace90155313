"""Write use cases of the actor registry. Every entry point (page, admin, API, import, command)
calls these inside `helix.core.history.history_context`; rights are checked here as well."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helix.core.permissions import can_edit, is_curator
from helix.core.services import archive_record, restore_record, save_record

from .choices import OrganisationStatus
from .models import ContactPerson, ExternalIdentifier, Membership, Organisation, OrganisationEditor


def unique_slug(model: Any, text: str, *, max_length: int = 100) -> str:
    base = slugify(text)[:max_length].strip("-") or "record"
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def create_organisation(*, data: Mapping[str, Any], user: Any, m2m: Mapping[str, Iterable[Any]] | None = None) -> Organisation:
    """A new organisation (curators; `user=None` for trusted channels such as imports)."""
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators may add organisations."))
    organisation = Organisation(slug=unique_slug(Organisation, str(data.get("name", ""))))
    return save_record(organisation, changes=data, m2m=m2m, user=user)


def update_organisation(
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    user: Any,
    expected_version: int | None,
    m2m: Mapping[str, Iterable[Any]] | None = None,
) -> Organisation:
    """Save an edit; raises StaleVersion when someone else saved since `expected_version`."""
    return save_record(organisation, changes=data, m2m=m2m, user=user, expected_version=expected_version)


def archive_organisation(*, organisation: Organisation, user: Any) -> None:
    archive_record(organisation, user=user)


def restore_organisation(*, organisation: Organisation, user: Any) -> None:
    restore_record(organisation, user=user)


# Contact persons (personal data) --------------------------------------------------------------


def _check_contact_rights(user: Any, organisation: Organisation) -> None:
    if user is not None and not can_edit(user, organisation):
        raise PermissionDenied(_("You may not edit the contacts of this organisation."))


@transaction.atomic
def add_contact(*, organisation: Organisation, data: Mapping[str, Any], user: Any) -> ContactPerson:
    _check_contact_rights(user, organisation)
    contact = ContactPerson(organisation=organisation, **data)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def update_contact(*, contact: ContactPerson, data: Mapping[str, Any], user: Any) -> ContactPerson:
    _check_contact_rights(user, contact.organisation)
    for name, value in data.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def delete_contact(*, contact: ContactPerson, user: Any) -> None:
    """Contacts are deleted for real (personal data is not kept once removed from the registry)."""
    _check_contact_rights(user, contact.organisation)
    contact.delete()


# Merging duplicates ---------------------------------------------------------------------------


@transaction.atomic
def merge_organisations(*, keep: Organisation, duplicate: Organisation, user: Any) -> Organisation:
    """Fold `duplicate` into `keep` (curators only).

    Moves memberships (both directions), external identifiers, instruments offered, managed,
    co-offered or restricted to it, contact persons, editors, organisations located in it and
    records merged into it; adds its name to keep's alternative names and its taxonomy terms to
    keep's; then marks it merged into `keep` and archives it. One transaction; the context
    metadata carries `merge_of` and `merged_into` next to the entry point's channel and user.
    """
    from helix.instruments.models import Instrument

    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators may merge organisations."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different organisations to merge."))
    if keep.merged_into_id is not None or keep.archived_at is not None:
        raise ValidationError(_("The organisation to keep is itself archived or merged; choose the live record."))

    now = timezone.now()
    with pghistory.context(merge_of=duplicate.slug, merged_into=keep.slug):
        # Relations that would point from keep to keep after the move are dropped.
        Membership.objects.filter(Q(subject=keep, object=duplicate) | Q(subject=duplicate, object=keep)).delete()
        Membership.objects.filter(subject=duplicate).update(subject=keep)
        Membership.objects.filter(object=duplicate).update(object=keep)
        ExternalIdentifier.objects.filter(organisation=duplicate).update(organisation=keep)
        ContactPerson.objects.filter(organisation=duplicate).update(organisation=keep)
        already = OrganisationEditor.objects.filter(organisation=keep).values_list("user_id", flat=True)
        OrganisationEditor.objects.filter(organisation=duplicate, user_id__in=list(already)).delete()
        OrganisationEditor.objects.filter(organisation=duplicate).update(organisation=keep)

        bump = {"version": F("version") + 1, "updated_at": now}
        Instrument.objects.filter(offered_by=duplicate).update(offered_by=keep, **bump)
        Instrument.objects.filter(managed_by=duplicate).update(managed_by=keep, **bump)
        for instrument in Instrument.objects.filter(co_offered_by=duplicate):
            instrument.co_offered_by.remove(duplicate)
            instrument.co_offered_by.add(keep)
        for instrument in Instrument.objects.filter(restricted_to=duplicate):
            instrument.restricted_to.remove(duplicate)
            instrument.restricted_to.add(keep)
        Organisation.objects.filter(located_in=duplicate).update(located_in=keep, **bump)
        Organisation.objects.filter(merged_into=duplicate).update(merged_into=keep, **bump)

        names = list(keep.alternative_names)
        for name in [duplicate.name, duplicate.name_nl, *duplicate.alternative_names]:
            if name and name not in names and name not in (keep.name, keep.name_nl):
                names.append(name)
        m2m = {
            field: set(getattr(keep, field).all()) | set(getattr(duplicate, field).all())
            for field in ("nace_sections", "domains", "sdgs", "value_chain_roles", "inclusion_reasons")
        }
        keep_changes: dict[str, Any] = {"alternative_names": names}
        for field in ("enterprise_number", "website", "description_nl", "description_en", "founded_year"):
            if not getattr(keep, field) and getattr(duplicate, field):
                keep_changes[field] = getattr(duplicate, field)
        save_record(keep, changes=keep_changes, m2m=m2m, user=user)
        save_record(duplicate, changes={"status": OrganisationStatus.MERGED, "merged_into": keep}, user=user)
        archive_record(duplicate, user=user)
    keep.refresh_from_db()
    return keep
