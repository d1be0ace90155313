from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import BooleanField as Bool
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from helix.core.models import RecordQuerySet


class ProjectQuerySet(RecordQuerySet):
    def involving(self, organisation: Any) -> ProjectQuerySet:
        """Projects an organisation leads, is a partner in, or that run in it (a place), in one
        query without duplicates; each row says how (`is_lead`, `is_partner`, `is_place`)."""
        partner = apps.get_model("projects", "ProjectPartner")
        place = apps.get_model("projects", "Project").places.through
        return (
            self.annotate(
                is_lead=Case(When(lead=organisation, then=Value(True)), default=Value(False), output_field=Bool()),
                is_partner=Exists(partner.objects.filter(project=OuterRef("pk"), organisation=organisation)),
                is_place=Exists(place.objects.filter(project=OuterRef("pk"), organisation=organisation)),
            )
            .filter(Q(is_lead=True) | Q(is_partner=True) | Q(is_place=True))
            .order_by("title", "id")
        )
