"""Curators set the matcher's policy levers (start-up and open-standards boosts)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from helix.core.permissions import is_curator

from .models import MatchingPolicy


@transaction.atomic
def set_policy(*, user: Any, startup_boost: Decimal, open_standards_boost: Decimal) -> MatchingPolicy:
    """Change the levers (curators only). Validates first; the change is in the history."""
    if not is_curator(user):
        raise PermissionDenied(_("Only curators may change the matching policy."))
    policy = MatchingPolicy.objects.select_for_update().filter(pk=1).first() or MatchingPolicy(pk=1)
    policy.startup_boost = startup_boost
    policy.open_standards_boost = open_standards_boost
    policy.updated_by = user if getattr(user, "pk", None) else None
    policy.full_clean()
    policy.save()
    return policy
