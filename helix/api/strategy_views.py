"""API v1 of the strategy monitor: /indicators/, /measurements/ and /progress-updates/.

Reads are public (no personal data: authors are not exposed, only owner organisations).
Progress updates are written with a token by the editors of an owner organisation of the
recommendation and by curators, through helix.strategy.services.record_progress inside a
history context (channel "api", the token's user, the request id); 403 `permission_denied`
otherwise, 400 `validation_error` when the status departs from the suggested one without a reason.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from helix.core.history import Channel, history_context
from helix.strategy import services
from helix.strategy.indicators import states
from helix.strategy.models import Indicator, Measurement, ProgressUpdate

from .strategy_serializers import IndicatorSerializer, MeasurementSerializer, ProgressUpdateSerializer
from .views import ReadViewSet, request_id


class ById:
    """Rows addressed by their numeric id: anything reaches the view, which answers a JSON 404
    for what is not an id (instead of a server error for ids beyond the database's range)."""

    lookup_field = "pk"
    lookup_value_regex = r"[^/]+"

    def get_object(self) -> Any:
        raw = str(self.kwargs.get("pk", ""))  # type: ignore[attr-defined]
        if not raw.isascii() or not raw.isdigit() or int(raw) >= 2**63:
            raise Http404
        return super().get_object()  # type: ignore[misc]


class MeasurementFilter(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__slug", label="Indicator (identifier)", max_length=80)
    since = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte", label="Measured on or after")
    until = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte", label="Measured on or before")

    class Meta:
        model = Measurement
        fields: list[str] = []


class ProgressUpdateFilter(django_filters.FilterSet):
    recommendation = django_filters.CharFilter(
        field_name="recommendation__slug", label="Recommendation (identifier)", max_length=80
    )
    until = django_filters.DateFilter(field_name="as_of", lookup_expr="lte", label="Known on (as of this date or earlier)")

    class Meta:
        model = ProgressUpdate
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary="List the indicators of the strategy monitor, with latest value and suggested status"),
    retrieve=extend_schema(summary="One indicator, by identifier (slug)"),
)
class IndicatorViewSet(ReadViewSet):
    serializer_class = IndicatorSerializer
    filter_backends: list[Any] = []
    ordering_options = {"slug": ("slug", "id")}
    default_ordering = "slug"

    def get_queryset(self) -> QuerySet[Any]:
        return Indicator.objects.prefetch_related("recommendations")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            rows = args[0] if isinstance(args[0], list | QuerySet) else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["indicator_states"] = {s.indicator.pk: s for s in states(list(rows))}
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="List measurements of indicators (filter by indicator and dates)"),
    retrieve=extend_schema(summary="One measurement, by id"),
)
class MeasurementViewSet(ById, ReadViewSet):
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilter
    ordering_options = {"measured_on": ("measured_on", "id"), "-measured_on": ("-measured_on", "-id")}
    default_ordering = "-measured_on"

    def get_queryset(self) -> QuerySet[Any]:
        return Measurement.objects.select_related("indicator")


@extend_schema_view(
    list=extend_schema(summary="List progress updates: the history per recommendation (filter by recommendation)"),
    retrieve=extend_schema(summary="One progress update, by id"),
    create=extend_schema(summary="Record progress (editors of an owner organisation of the recommendation; curators)"),
)
class ProgressUpdateViewSet(ById, mixins.CreateModelMixin, ReadViewSet):
    serializer_class = ProgressUpdateSerializer
    filterset_class = ProgressUpdateFilter
    ordering_options = {"as_of": ("as_of", "created_at", "id"), "-as_of": ("-as_of", "-created_at", "-id")}
    default_ordering = "-as_of"

    def get_queryset(self) -> QuerySet[Any]:
        return ProgressUpdate.objects.filter(recommendation__archived_at__isnull=True).select_related(
            "recommendation", "organisation"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with history_context(channel=Channel.API, user=request.user, request_id=request_id(request)):
            update = services.record_progress(
                recommendation=data["recommendation"],
                status=data["status"],
                justification=data["justification"],
                evidence=data.get("evidence", []),
                as_of=data.get("as_of"),
                organisation=data.get("organisation"),
                override_reason=data.get("override_reason", ""),
                user=request.user,
            )
        return Response(self.get_serializer(update).data, status=201)
