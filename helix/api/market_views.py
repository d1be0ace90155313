"""API v1 of the marketplace: /challenges/, /solutions/, /responses/ (thin, over helix.market.services).

Reads: challenges and solutions are public, except draft challenges (only their owners' editors
and curators see them; 404 for everybody else). Responses are never public: the list holds
what the user may see (the responder's editors, the challenge owners' editors, curators).
Writes need a token and run the marketplace's services in a history context (channel "api"),
with the same rights as the pages: 403 `permission_denied`, 404 out of scope.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from helix.actors.models import Organisation
from helix.core.history import Channel, history_context
from helix.market import services
from helix.market.filters import CHALLENGE_SORTS, RESPONSE_SORTS, SOLUTION_SORTS, ChallengeFilter, ResponseFilter, SolutionFilter
from helix.market.models import Challenge, ChallengeOwner, Solution
from helix.market.models import Response as MarketResponse
from helix.market.permissions import can_edit_challenge

from .market_serializers import (
    ChallengeSerializer,
    CoOwnerSerializer,
    OutcomeSerializer,
    ResponseSerializer,
    SolutionSerializer,
)
from .permissions import ReadAnyoneWriteInScope
from .views import WRITE_DOCS, ReadViewSet, RecordViewSet, expected_version, request_id


class MarketWriteInScope(ReadAnyoneWriteInScope):
    """Reads are public; writes need a signed-in user. A challenge is edited by the editors of
    any of its owners; the services check every other right (and answer 403)."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if isinstance(obj, Challenge):
            return can_edit_challenge(request.user, obj)
        if isinstance(obj, MarketResponse):
            return True  # shortlist, withdraw and outcome have different rights: the services decide
        return super().has_object_permission(request, view, obj)


class MarketContext:
    """The history context of an API write: channel "api", the token's user, the request id."""

    def history(self) -> Any:
        request: Request = self.request  # type: ignore[attr-defined]
        return history_context(channel=Channel.API, user=request.user, request_id=request_id(request))


def challenges_with_relations(qs: QuerySet[Challenge]) -> QuerySet[Challenge]:
    return qs.select_related("phase_sought").prefetch_related(
        "domains",
        "sdgs",
        "value_chain_roles_needed",
        Prefetch("ownerships", queryset=ChallengeOwner.objects.select_related("organisation")),
    )


STATUS_DOCS = {
    name: extend_schema(request=None, responses=ChallengeSerializer, summary=summary)
    for name, summary in {
        "publish": "Publish a draft (owners): it becomes public and accepts responses",
        "close": "Close an open challenge for responses (owners)",
        "reopen": "Reopen a closed challenge (owners)",
        "award": "Mark an open or closed challenge as awarded (owners)",
    }.items()
}


@extend_schema_view(
    list=extend_schema(summary="List challenges (drafts only for their owners' editors and curators)"),
    retrieve=extend_schema(summary="One challenge, by identifier (slug)"),
    create=extend_schema(summary="Create a draft challenge for an organisation you edit (it leads)"),
    update=WRITE_DOCS["update"],
    partial_update=WRITE_DOCS["partial_update"],
    destroy=WRITE_DOCS["destroy"],
    **STATUS_DOCS,
)
class ChallengeViewSet(MarketContext, RecordViewSet):
    model = Challenge
    serializer_class = ChallengeSerializer
    filterset_class = ChallengeFilter
    ordering_options = CHALLENGE_SORTS
    default_ordering = "-published"
    permission_classes = [MarketWriteInScope]

    def base_queryset(self) -> QuerySet[Any]:
        return challenges_with_relations(Challenge.objects.visible_to(self.request.user))

    def perform_create(self, serializer: ChallengeSerializer) -> None:  # type: ignore[override]
        changes, m2m, _version = serializer.split_changes()
        with self.history():
            serializer.instance = services.create_challenge(
                lead=serializer.extras["lead_owner"], data=changes, m2m=m2m, user=self.request.user
            )

    def perform_update(self, serializer: ChallengeSerializer) -> None:  # type: ignore[override]
        changes, m2m, version = serializer.split_changes()
        with self.history():
            serializer.instance = services.update_challenge(
                challenge=serializer.instance,  # type: ignore[arg-type]
                data=changes,
                m2m=m2m,
                user=self.request.user,
                expected_version=expected_version(self.request, version),
            )

    def perform_destroy(self, instance: Challenge) -> None:  # type: ignore[override]
        with self.history():
            services.archive_challenge(challenge=instance, user=self.request.user)

    def _fresh(self, challenge: Challenge) -> Response:
        data = self.get_serializer(self.base_queryset().get(pk=challenge.pk)).data
        return Response(data, headers={"ETag": f'"{data["version"]}"'})

    def _transition(self, service: Callable[..., Any]) -> Response:
        challenge = self.get_object()
        with self.history():
            service(challenge=challenge, user=self.request.user)
        return self._fresh(challenge)

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str) -> Response:
        return self._transition(services.publish_challenge)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, slug: str) -> Response:
        return self._transition(services.close_challenge)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, slug: str) -> Response:
        return self._transition(services.reopen_challenge)

    @action(detail=True, methods=["post"])
    def award(self, request: Request, slug: str) -> Response:
        return self._transition(services.award_challenge)

    @extend_schema(request=CoOwnerSerializer, responses=ChallengeSerializer, summary="Add a co-owner (lead owner's editors)")
    @action(detail=True, methods=["post"], url_path="owners")
    def add_owner(self, request: Request, slug: str) -> Response:
        challenge = self.get_object()
        body = CoOwnerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with self.history():
            services.add_co_owner(challenge=challenge, organisation=body.validated_data["organisation"], user=request.user)
        return self._fresh(challenge)

    @extend_schema(request=None, responses=ChallengeSerializer, summary="Remove a co-owner (lead owner's editors)")
    @action(detail=True, methods=["delete"], url_path=r"owners/(?P<organisation>[^/]+)")
    def remove_owner(self, request: Request, slug: str, organisation: str) -> Response:
        challenge = self.get_object()
        owner = next((o for o in challenge.ownerships.all() if o.organisation.slug == organisation), None)
        if owner is None:
            raise serializers.ValidationError({"organisation": ["This organisation does not own the challenge."]})
        with self.history():
            services.remove_co_owner(challenge=challenge, organisation=owner.organisation, user=request.user)
        return self._fresh(challenge)


