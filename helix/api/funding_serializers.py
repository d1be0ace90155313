"""Request and response of `POST /api/v1/funding-finder/` (helix.matching.services.find_funding)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from helix.matching.adapters import APPLICANT_TYPE_SCHEME, DOMAIN_SCHEME, PHASE_SCHEME, FundingCatalogue
from helix.matching.engine.types import FundingCriterion, Outcome, Verdict
from helix.matching.services import (
    MAX_APPLICANTS,
    MAX_BUDGET,
    MAX_LIMIT,
    MAX_TEXT,
    ApplicantChoice,
    ApplicantNotFound,
    find_municipality,
    find_organisation,
)

MAX_DOMAINS = 50
DEFAULT_LIMIT = 50


def encodable(value: str) -> None:
    """Refuse text PostgreSQL cannot store (lone surrogates) as a validation error, not a crash."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError(_("The text is not valid Unicode."), code="invalid_text") from None


def _codes(context: Mapping[str, Any], scheme: str) -> set[str]:
    catalogue: FundingCatalogue = context["catalogue"]
    return {code for (s, code) in catalogue.labels if s == scheme}


class FundingApplicantSerializer(serializers.Serializer):
    """One applicant: a registered organisation, a municipality, or a type of applicant
    (optionally with the municipality where it is located)."""

    organisation = serializers.CharField(
        required=False,
        max_length=300,
        validators=[encodable],
        help_text="A registered organisation: its identifier (slug), numeric id or exact name. "
        "Its type, size and place come from the registry; give no other field with it.",
    )
    applicant_type = serializers.CharField(
        required=False,
        max_length=80,
        validators=[encodable],
        help_text="Code of a term of the scheme `applicant-types` (municipality, intercommunale, "
        "other-local-government, regional-government, company, sme, start-up, knowledge-institution, "
        "non-profit, consortium, citizen).",
    )
    municipality = serializers.CharField(
        required=False,
        max_length=200,
        validators=[encodable],
        help_text="A municipality: its REFNIS code (`44021`) or identifier (`gemeente-gent-44021`). Alone: the "
        "municipality applies; with `applicant_type`: where the applicant is located.",
    )

    def validate_applicant_type(self, value: str) -> str:
        if value not in _codes(self.context, APPLICANT_TYPE_SCHEME):
            raise serializers.ValidationError(
                _("Unknown applicant type “%(code)s”; see /api/v1/schemes/applicant-types/.") % {"code": value},
                code="unknown_applicant_type",
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organisation = attrs.get("organisation")
        municipality = attrs.get("municipality")
        applicant_type = attrs.get("applicant_type")
        if not (organisation or municipality or applicant_type):
            raise serializers.ValidationError(
                _("Give `organisation`, `municipality` or `applicant_type` for every applicant."), code="applicant_required"
            )
        if organisation and (municipality or applicant_type):
            raise serializers.ValidationError(
                _("An organisation already says its type and place: give `organisation` alone."), code="organisation_alone"
            )
        found_org = found_municipality = None
        try:
            if organisation:
                found_org = find_organisation(organisation)
            if municipality:
                found_municipality = find_municipality(municipality)
        except ApplicantNotFound as error:
            field = "municipality" if error.code == "unknown_municipality" else "organisation"
            messages = {
                "unknown_municipality": _("No municipality with REFNIS code or identifier “%(value)s”."),
                "unknown_organisation": _("No organisation “%(value)s” in the registry."),
                "ambiguous_organisation": _("Several organisations are called “%(value)s”; give its identifier (slug)."),
            }
            raise serializers.ValidationError(
                {field: [serializers.ErrorDetail(str(messages[error.code] % {"value": error.value}), code=error.code)]}
            ) from None
        attrs["choice"] = ApplicantChoice(
            organisation=found_org, municipality=found_municipality, applicant_type=applicant_type or None
        )
        return attrs


class FundingFinderSerializer(serializers.Serializer):
    """A project profile for the funding finder."""

    applicants = FundingApplicantSerializer(  # type: ignore[call-arg]  # ListSerializer takes min/max_length
        many=True,
        min_length=1,
        max_length=MAX_APPLICANTS,
        help_text=f"Who applies: one applicant, or a consortium of up to {MAX_APPLICANTS}.",
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=120, validators=[encodable]),
        required=False,
        default=list,
        max_length=MAX_DOMAINS,
        help_text="Codes of terms of the scheme `domains` (a domain includes its sub-topics).",
    )
    phase = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        validators=[encodable],
        help_text="Code of a term of the scheme `phases`: research, study, pilot, implementation, operation.",
    )
    budget = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_BUDGET, help_text="Budget needed, in whole euros."
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=MAX_TEXT,
        validators=[encodable],
        help_text="Free text about the project, Dutch or English (text relevance).",
    )
    include_ineligible = serializers.BooleanField(
        required=False, default=False, help_text="Also return instruments that are not eligible, with what rules them out."
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT, help_text="At most this many results."
    )

    def validate_domains(self, value: list[str]) -> list[str]:
        known = _codes(self.context, DOMAIN_SCHEME)
        unknown = [code for code in value if code not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown domain codes: %(codes)s; see /api/v1/schemes/domains/.") % {"codes": ", ".join(unknown[:10])},
                code="unknown_domain",
            )
        return list(dict.fromkeys(value))

    def validate_phase(self, value: str | None) -> str | None:
        if value and value not in _codes(self.context, PHASE_SCHEME):
            raise serializers.ValidationError(
                _("Unknown phase “%(code)s”; use research, study, pilot, implementation or operation.") % {"code": value},
                code="unknown_phase",
            )
        return value or None


# --- Response -----------------------------------------------------------------------------------


class FundingInstrumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="In the language of the request (Accept-Language), Dutch by default.")
    kind = serializers.CharField(help_text="`financial` (money) or `matchmaking` (support and matchmaking).")
    url = serializers.URLField(help_text="The instrument in the API.")
    page = serializers.URLField(help_text="The instrument's page on the site.")


class FundingReasonSerializer(serializers.Serializer):
    criterion = serializers.ChoiceField(choices=[(c.value, c.name) for c in FundingCriterion])
    outcome = serializers.ChoiceField(choices=[(o.value, o.name) for o in Outcome])
    detail = serializers.CharField(help_text="The reason, in the language of the request.")
    code = serializers.CharField(help_text="Stable message code of the reason (e.g. `territory.unmet`).")
    params = serializers.DictField(child=serializers.CharField(), help_text="The message's parameters (codes, ISO dates, euros).")


class FundingResultSerializer(serializers.Serializer):
    instrument = FundingInstrumentSerializer()
    score = serializers.FloatField(help_text="Ranking score in [0, 1] within the verdict group.")
    verdict = serializers.ChoiceField(choices=[(v.value, v.name) for v in Verdict])
    reasons = FundingReasonSerializer(many=True, help_text="One line per criterion, in a fixed order.")
    support_for = serializers.ListField(
        child=serializers.SlugField(),
        help_text="For support and matchmaking instruments: the funding instruments in these results they help with.",
    )


class FundingFinderResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Number of results returned.")
    results = FundingResultSerializer(many=True)
