"""Representations of the public API (v1). Contact persons are never part of any of them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helix.actors.models import ExternalIdentifier, Membership, Organisation, Province
from helix.core.models import Figure, Record, Scheme, Term
from helix.instruments.choices import InstrumentStatus
from helix.instruments.models import Instrument
from helix.projects.models import ProjectLink
from helix.strategy.models import Cluster, GovernmentRole, ProgressUpdate, Recommendation
from helix.strategy.roadmap import dependencies

from .fields import BriefRecordField, ProvinceField, TermField, reject_nul

ORGANISATION_VIEW = "api:organisation-detail"
INSTRUMENT_VIEW = "api:instrument-detail"


def organisation_field(**kwargs: Any) -> BriefRecordField:
    if not kwargs.get("read_only"):
        kwargs.setdefault("queryset", Organisation.objects.live())
    return BriefRecordField(view_name=ORGANISATION_VIEW, **kwargs)


def unique_slug(model: type[models.Model], text: str) -> str:
    base = slugify(text)[:100].strip("-") or model._meta.model_name or "record"
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class RecordSerializer(serializers.ModelSerializer):
    """Shared by every curated record: identifier, version for optimistic concurrency, metadata.

    `version` is read with the record and may be sent back with a write (or as `If-Match`):
    the write is refused with 409 `stale_version` when someone saved the record in between.
    """

    slug = serializers.SlugField(
        max_length=120,
        required=False,
        help_text="Identifier used in URLs. Set once on creation (generated from the name when omitted); never changes.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Incremented on every change. Send it back with a write to detect concurrent edits.",
    )
    name_source = "name"

    def model(self) -> type[Record]:
        model: type[Record] = type(self).Meta.model
        return model

    def validate_slug(self, value: str) -> str:
        if self.instance is not None and value != self.instance.slug:
            raise serializers.ValidationError(_("The identifier of a record cannot change."), code="immutable")
        if self.instance is None and self.model()._default_manager.filter(slug=value).exists():
            raise serializers.ValidationError(_("This identifier is already taken."), code="unique")
        return value

    def split_changes(self) -> tuple[dict[str, Any], dict[str, Any], int | None]:
        """validated_data as (field changes, many-to-many changes, expected version)."""
        data = dict(self.validated_data)
        expected = data.pop("version", None)
        model = self.model()
        if self.instance is None and not data.get("slug"):
            data["slug"] = unique_slug(model, str(data.get(self.name_source, "")))
        m2m = {name: data.pop(name) for name in list(data) if model._meta.get_field(name).many_to_many}
        return data, m2m, expected


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExternalIdentifier
        fields = ["scheme", "value"]


class OrganisationSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name=ORGANISATION_VIEW, lookup_field="slug")
    nace_sections = TermField(scheme="nace", many=True, required=False)
    domains = TermField(scheme="domains", many=True, required=False)
    sdgs = TermField(scheme="sdgs", many=True, required=False)
    value_chain_roles = TermField(scheme="value-chain-roles", many=True, required=False)
    inclusion_reasons = TermField(scheme="inclusion-reasons", many=True, required=False)
    located_in = organisation_field(required=False, allow_null=True, help_text="The municipality (its identifier).")
    merged_into = organisation_field(required=False, allow_null=True)
    province = ProvinceField(queryset=Province.objects.all(), required=False, allow_null=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "url",
            "version",
            "name",
            "name_nl",
            "alternative_names",
            "kind",
            "subkind",
            "helix_role",
            "enterprise_number",
            "nace_sections",
            "sector",
            "founded_year",
            "size_class",
            "website",
            "description_nl",
            "description_en",
            "roles",
            "notes",
            "located_in",
            "province",
            "country",
            "domains",
            "sdgs",
            "value_chain_roles",
            "inclusion_reasons",
            "status",
            "merged_into",
            "identifiers",
            "refnis",
            "in_region",
            "is_centrumstad",
            "population",
            "municipality_size",
            "coordinator_appointed",
            "open_data_charter_signed",
            "formal_strategy",
            "source",
            "last_verified",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["created_at", "updated_at", "archived_at"]


class InstrumentSerializer(RecordSerializer):
    name_source = "title"

    url = serializers.HyperlinkedIdentityField(view_name=INSTRUMENT_VIEW, lookup_field="slug")
    website = serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=200, help_text="The instrument's own web page."
    )
    instrument_type = TermField(scheme="instrument-types", required=False, allow_null=True)
    eu_category = TermField(scheme="eu-funding-categories", required=False, allow_null=True)
    applicant_types = TermField(scheme="applicant-types", many=True, required=False)
    phases = TermField(scheme="phases", many=True, required=False)
    domains = TermField(scheme="domains", many=True, required=False)
    offered_by = organisation_field(required=False, allow_null=True)
    co_offered_by = organisation_field(many=True, required=False)
    managed_by = organisation_field(required=False, allow_null=True)
    restricted_to = organisation_field(many=True, required=False)
    parent = BriefRecordField(  # type: ignore[assignment]  # declared fields leave the class namespace
        view_name=INSTRUMENT_VIEW,
        name_attr="title",
        queryset=Instrument.objects.live(),
        required=False,
        allow_null=True,
        help_text="The parent programme (its identifier).",
    )
    status = serializers.ChoiceField(
        choices=InstrumentStatus.choices, read_only=True, help_text="Derived from the dates: open, upcoming, closed or permanent."
    )

    class Meta:
        model = Instrument
        fields = [
            "id",
            "slug",
            "url",
            "version",
            "title",
            "title_nl",
            "kind",
            "instrument_type",
            "status",
            "offered_by",
            "co_offered_by",
            "managed_by",
            "parent",
            "umbrella_programme",
            "eu_category",
            "policy_level",
            "country",
            "description_nl",
            "description_en",
            "link",
            "target_groups",
            "applicant_types",
            "municipality_sizes",
            "territory",
            "restricted_to",
            "consortium_required",
            "phases",
            "domains",
            "funding_forms",
            "cofinancing_rate",
            "amount_min",
            "amount_max",
            "total_budget",
            "amounts",
            "opens_on",
            "closes_on",
            "open_until_text",
            "recurrence",
            "deadlines",
            "website",
            "notes",
            "inventory_no",
            "inventory_fields",
            "source",
            "last_verified",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["created_at", "updated_at", "archived_at"]
        extra_kwargs = {"amounts": {"validators": [reject_nul]}, "inventory_fields": {"validators": [reject_nul]}}

    def validate_parent(self, value: Instrument | None) -> Instrument | None:
        if value is not None and self.instance is not None and value.pk == self.instance.pk:
            raise serializers.ValidationError(_("An instrument cannot be its own parent."), code="invalid")
        return value


class MembershipSerializer(serializers.ModelSerializer):
    subject = organisation_field(read_only=True)
    object = organisation_field(read_only=True, allow_null=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "slug",
            "subject",
            "predicate",
            "object",
            "object_project",
            "role",
            "start_date",
            "end_date",
            "note",
            "source",
        ]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scheme-detail", lookup_field="slug")

    class Meta:
        model = Scheme
        fields = ["id", "slug", "url", "name_nl", "name_en", "source"]


class SchemeTermSerializer(serializers.ModelSerializer):
    broader: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Code of the broader term."
    )

    class Meta:
        model = Term
        fields = ["code", "label_nl", "label_en", "definition", "broader", "order"]


class SchemeDetailSerializer(SchemeSerializer):
    terms = SchemeTermSerializer(many=True, read_only=True)

    class Meta(SchemeSerializer.Meta):
        fields = [*SchemeSerializer.Meta.fields, "terms"]


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Figure
        fields = ["id", "key", "value", "unit", "qualifier", "what", "year", "about", "source"]


# --- Projects (knowledge hub; read-only for now) ---------------------------------------------

PROJECT_VIEW = "api:project-detail"


def project_field(**kwargs: Any) -> BriefRecordField:
    return BriefRecordField(view_name=PROJECT_VIEW, name_attr="title", read_only=True, **kwargs)


class ProjectLinkFromSerializer(serializers.ModelSerializer):
    project = project_field(source="from_project", help_text="The project that links to this one.")

    class Meta:
        model = ProjectLink
        fields = ["kind", "project", "note"]


class ClusterBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["slug", "name_nl", "name_en", "order"]


class ProgressBriefSerializer(serializers.ModelSerializer):
    organisation = organisation_field(read_only=True, allow_null=True)

    class Meta:
        model = ProgressUpdate
        fields = ["status", "as_of", "justification", "evidence", "organisation", "suggested_status", "override_reason"]


class RoleOptionSerializer(serializers.Serializer):
    role = serializers.SlugField(source="role.slug")
    description_en = serializers.CharField()


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation of the study with its place in the roadmap and its latest progress."""

    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail", lookup_field="slug")
    theme = TermField(scheme="building-blocks", read_only=True, allow_null=True)
    cluster = ClusterBriefSerializer(read_only=True)
    advised_role: serializers.SlugRelatedField[GovernmentRole] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    advised_role_later: serializers.SlugRelatedField[GovernmentRole] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    role_options = RoleOptionSerializer(many=True, read_only=True)
    organisational_options: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, source="options"
    )
    depends_on = serializers.SerializerMethodField(help_text="Slugs of the recommendations this one waits for.")
    enables = serializers.SerializerMethodField(help_text="Slugs of the recommendations that wait for this one.")
    suggested_lead = organisation_field(many=True, read_only=True)
    involved = organisation_field(many=True, read_only=True)
    benchmark_cities = organisation_field(many=True, read_only=True)
    owners = organisation_field(many=True, read_only=True)
    latest_progress = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "slug",
            "url",
            "number",
            "title_nl",
            "title_en",
            "theme",
            "cluster",
            "goal",
            "advised_role",
            "advised_role_basis",
            "advised_role_later",
            "choice_motivation",
            "role_options",
            "organisational_options",
            "critical_success_factors",
            "suggested_actions",
            "depends_on",
            "depends_on_all",
            "enables",
            "suggested_lead",
            "involved",
            "benchmark_cities",
            "owners",
            "examples_cited",
            "latest_progress",
            "notes",
            "source",
            "last_verified",
        ]
        read_only_fields = fields

    def _slugs(self, obj: Recommendation, enables: bool) -> list[str]:
        links = [*obj.links_out.all(), *obj.links_in.all()]  # prefetched by the view
        slugs = {lk.from_recommendation_id: lk.from_recommendation.slug for lk in links}
        slugs.update({lk.to_recommendation_id: lk.to_recommendation.slug for lk in links})
        deps = dependencies(links)
        ids = (deps.enables if enables else deps.waits_for)[obj.pk]
        return sorted(slugs[i] for i in ids)

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_depends_on(self, obj: Recommendation) -> list[str]:
        return self._slugs(obj, enables=False)

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_enables(self, obj: Recommendation) -> list[str]:
        return self._slugs(obj, enables=True)

    @extend_schema_field(ProgressBriefSerializer(allow_null=True))
    def get_latest_progress(self, obj: Recommendation) -> dict[str, Any] | None:
        updates = list(obj.progress_updates.all())  # prefetched, newest first
        return ProgressBriefSerializer(updates[0], context=self.context).data if updates else None
