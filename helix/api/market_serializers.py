"""Representations of the marketplace in the public API (v1): challenges, solutions, responses.

Conventions as in helix.api.serializers: related records brief ({"id", "slug", "name", "url"})
and written by slug, terms as {"code", "label_nl", "label_en"} and written by code.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.market.choices import ChallengeStatus, ResponseOutcome
from helix.market.models import Challenge, ChallengeOwner, Response, Solution

from .fields import BriefRecordField, TermField, reject_nul
from .serializers import RecordSerializer, organisation_field

CHALLENGE_VIEW = "api:challenge-detail"
SOLUTION_VIEW = "api:solution-detail"
RESPONSE_VIEW = "api:response-detail"


class MarketRecordSerializer(RecordSerializer):
    """A record whose write also carries values that are not columns (e.g. the lead owner)."""

    name_source = "title"
    extra_keys: tuple[str, ...] = ()

    def split_changes(self) -> tuple[dict[str, Any], dict[str, Any], int | None]:
        self.extras = {key: self.validated_data.pop(key) for key in self.extra_keys if key in self.validated_data}
        return super().split_changes()


class ChallengeOwnerSerializer(serializers.ModelSerializer):
    organisation = organisation_field(read_only=True)

    class Meta:
        model = ChallengeOwner
        fields = ["organisation", "role"]


class ChallengeSerializer(MarketRecordSerializer):
    extra_keys = ("lead_owner",)

    url = serializers.HyperlinkedIdentityField(view_name=CHALLENGE_VIEW, lookup_field="slug")
    lead = organisation_field(
        source="lead_owner",
        required=False,
        help_text="The lead owner (its identifier): required on creation, fixed afterwards. You must edit it.",
    )
    owners = ChallengeOwnerSerializer(source="owner_links", many=True, read_only=True)
    is_joint = serializers.BooleanField(read_only=True, help_text="Owned by more than one organisation.")
    status = serializers.ChoiceField(
        choices=ChallengeStatus.choices,
        read_only=True,
        help_text="Changed with the publish, close, reopen and award actions. New challenges are drafts.",
    )
    accepts_responses = serializers.BooleanField(read_only=True, help_text="Open, and the deadline (if any) not passed.")
    domains = TermField(scheme="domains", many=True, required=False)
    sdgs = TermField(scheme="sdgs", many=True, required=False)
    value_chain_roles_needed = TermField(scheme="value-chain-roles", many=True, required=False)
    phase_sought = TermField(scheme="phases", required=False, allow_null=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "slug",
            "url",
            "version",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            "lead",
            "owners",
            "is_joint",
            "format",
            "status",
            "accepts_responses",
            "domains",
            "sdgs",
            "value_chain_roles_needed",
            "phase_sought",
            "budget_min",
            "budget_max",
            "deadline",
            "published_at",
            "source",
            "last_verified",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["published_at", "created_at", "updated_at", "archived_at"]
        extra_kwargs = {"description_nl": {"validators": [reject_nul]}, "description_en": {"validators": [reject_nul]}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lead = attrs.get("lead_owner")
        if self.instance is None and lead is None:
            raise serializers.ValidationError({"lead": [_("Name the lead owner (an organisation you edit).")]}, code="required")
        if self.instance is not None and lead is not None and lead != self.instance.lead_owner:
            raise serializers.ValidationError({"lead": [_("The lead owner of a challenge cannot change.")]}, code="immutable")
        return attrs


class CoOwnerSerializer(serializers.Serializer):
    organisation = organisation_field(help_text="The organisation that joins as co-owner (its identifier).")


class SolutionSerializer(MarketRecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=SOLUTION_VIEW, lookup_field="slug")
    organisation = organisation_field(required=False, help_text="The provider (its identifier); required on creation.")
    is_startup = serializers.BooleanField(
        read_only=True, help_text="From the registry: a company whose sub-kind says start-up, or founded at most 5 years ago."
    )
    domains = TermField(scheme="domains", many=True, required=False)
    sdgs = TermField(scheme="sdgs", many=True, required=False)
    value_chain_roles = TermField(scheme="value-chain-roles", many=True, required=False)
    maturity = TermField(scheme="phases", required=False, allow_null=True)
    references = BriefRecordField(
        view_name="api:organisation-detail",
        queryset=Organisation.objects.live().filter(kind=OrganisationKind.MUNICIPALITY),
        many=True,
        required=False,
        help_text="Municipalities where the solution runs (their identifiers).",
    )
    open_standards = serializers.ListField(
        child=serializers.CharField(max_length=60, validators=[reject_nul]),
        required=False,
        max_length=50,
        help_text='Open standards it supports, e.g. ["OSLO", "NGSI-LD", "DCAT-AP"].',
    )

    class Meta:
        model = Solution
        fields = [
            "id",
            "slug",
            "url",
            "version",
            "title",
            "title_nl",
            "description_nl",
            "description_en",
            "organisation",
            "is_startup",
            "domains",
            "sdgs",
            "value_chain_roles",
            "maturity",
            "references",
            "open_standards",
            "pricing_model",
            "website",
            "source",
            "last_verified",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["created_at", "updated_at", "archived_at"]
        extra_kwargs = {"description_nl": {"validators": [reject_nul]}, "description_en": {"validators": [reject_nul]}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and attrs.get("organisation") is None:
            raise serializers.ValidationError({"organisation": [_("Name the providing organisation.")]}, code="required")
        return attrs


class ResponseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=RESPONSE_VIEW)
    challenge = BriefRecordField(
        view_name=CHALLENGE_VIEW,
        name_attr="title",
        queryset=Challenge.objects.live().published(),
        help_text="The challenge answered (its identifier).",
    )
    solution = BriefRecordField(
        view_name=SOLUTION_VIEW,
        name_attr="title",
        queryset=Solution.objects.live(),
        help_text="One of your organisation's solutions (its identifier); its provider is the responder.",
    )
    organisation = organisation_field(read_only=True, help_text="The responding organisation: the solution's provider.")
    proposal = serializers.CharField(max_length=5000, validators=[reject_nul])

    class Meta:
        model = Response
        fields = [
            "id",
            "url",
            "challenge",
            "solution",
            "organisation",
            "proposal",
            "status",
            "outcome",
            "outcome_noted_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "outcome", "outcome_noted_at", "created_at", "updated_at"]


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ResponseOutcome.choices, help_text="What came of the response.")
