"""Write use cases of the strategy monitor. Entry points wrap calls in `history_context`.

Rights: curators do everything; owners (editors of an organisation that owns the
recommendation, directly or through one of its actions) record progress and add actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helix.actors.models import Organisation
from helix.core.permissions import is_curator, organisation_ids_for

from .choices import IndicatorKind, ProgressStatus
from .models import Action, Indicator, Measurement, ProgressUpdate, Recommendation


def owner_ids(recommendation: Recommendation) -> set[int]:
    """Organisations that own a recommendation: its owners and the owners of its actions."""
    owners = set(recommendation.owners.values_list("pk", flat=True))
    return owners | set(recommendation.actions.values_list("organisation_id", flat=True))


def owned_for(user: Any, recommendation: Recommendation) -> set[int]:
    """The owner organisations of `recommendation` that `user` edits."""
    return owner_ids(recommendation) & organisation_ids_for(user)


def can_record_progress(user: Any, recommendation: Recommendation) -> bool:
    return is_curator(user) or bool(owned_for(user, recommendation))


@transaction.atomic
def record_progress(
    *,
    recommendation: Recommendation,
    status: ProgressStatus | str,
    justification: str,
    evidence: Iterable[str],
    user: Any,
    as_of: datetime.date | None = None,
    organisation: Organisation | None = None,
    override_reason: str = "",
) -> ProgressUpdate:
    """A progress update by an owner (or a curator); `user=None` means a trusted channel.

    `organisation` is the owner on whose behalf the update is made; for an editor of exactly
    one owner organisation it is that one. The status the indicators suggest on `as_of` is
    stored with the update; declaring another status needs an `override_reason`.
    Raises PermissionDenied or ValidationError.
    """
    from .indicators import suggested_status

    if user is not None and not is_curator(user):
        allowed = owned_for(user, recommendation)
        if not allowed or (organisation is not None and organisation.pk not in allowed):
            raise PermissionDenied(_("Only the owners of a recommendation and curators record its progress."))
        if organisation is None:
            organisation = Organisation.objects.get(pk=min(allowed))
    day = as_of or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"as_of": _("A progress update describes today or an earlier day.")})
    suggested = suggested_status(recommendation.pk, on=day)
    if status not in ProgressStatus.values:
        raise ValidationError({"status": _("Choose one of the four steps.")})
    reason = override_reason.strip()
    if suggested is not None and suggested != status and not reason:
        raise ValidationError(
            {
                "override_reason": _("The indicators suggest “%(status)s”: say why you declare another status.")
                % {"status": suggested.label}
            }
        )
    update = ProgressUpdate(
        recommendation=recommendation,
        status=ProgressStatus(status),
        suggested_status=suggested or "",
        override_reason=reason if suggested is not None and suggested != status else "",
        justification=justification.strip(),
        evidence=[e.strip() for e in evidence if e and e.strip()],
        as_of=day,
        organisation=organisation,
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    title: str,
    organisation: Organisation,
    user: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Action:
    """An action under a recommendation, owned by `organisation` (an owner of the recommendation)."""
    if user is not None and not is_curator(user) and organisation.pk not in owned_for(user, recommendation):
        raise PermissionDenied(_("Only the owners of a recommendation and curators add actions to it."))
    action = Action(
        recommendation=recommendation, title=title.strip(), organisation=organisation, starts_on=starts_on, ends_on=ends_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def assign_owner(*, recommendation: Recommendation, organisation: Organisation, user: Any) -> None:
    """Make an organisation an owner of a recommendation (curators only)."""
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators assign the owners of a recommendation."))
    recommendation.owners.add(organisation)


def can_manage_action(user: Any, action: Action) -> bool:
    """Curators, and the editors of the action's owner organisation."""
    return is_curator(user) or action.organisation_id in organisation_ids_for(user)


