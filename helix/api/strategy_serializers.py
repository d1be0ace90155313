"""Serializers of the strategy monitor's indicators, measurements and progress updates (M8)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helix.strategy.choices import IndicatorKind, ProgressStatus
from helix.strategy.indicators import IndicatorState
from helix.strategy.models import Indicator, Measurement, ProgressUpdate, Recommendation

from .fields import IdentifierField
from .serializers import organisation_field


class MeasurementSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[Indicator] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "value", "measured_on", "source", "note", "computed"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its latest measurement and the status its progress suggests today."""

    url = serializers.HyperlinkedIdentityField(view_name="api:indicator-detail", lookup_field="slug")
    kind = serializers.ChoiceField(choices=IndicatorKind.choices, read_only=True)
    recommendations: serializers.SlugRelatedField[Recommendation] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    latest_measurement = serializers.SerializerMethodField()
    suggested_status = serializers.SerializerMethodField(
        help_text="The step this indicator's pace toward its target suggests (null without target or measurement)."
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "slug",
            "url",
            "name_nl",
            "name_en",
            "description_en",
            "unit",
            "kind",
            "computation",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "recommendations",
            "latest_measurement",
            "suggested_status",
        ]
        read_only_fields = fields

    def _state(self, obj: Indicator) -> IndicatorState | None:
        found: dict[int, IndicatorState] = self.context.get("indicator_states", {})
        return found.get(obj.pk)

    @extend_schema_field(MeasurementSerializer(allow_null=True))
    def get_latest_measurement(self, obj: Indicator) -> dict[str, Any] | None:
        state = self._state(obj)
        return MeasurementSerializer(state.latest).data if state and state.latest else None

    @extend_schema_field(serializers.ChoiceField(choices=ProgressStatus.choices, allow_null=True))
    def get_suggested_status(self, obj: Indicator) -> str | None:
        state = self._state(obj)
        suggested = state.suggested if state else None
        return suggested.value if suggested else None


class ProgressUpdateSerializer(serializers.ModelSerializer):
    """A progress update: read for everybody; owners' editors and curators create them."""

    recommendation = IdentifierField(
        slug_field="slug", queryset=Recommendation.objects.live(), help_text="The recommendation (identifier)."
    )
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    organisation = organisation_field(
        required=False,
        allow_null=True,
        help_text="The owner organisation the update is made for (identifier); default: the one you edit.",
    )
    evidence = serializers.ListField(child=serializers.URLField(max_length=500), required=False, max_length=20)
    suggested_status = serializers.ChoiceField(choices=ProgressStatus.choices, read_only=True, allow_blank=True)

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "recommendation",
            "status",
            "as_of",
            "justification",
            "evidence",
            "organisation",
            "suggested_status",
            "override_reason",
            "created_at",
        ]
        read_only_fields = ["id", "suggested_status", "created_at"]
        extra_kwargs = {
            "as_of": {"required": False, "help_text": "The day the status describes (default: today)."},
            "justification": {"max_length": 2000},
            "override_reason": {
                "required": False,
                "help_text": "Required when `status` differs from the status the indicators suggest.",
            },
        }
