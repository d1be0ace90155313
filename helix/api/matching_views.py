"""Marketplace matches for machines: the same use cases as the pages (helix.matching.market).

    GET /api/v1/challenges/{slug}/matches/?type=solution|organisation&limit=N
    GET /api/v1/solutions/{slug}/matches/?limit=N          (open challenges for a solution)
    GET /api/v1/organisations/{slug}/partners/?limit=N     (complementary companies)
    GET /api/v1/organisations/{slug}/peers/?limit=N        (municipalities only)

Each returns `{"results": [{"object": {...brief}, "score", "explanation": [{"criterion",
"weight", "value", "contribution"}]}]}`. Access rules come first: a draft challenge is 404 for
those who may not see it, and draft challenges are never among the results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.market.models import Challenge, Solution
from helix.matching import market
from helix.matching.market import RankedObject

from .schema import HelixAutoSchema


class BriefObjectSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["solution", "organisation", "challenge"])
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The object's API URL.")
    page = serializers.URLField(help_text="The object's page on the site.")


class ContributionSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    weight = serializers.FloatField()
    value = serializers.FloatField(help_text="The signal's value, from 0 to 1.")
    contribution = serializers.FloatField(help_text="weight * value; the contributions add up to the score.")


class MatchSerializer(serializers.Serializer):
    object = BriefObjectSerializer()
    score = serializers.FloatField()
    explanation = ContributionSerializer(many=True)


class MatchResultsSerializer(serializers.Serializer):
    results = MatchSerializer(many=True)


class MatchQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=market.MAX_LIMIT, default=20)


class ChallengeMatchQuerySerializer(MatchQuerySerializer):
    type = serializers.ChoiceField(choices=["solution", "organisation"], default="solution")


API_DETAIL = {"solution": "api:solution-detail", "organisation": "api:organisation-detail", "challenge": "api:challenge-detail"}


def _brief(request: Request, ranked: RankedObject) -> dict[str, Any]:
    from django.urls import reverse

    obj: Any = ranked.object
    title = getattr(obj, "display_title", None) or getattr(obj, "display_name", None) or str(obj)
    if ranked.kind == "organisation" and obj.kind == OrganisationKind.MUNICIPALITY:
        api = reverse("api:municipality-detail", kwargs={"slug": obj.slug})
    else:
        api = reverse(API_DETAIL[ranked.kind], kwargs={"slug": obj.slug})
    return {
        "type": ranked.kind,
        "id": obj.pk,
        "slug": obj.slug,
        "title": title,
        "url": request.build_absolute_uri(api),
        "page": request.build_absolute_uri(obj.get_absolute_url()),
    }


def _results(request: Request, ranked: list[RankedObject]) -> Response:
    return Response(
        {
            "results": [
                {
                    "object": _brief(request, r),
                    "score": r.score,
                    "explanation": [
                        {
                            "criterion": str(c.criterion),
                            "weight": c.weight,
                            "value": c.value,
                            "contribution": c.contribution,
                        }
                        for c in r.explanation
                    ],
                }
                for r in ranked
            ]
        }
    )


class _MatchView(APIView):
    permission_classes = [AllowAny]
    schema = HelixAutoSchema()
    query_serializer: type[serializers.Serializer] = MatchQuerySerializer

    def params(self, request: Request) -> dict[str, Any]:
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def run(self, request: Request, obj: Model, use_case: Callable[..., list[RankedObject]], **extra: Any) -> Response:
        params = self.params(request)
        return _results(request, use_case(obj, user=request.user, **params, **extra))


LIMIT = OpenApiParameter("limit", int, description=f"How many results (1 to {market.MAX_LIMIT}, default 20).")


class ChallengeMatchesView(_MatchView):
    query_serializer = ChallengeMatchQuerySerializer

    @extend_schema(
        operation_id="challenges_matches",
        summary="Solutions or organisations that fit a challenge, each with its explanation",
        parameters=[
            OpenApiParameter("type", str, enum=["solution", "organisation"], description="What to rank (default: solution)."),
            LIMIT,
        ],
        responses=MatchResultsSerializer,
        tags=["marketplace"],
    )
    def get(self, request: Request, slug: str) -> Response:
        challenge = get_object_or_404(Challenge.objects.live().visible_to(request.user), slug=slug)
        return self.run(request, challenge, market.challenge_matches)


class SolutionMatchesView(_MatchView):
    @extend_schema(
        operation_id="solutions_matches",
        summary="Open challenges a solution could answer, each with its explanation",
        parameters=[LIMIT],
        responses=MatchResultsSerializer,
        tags=["marketplace"],
    )
    def get(self, request: Request, slug: str) -> Response:
        solution = get_object_or_404(Solution.objects.live(), slug=slug)
        return self.run(request, solution, market.solution_matches)


class OrganisationPartnersView(_MatchView):
    @extend_schema(
        operation_id="organisations_partners",
        summary="Complementary companies: other value-chain roles in shared domains",
        parameters=[LIMIT],
        responses=MatchResultsSerializer,
        tags=["marketplace"],
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = get_object_or_404(Organisation.objects.live(), slug=slug)
        return self.run(request, organisation, market.organisation_partners)


class OrganisationPeersView(_MatchView):
    @extend_schema(
        operation_id="organisations_peers",
        summary="Peer municipalities with similar challenges and projects (municipalities only)",
        parameters=[LIMIT],
        responses=MatchResultsSerializer,
        tags=["marketplace"],
    )
    def get(self, request: Request, slug: str) -> Response:
        municipality = get_object_or_404(
            Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY, in_region=True), slug=slug
        )
        return self.run(request, municipality, market.municipality_peers)
