"""'Who did this before?' for machines: the projects most similar to a project, elsewhere.

    GET /api/v1/projects/{slug}/similar/?limit=N

The same use case as the project page (`helix.matching.project_similarity`). Returns
`{"results": [{"object": {...brief}, "score", "link", "explanation": [{"criterion", "weight",
"value", "contribution"}]}]}`: the explanation has one line per criterion (text, domains, sdgs,
phase, status, size_class, funding); `link` says how the project is linked with the result
(a typed project link, or null). Archived projects answer 404 except to curators.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helix.core.permissions import is_curator
from helix.matching import project_similarity
from helix.matching.engine.projects import SimilarityCriterion
from helix.projects.choices import LinkKind
from helix.projects.models import Project

from .schema import HelixAutoSchema


class BriefProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    places = serializers.ListField(child=serializers.CharField(), help_text="Identifiers (slugs) of the places.")
    url = serializers.URLField(help_text="The project's API URL.")
    page = serializers.URLField(help_text="The project's page on the site.")


class ProjectLinkRefSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text="outgoing: the queried project states the link (it replicates the result); incoming: the result does.",
    )


class SimilarContributionSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(choices=[c.value for c in SimilarityCriterion])
    weight = serializers.FloatField()
    value = serializers.FloatField(help_text="The signal's value, from 0 to 1.")
    contribution = serializers.FloatField(help_text="weight * value; the contributions add up to the score.")


class SimilarProjectSerializer(serializers.Serializer):
    object = BriefProjectSerializer()
    score = serializers.FloatField()
    link = ProjectLinkRefSerializer(allow_null=True)
    explanation = SimilarContributionSerializer(many=True)


class SimilarProjectsSerializer(serializers.Serializer):
    results = SimilarProjectSerializer(many=True)


class SimilarQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=project_similarity.MAX_LIMIT, default=10)


class ProjectSimilarView(APIView):
    permission_classes = [AllowAny]
    schema = HelixAutoSchema()

    @extend_schema(
        operation_id="projects_similar",
        summary="The most similar projects elsewhere (not in this project's places), each with its explanation",
        parameters=[
            OpenApiParameter("limit", int, description=f"How many results (1 to {project_similarity.MAX_LIMIT}, default 10).")
        ],
        responses=SimilarProjectsSerializer,
        tags=["projects"],
    )
    def get(self, request: Request, slug: str) -> Response:
        qs = Project.objects.all() if is_curator(request.user) else Project.objects.live()
        project = get_object_or_404(qs, slug=slug)
        query = SimilarQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = project_similarity.similar_to_project(project, limit=query.validated_data["limit"], user=request.user)
        return Response({"results": [_result(request, r) for r in found]})


def _result(request: Request, ranked: project_similarity.RankedProject) -> dict[str, Any]:
    obj = ranked.object
    return {
        "object": {
            "id": obj.pk,
            "slug": obj.slug,
            "title": obj.display_title,
            "status": obj.status,
            "places": [p.slug for p in obj.places.all() if p.archived_at is None],
            "url": request.build_absolute_uri(reverse("api:project-detail", kwargs={"slug": obj.slug})),
            "page": request.build_absolute_uri(obj.get_absolute_url()),
        },
        "score": ranked.score,
        "link": (
            {"kind": ranked.link.kind, "direction": "outgoing" if ranked.link.outgoing else "incoming"} if ranked.link else None
        ),
        "explanation": [
            {"criterion": str(c.criterion), "weight": c.weight, "value": c.value, "contribution": c.contribution}
            for c in ranked.explanation
        ],
    }
