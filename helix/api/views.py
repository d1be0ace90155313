"""API v1 views: thin configuration over the shared FilterSets, services and rights.

Reads are public. Writes need a token and the rights of helix.core.permissions; every write
runs a helix.core.services use case inside a history context (channel "api", the token's
user, the request id), because the middleware cannot know a token user.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from helix.actors.choices import OrganisationKind
from helix.actors.filters import SORTS as ORGANISATION_SORTS
from helix.actors.filters import MunicipalityFilter, OrganisationFilter
from helix.actors.models import Membership, Organisation
from helix.core.history import Channel, history_context
from helix.core.models import Figure, Record, Scheme, Term
from helix.core.permissions import can_edit_organisation, is_curator
from helix.core.services import archive_record, restore_record, save_record
from helix.instruments.filters import SORTS as INSTRUMENT_SORTS
from helix.instruments.filters import InstrumentFilter
from helix.instruments.models import Instrument
from helix.strategy.models import ProgressUpdate, Recommendation, RecommendationLink, RoleOption

from .errors import InvalidIfMatch
from .filters import MembershipFilter
from .schema import HelixAutoSchema
from .serializers import (
    FigureSerializer,
    InstrumentSerializer,
    MembershipSerializer,
    OrganisationSerializer,
    RecommendationSerializer,
    RecordSerializer,
    SchemeDetailSerializer,
    SchemeSerializer,
)

ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The version you edited, e.g. `"3"` (the `ETag` of the record). Alternative to the `version` field.',
)


def request_id(request: Request) -> str:
    return request.headers.get("X-Request-ID", "")[:64] or str(uuid.uuid4())


def expected_version(request: Request, body_version: int | None) -> int | None:
    """The version the client edited: the If-Match header, else the `version` field."""
    header = request.headers.get("If-Match")
    if header and header.strip() != "*":
        match = ETAG.match(header)
        if match is None:
            raise InvalidIfMatch({"If-Match": [InvalidIfMatch.default_detail]})
        return int(match.group(1))
    return body_version


def organisations() -> QuerySet[Organisation]:
    """Organisations with everything their representation needs, in a fixed number of queries."""
    return Organisation.objects.select_related("located_in", "province", "merged_into").prefetch_related(
        "nace_sections", "domains", "sdgs", "value_chain_roles", "inclusion_reasons", "identifiers"
    )


class ReadViewSet(viewsets.ReadOnlyModelViewSet):
    schema = HelixAutoSchema()
    parser_classes = [JSONParser]  # one request format, documented and fuzzed
    throttle_classes = [AnonRateThrottle]  # HELIX_API_ANON_RATE
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"


class RecordViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ReadViewSet,
):
    """Curated records: public reads of live records, writes within the user's rights.

    Archived records answer 404 except to curators (who can read, edit and restore them);
    lists never show them.
    """

    model: type[Record]
    serializer_class: type[RecordSerializer]

    def base_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        qs = self.base_queryset()
        if self.action == "list" or not is_curator(self.request.user):
            qs = qs.filter(archived_at__isnull=True)
        return qs

    def check_create_rights(self, data: dict[str, Any]) -> None:
        if not is_curator(self.request.user):
            raise PermissionDenied(_("Only curators may create this kind of record."))

    def check_scope(self, data: dict[str, Any]) -> None:
        """Called before a write: refuses changes that move a record out of the user's rights."""

    def get_success_headers(self, data: Any) -> dict[str, str]:
        headers = super().get_success_headers(data)
        if isinstance(data, dict) and "version" in data:
            headers["ETag"] = f'"{data["version"]}"'
        return headers

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().update(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response

    def perform_create(self, serializer: RecordSerializer) -> None:  # type: ignore[override]
        changes, m2m, _version = serializer.split_changes()
        self.check_create_rights(changes)
        self.check_scope(changes)
        with history_context(channel=Channel.API, user=self.request.user, request_id=request_id(self.request)):
            serializer.instance = save_record(self.model(), changes=changes, m2m=m2m, user=self.request.user)

    def perform_update(self, serializer: RecordSerializer) -> None:  # type: ignore[override]
        changes, m2m, version = serializer.split_changes()
        self.check_scope(changes)
        instance: Record = serializer.instance  # type: ignore[assignment]
        with history_context(channel=Channel.API, user=self.request.user, request_id=request_id(self.request)):
            serializer.instance = save_record(
                instance,
                changes=changes,
                m2m=m2m,
                user=self.request.user,
                expected_version=expected_version(self.request, version),
            )

    def perform_destroy(self, instance: Record) -> None:
        with history_context(channel=Channel.API, user=self.request.user, request_id=request_id(self.request)):
            archive_record(instance, user=self.request.user)

    @extend_schema(request=None, summary="Restore an archived record (curators)")
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, slug: str) -> Response:
        instance = self.get_object()  # archived records are 404 to everyone but curators
        if not is_curator(request.user):
            raise PermissionDenied(_("Only curators may restore records."))
        with history_context(channel=Channel.API, user=request.user, request_id=request_id(request)):
            restore_record(instance, user=request.user)
        data = self.get_serializer(self.base_queryset().get(pk=instance.pk)).data
        return Response(data, headers={"ETag": f'"{data["version"]}"'})


