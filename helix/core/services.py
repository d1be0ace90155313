"""Write use cases shared by every registry: save with a version check, archive, restore, revert.

Every entry point (page, admin, API, import, command) calls these inside `history_context`
(helix.core.history) so the change log knows who, how and in which batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from helix.core.models import Record
from helix.core.permissions import can_edit

R = TypeVar("R", bound=Record)


class StaleVersion(Exception):
    """Somebody else saved the record after the editor loaded it."""

    def __init__(self, record: Record, expected: int) -> None:
        self.record = record
        self.expected = expected
        super().__init__(
            _("This record was changed by someone else (version %(current)s, you edited version %(expected)s).")
            % {"current": record.version, "expected": expected}
        )


def check_rights(user: Any, record: models.Model) -> None:
    if user is not None and not can_edit(user, record):
        raise PermissionDenied(_("You may not edit this record."))


@transaction.atomic
def save_record(
    record: R,
    *,
    changes: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    user: Any = None,
    expected_version: int | None = None,
) -> R:
    """Apply `changes` (field -> value) and `m2m` (field -> objects) to `record` and save it.

    Validates the whole record first (full_clean) and raises ValidationError without writing.
    With `expected_version`, refuses to overwrite a newer version (StaleVersion).
    `user=None` means a trusted channel (import, command) whose rights were checked before.
    """
    if record.pk is not None:
        check_rights(user, record)
        locked = type(record).objects.select_for_update().only("version").get(pk=record.pk)
        if expected_version is not None and locked.version != expected_version:
            record.version = locked.version
            raise StaleVersion(record, expected_version)
    for field, value in changes.items():
        setattr(record, field, value)
    record.full_clean(validate_unique=True)
    record.updated_at = timezone.now()
    if record.pk is None:
        record.save()
    else:
        record.version = F("version") + 1
        record.save()
        record.refresh_from_db(fields=["version"])
    for field, values in (m2m or {}).items():
        getattr(record, field).set(list(values))
    return record


@transaction.atomic
def archive_record(record: Record, *, user: Any = None) -> None:
    """'Delete' a record: it disappears from lists but stays restorable with its history."""
    check_rights(user, record)
    if record.archived_at is None:
        type(record).objects.filter(pk=record.pk).update(archived_at=timezone.now(), version=F("version") + 1)
        record.refresh_from_db(fields=["archived_at", "version"])


@transaction.atomic
def restore_record(record: Record, *, user: Any = None) -> None:
    check_rights(user, record)
    if record.archived_at is not None:
        type(record).objects.filter(pk=record.pk).update(archived_at=None, version=F("version") + 1)
        record.refresh_from_db(fields=["archived_at", "version"])


def validation_messages(error: ValidationError) -> list[str]:
    """Flatten a ValidationError into 'field: message' lines for reports and CLI output."""
    if hasattr(error, "error_dict"):
        return [f"{field}: {msg}" for field, errs in error.message_dict.items() for msg in errs]
    return list(error.messages)
