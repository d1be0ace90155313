"""Erasure of personal data (GDPR art. 17), including the copies kept by the change history.

Deleting a contact person removes the live row, but pghistory keeps every earlier version of
it (and the deletion itself) in its event table. `erase_personal_data` deletes the live rows
and then blanks the personal fields in those event rows, so that nothing of the person is
left. What stays is the fact that a change happened (who made it, when, via which channel):
the deletion is recorded like any other change, under the channel "erasure".

Models with personal data register their personal fields in PERSONAL_DATA; the erasure
finds a person by e-mail address or by the row's primary key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction

from helix.core.history import history_context

ERASED = ""  # what a personal field of a history row holds after erasure

# model label -> (personal fields, the field holding the e-mail address)
PERSONAL_DATA: dict[str, tuple[tuple[str, ...], str]] = {
    "actors.ContactPerson": (("name", "function", "email", "phone"), "email"),
    "projects.ProjectContact": (("name", "email", "phone"), "email"),  # not history-tracked: deletion erases
}


def register(label: str, fields: Iterable[str], email_field: str) -> None:
    """Declare a model's personal fields (call from the app's ready() or module level)."""
    PERSONAL_DATA[label] = (tuple(fields), email_field)


@dataclass
class ErasureReport:
    dry_run: bool = False
    rows_deleted: dict[str, int] = field(default_factory=dict)
    history_rows_blanked: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows_deleted.values()) + sum(self.history_rows_blanked.values())

    def lines(self) -> list[str]:
        out = []
        for label in sorted(set(self.rows_deleted) | set(self.history_rows_blanked)):
            out.append(
                f"{label}: {self.rows_deleted.get(label, 0)} record(s) deleted, "
                f"{self.history_rows_blanked.get(label, 0)} history row(s) blanked"
            )
        return out


class _DryRun(Exception):
    pass


def _event_model(model: type[models.Model]) -> type[models.Model] | None:
    """The pghistory event model that tracks `model` (None when it is not tracked)."""
    for candidate in apps.get_models():
        if getattr(candidate, "pgh_tracked_model", None) is model:
            return candidate
    return None


def erase_personal_data(
    *, email: str | None = None, pks: dict[str, list[int]] | None = None, user: Any = None, dry_run: bool = False
) -> ErasureReport:
    """Delete the people matching `email` (case-insensitive) or the given primary keys per model
    label, and blank their personal fields in the change history. Atomic; `dry_run` rolls back."""
    if not email and not pks:
        raise ValueError("give an e-mail address or primary keys")
    report = ErasureReport(dry_run=dry_run)
    try:
        with transaction.atomic(), history_context(channel="erasure", user=user):
            for label, (fields, email_field) in PERSONAL_DATA.items():
                model = apps.get_model(label)
                event_model = _event_model(model)
                ids: set[int] = set((pks or {}).get(label, []))
                if email:
                    ids |= set(model._default_manager.filter(**{f"{email_field}__iexact": email}).values_list("pk", flat=True))
                    if event_model is not None:
                        # People already deleted live on only in the history.
                        ids |= set(
                            event_model._default_manager.filter(**{f"{email_field}__iexact": email}).values_list(
                                "pgh_obj_id", flat=True
                            )
                        )
                if not ids:
                    continue
                deleted, _ = model._default_manager.filter(pk__in=ids).delete()
                report.rows_deleted[label] = deleted
                if event_model is not None:
                    blanked = event_model._default_manager.filter(pgh_obj_id__in=ids).update(**dict.fromkeys(fields, ERASED))
                    report.history_rows_blanked[label] = blanked
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