@transaction.atomic
def update_action(
    *,
    action: Action,
    title: str,
    organisation: Organisation,
    user: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Action:
    """Change an action: its owner's editors (who may hand it to another owner of the recommendation) and curators."""
    if user is not None and not is_curator(user):
        if not can_manage_action(user, action):
            raise PermissionDenied(_("Only the owner of an action and curators change it."))
        if organisation.pk not in owner_ids(action.recommendation):
            raise PermissionDenied(_("An action belongs to one of the owners of its recommendation."))
    action.title, action.organisation, action.starts_on, action.ends_on = title.strip(), organisation, starts_on, ends_on
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def delete_action(*, action: Action, user: Any) -> None:
    if user is not None and not can_manage_action(user, action):
        raise PermissionDenied(_("Only the owner of an action and curators remove it."))
    action.delete()


@transaction.atomic
def remove_owner(*, recommendation: Recommendation, organisation: Organisation, user: Any) -> None:
    """Stop an organisation owning a recommendation (curators only); its actions stay."""
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators assign the owners of a recommendation."))
    recommendation.owners.remove(organisation)


# -- indicators -----------------------------------------------------------------------------


INDICATOR_FIELDS = (
    "name_nl",
    "name_en",
    "description_en",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)


def can_measure(user: Any, indicator: Indicator) -> bool:
    """Curators, and the editors of an owner of a recommendation the indicator is linked to."""
    if is_curator(user):
        return True
    mine = organisation_ids_for(user)
    if not mine:
        return False
    return any(owned_for(user, rec) for rec in indicator.recommendations.all())


@transaction.atomic
def save_indicator(
    *,
    indicator: Indicator | None,
    data: dict[str, Any],
    recommendations: Iterable[Recommendation] | None,
    user: Any,
) -> Indicator:
    """Create or change an indicator (curators). Computed indicators keep their function and kind."""
    if user is not None and not is_curator(user):
        raise PermissionDenied(_("Only curators define indicators."))
    if indicator is None:
        indicator = Indicator(kind=IndicatorKind.MANUAL)
        if not data.get("slug"):
            data = {**data, "slug": slugify(data.get("name_nl", ""))[:80]}
        indicator.slug = data["slug"]
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    indicator.save()
    if recommendations is not None:
        indicator.recommendations.set(list(recommendations))
    return indicator


@transaction.atomic
def add_measurement(
    *,
    indicator: Indicator,
    value: Decimal,
    measured_on: datetime.date,
    user: Any,
    source: str = "",
    note: str = "",
) -> Measurement:
    """A measurement of a manual indicator by a curator or an owner of a linked recommendation."""
    if indicator.is_computed:
        raise ValidationError(_("Computed indicators are measured by Helix itself (snapshot_indicators)."))
    if user is not None and not can_measure(user, indicator):
        raise PermissionDenied(_("Only curators and the owners of a linked recommendation add measurements."))
    measurement = Measurement(
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        source=source.strip(),
        note=note.strip(),
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def ensure_computed_indicators() -> list[Indicator]:
    """Create the computed indicators of helix.strategy.indicators.COMPUTATIONS that are missing
    and link them to their recommendations (again, if they have none, e.g. created before
    load_study); existing ones keep what curators set (targets, names, links)."""
    from .indicators import COMPUTATIONS

    found = []
    for name, computation in COMPUTATIONS.items():
        indicator, created = Indicator.objects.get_or_create(
            computation=name,
            defaults={
                "slug": computation.slug,
                "kind": IndicatorKind.COMPUTED,
                "name_nl": computation.name_nl,
                "name_en": computation.name_en,
                "unit": computation.unit,
                "description_en": computation.description,
            },
        )
        if created or not indicator.recommendations.exists():
            indicator.recommendations.set(Recommendation.objects.filter(number__in=computation.recommendations))
        found.append(indicator)
    return found


@transaction.atomic
def snapshot_indicators(*, on: datetime.date | None = None) -> dict[str, str]:
    """Record today's (or `on`'s) value of every computed indicator; idempotent per date: a
    second run the same day updates the value only when it changed. Returns slug -> outcome."""
    from .indicators import compute

    day = on or timezone.localdate()
    outcome: dict[str, str] = {}
    for indicator in ensure_computed_indicators():
        result = compute(indicator)
        if result is None:
            outcome[indicator.slug] = "unavailable"
            continue
        existing = Measurement.objects.filter(indicator=indicator, measured_on=day, computed=True).first()
        if existing is None:
            Measurement.objects.create(
                indicator=indicator, value=result.value, measured_on=day, computed=True, source="Helix", note=result.note
            )
            outcome[indicator.slug] = "created"
        elif existing.value != result.value or existing.note != result.note:
            existing.value, existing.note = result.value, result.note
            existing.save(update_fields=["value", "note"])
            outcome[indicator.slug] = "updated"
        else:
            outcome[indicator.slug] = "unchanged"
    return outcome