@extend_schema_view(
    list=extend_schema(summary="List solutions on offer"),
    retrieve=extend_schema(summary="One solution, by identifier (slug)"),
    create=extend_schema(summary="Add a solution of an organisation you edit"),
    update=WRITE_DOCS["update"],
    partial_update=WRITE_DOCS["partial_update"],
    destroy=WRITE_DOCS["destroy"],
)
class SolutionViewSet(MarketContext, RecordViewSet):
    model = Solution
    serializer_class = SolutionSerializer
    filterset_class = SolutionFilter
    ordering_options = SOLUTION_SORTS
    default_ordering = "title"
    permission_classes = [MarketWriteInScope]

    def base_queryset(self) -> QuerySet[Any]:
        return Solution.objects.select_related("organisation", "maturity").prefetch_related(
            "domains", "sdgs", "value_chain_roles", Prefetch("references", queryset=Organisation.objects.live())
        )

    def perform_create(self, serializer: SolutionSerializer) -> None:  # type: ignore[override]
        changes, m2m, _version = serializer.split_changes()
        organisation = changes.pop("organisation")
        with self.history():
            serializer.instance = services.create_solution(
                organisation=organisation, data=changes, m2m=m2m, user=self.request.user
            )

    def perform_update(self, serializer: SolutionSerializer) -> None:  # type: ignore[override]
        changes, m2m, version = serializer.split_changes()
        with self.history():
            serializer.instance = services.update_solution(
                solution=serializer.instance,  # type: ignore[arg-type]
                data=changes,
                m2m=m2m,
                user=self.request.user,
                expected_version=expected_version(self.request, version),
            )

    def perform_destroy(self, instance: Solution) -> None:  # type: ignore[override]
        with self.history():
            services.archive_solution(solution=instance, user=self.request.user)


RESPONSE_ACTION_DOCS = {
    name: extend_schema(request=None, responses=ResponseSerializer, summary=summary)
    for name, summary in {
        "shortlist": "Shortlist a response (the challenge owners' editors)",
        "reject": "Decline a response (the challenge owners' editors)",
        "withdraw": "Withdraw your organisation's response",
    }.items()
}


@extend_schema_view(
    list=extend_schema(summary="List the responses you may see (never public)"),
    retrieve=extend_schema(summary="One response, by id"),
    create=extend_schema(summary="Respond to an open challenge with one of your organisation's solutions"),
    outcome=extend_schema(request=OutcomeSerializer, responses=ResponseSerializer, summary="Record what came of a response"),
    **RESPONSE_ACTION_DOCS,
)
class ResponseViewSet(MarketContext, mixins.CreateModelMixin, ReadViewSet):
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    ordering_options = RESPONSE_SORTS
    default_ordering = "-created"
    permission_classes = [MarketWriteInScope]
    lookup_field = "pk"
    lookup_value_regex = r"[^/]+"  # anything reaches the view, which answers a JSON 404

    def get_queryset(self) -> QuerySet[Any]:
        return MarketResponse.objects.visible_to(self.request.user).select_related("challenge", "solution", "organisation")

    def perform_create(self, serializer: ResponseSerializer) -> None:  # type: ignore[override]
        data = serializer.validated_data
        with self.history():
            serializer.instance = services.respond(
                challenge=data["challenge"], solution=data["solution"], proposal=data["proposal"], user=self.request.user
            )

    def _act(self, service: Callable[..., Any], **kwargs: Any) -> Response:
        response = self.get_object()
        with self.history():
            service(response=response, user=self.request.user, **kwargs)
        return Response(self.get_serializer(self.get_queryset().get(pk=response.pk)).data)

    @action(detail=True, methods=["post"])
    def shortlist(self, request: Request, pk: str) -> Response:
        return self._act(services.shortlist_response)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._act(services.reject_response)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._act(services.withdraw_response)

    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(services.record_outcome, outcome=body.validated_data["outcome"])