WRITE_DOCS = {
    "create": extend_schema(summary="Create (curators; members: instruments of their organisations)"),
    "update": extend_schema(summary="Replace (within your rights)", parameters=[IF_MATCH]),
    "partial_update": extend_schema(summary="Change some fields (within your rights)", parameters=[IF_MATCH]),
    "destroy": extend_schema(summary="Archive (restorable by curators)"),
}


@extend_schema_view(
    list=extend_schema(summary="List organisations (municipalities included)"),
    retrieve=extend_schema(summary="One organisation, by identifier (slug)"),
    **WRITE_DOCS,
)
class OrganisationViewSet(RecordViewSet):
    model = Organisation
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_options = ORGANISATION_SORTS
    default_ordering = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return organisations()


@extend_schema_view(
    list=extend_schema(summary="List the region's municipalities"),
    retrieve=extend_schema(summary="One municipality, by identifier (slug)"),
)
class MunicipalityViewSet(ReadViewSet):
    serializer_class = OrganisationSerializer
    filterset_class = MunicipalityFilter
    ordering_options = ORGANISATION_SORTS
    default_ordering = "name"

    def get_queryset(self) -> QuerySet[Any]:
        return organisations().filter(archived_at__isnull=True, kind=OrganisationKind.MUNICIPALITY, refnis__isnull=False)


@extend_schema_view(
    list=extend_schema(summary="List instruments"),
    retrieve=extend_schema(summary="One instrument, by identifier (slug)"),
    **WRITE_DOCS,
)
class InstrumentViewSet(RecordViewSet):
    model = Instrument
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter
    ordering_options = INSTRUMENT_SORTS
    default_ordering = "title"

    def base_queryset(self) -> QuerySet[Any]:
        live_orgs = Organisation.objects.live()
        return Instrument.objects.select_related(
            "instrument_type", "eu_category", "offered_by", "managed_by", "parent"
        ).prefetch_related(
            "applicant_types",
            "phases",
            "domains",
            Prefetch("co_offered_by", queryset=live_orgs),
            Prefetch("restricted_to", queryset=live_orgs),
        )

    def check_create_rights(self, data: dict[str, Any]) -> None:
        user = self.request.user
        offered_by = data.get("offered_by")
        if is_curator(user) or (offered_by is not None and can_edit_organisation(user, offered_by.pk)):
            return
        raise PermissionDenied(_("Members may only create instruments offered by their own organisation."))

    def check_scope(self, data: dict[str, Any]) -> None:
        user = self.request.user
        if "offered_by" not in data or is_curator(user):
            return
        offered_by = data["offered_by"]
        if offered_by is None or not can_edit_organisation(user, offered_by.pk):
            raise PermissionDenied(_("You may only assign instruments to organisations you edit."))


@extend_schema_view(list=extend_schema(summary="List memberships and other relations between organisations"))
class MembershipViewSet(ReadViewSet):
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_options = {"id": ("id",)}

    def get_queryset(self) -> QuerySet[Any]:
        return (
            Membership.objects.filter(archived_at__isnull=True, subject__archived_at__isnull=True)
            .exclude(object__archived_at__isnull=False)
            .select_related("subject", "object")
        )


@extend_schema_view(
    list=extend_schema(summary="List taxonomies (concept schemes)"),
    retrieve=extend_schema(summary="One scheme with its terms"),
)
class SchemeViewSet(ReadViewSet):
    queryset = Scheme.objects.all()
    filter_backends: list[Any] = []
    ordering_options = {"slug": ("slug", "id")}

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "retrieve":
            return Scheme.objects.prefetch_related(Prefetch("terms", queryset=Term.objects.select_related("broader")))
        return Scheme.objects.all()

    def get_serializer_class(self) -> type[SchemeSerializer]:
        return SchemeDetailSerializer if self.action == "retrieve" else SchemeSerializer


@extend_schema_view(
    list=extend_schema(summary="List the study's figures"),
    retrieve=extend_schema(summary="One figure, by key"),
)
class FigureViewSet(ReadViewSet):
    queryset = Figure.objects.all()
    serializer_class = FigureSerializer
    filter_backends: list[Any] = []
    lookup_field = "key"
    ordering_options = {"key": ("key", "id")}


@extend_schema_view(
    list=extend_schema(summary="List the study's recommendations (strategy monitor)"),
    retrieve=extend_schema(summary="One recommendation, by identifier (slug)"),
)
class RecommendationViewSet(ReadViewSet):
    serializer_class = RecommendationSerializer
    filter_backends: list[Any] = []
    ordering_options = {"number": ("number", "id")}
    default_ordering = "number"

    def get_queryset(self) -> QuerySet[Any]:
        live_orgs = Organisation.objects.live()
        links = RecommendationLink.objects.select_related("from_recommendation", "to_recommendation")
        return (
            Recommendation.objects.live()
            .select_related("theme", "cluster", "advised_role", "advised_role_later")
            .prefetch_related(
                "options",
                Prefetch("role_options", queryset=RoleOption.objects.select_related("role")),
                Prefetch("links_out", queryset=links),
                Prefetch("links_in", queryset=links),
                Prefetch("suggested_lead", queryset=live_orgs),
                Prefetch("involved", queryset=live_orgs),
                Prefetch("benchmark_cities", queryset=live_orgs),
                Prefetch("owners", queryset=live_orgs),
                Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("organisation")),
            )
        )
