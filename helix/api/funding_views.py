"""`POST /api/v1/funding-finder/`: the funding finder for machines (public, no token needed).

The same use case as the page (helix.matching.services.find_funding): instruments ranked with a
verdict and one reason per criterion. Reasons are rendered in the request's language
(Accept-Language: nl, the default, or en); `code` and `params` are the stable, language-free form.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from helix.matching.adapters import funding_catalogue
from helix.matching.services import ShownResult, find_funding

from .funding_serializers import FundingFinderResultsSerializer, FundingFinderSerializer
from .schema import HelixAutoSchema

EXAMPLE = {
    "applicants": [{"municipality": "44021"}, {"applicant_type": "sme", "municipality": "13008"}],
    "domains": ["smart-mobility"],
    "phase": "pilot",
    "budget": 250000,
    "text": "deelfietsen en mobipunten",
    "include_ineligible": False,
    "limit": 20,
}


def _result(request: Request, result: ShownResult, slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "instrument": {
            "id": result.id,
            "slug": result.slug,
            "title": result.title,
            "kind": result.kind,
            "url": request.build_absolute_uri(reverse("api:instrument-detail", kwargs={"slug": result.slug})),
            "page": request.build_absolute_uri(result.url),
        },
        "score": result.score,
        "verdict": result.verdict,
        "reasons": [
            {"criterion": r.criterion, "outcome": r.outcome, "detail": r.detail, "code": r.code, "params": r.params}
            for r in result.reasons
        ],
        "support_for": [slugs[i] for i in result.support_for if i in slugs],
    }


class FundingFinderView(APIView):
    schema = HelixAutoSchema()
    parser_classes = [JSONParser]
    authentication_classes: list[Any] = []  # public: nothing to sign in for, and no CSRF for a read
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(
        operation_id="funding_finder",
        summary="Find funding for a project profile",
        description=(
            "Ranks the live funding and support instruments for a project profile. Every result has a "
            "verdict (`eligible`, `possibly_eligible`: nothing rules it out but data is missing, "
            "`not_eligible`) and one reason per criterion (applicant type, size class, territory, "
            "consortium, phase, domain, amount, co-financing, dates, text) with `met`, `unmet` or `unknown`. "
            "Not-eligible instruments are left out unless `include_ineligible` is true. Support instruments "
            "list the funding instruments in the same answer they help with (`support_for`). Unknown codes, "
            "municipalities or organisations answer 400 `validation_error` with a code per field "
            "(`unknown_domain`, `unknown_phase`, `unknown_applicant_type`, `unknown_municipality`, "
            "`unknown_organisation`, `ambiguous_organisation`, `applicant_required`, `organisation_alone`)."
        ),
        tags=["funding-finder"],
        request=FundingFinderSerializer,
        responses={200: FundingFinderResultsSerializer},
        examples=[OpenApiExample("A municipality and an SME", value=EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        catalogue = funding_catalogue()
        serializer = FundingFinderSerializer(data=request.data, context={"request": request, "catalogue": catalogue})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = find_funding(
            applicants=[a["choice"] for a in data["applicants"]],
            domains=data["domains"],
            phase=data.get("phase") or None,
            budget=data.get("budget"),
            text=data.get("text") or "",
            include_ineligible=data["include_ineligible"],
            limit=data["limit"],
            catalogue=catalogue,
        )
        slugs = {r.id: r.slug for r in answer.results}
        results = [_result(request, r, slugs) for r in answer.results]
        return Response({"count": len(results), "results": results})

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # /api/ is outside i18n_patterns, where Django answers in the default language; the
        # reasons follow Accept-Language here (Dutch by default).
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = (get_language() or "nl")[:2]
        return response
