"""Representation of projects (knowledge hub) in the public API (v1), read and write.

Conventions as in helix.api.serializers: related records brief ({"id", "slug", "name", "url"})
and written by slug, terms as {"code", "label_nl", "label_en"} and written by code. Relation
rows (partners with roles, funding with amounts, typed links) are written as whole lists: a
list given replaces the project's rows, a list left out keeps them. The contact person is
never part of the API.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from helix.instruments.models import Instrument
from helix.projects.choices import LinkKind
from helix.projects.models import Project

from .fields import BriefRecordField, TermField, reject_nul
from .serializers import INSTRUMENT_VIEW, PROJECT_VIEW, ProjectLinkFromSerializer, RecordSerializer, organisation_field

RELATION_SOURCES = ("partnerships", "fundings", "links_out")


class ProjectPartnerSerializer(serializers.Serializer):
    organisation = organisation_field(help_text="The partner organisation (its identifier).")
    role = serializers.CharField(max_length=200, allow_blank=True, required=False, default="", validators=[reject_nul])


class ProjectFundingSerializer(serializers.Serializer):
    instrument = BriefRecordField(
        view_name=INSTRUMENT_VIEW,
        name_attr="title",
        queryset=Instrument.objects.all(),
        help_text="The funding instrument (its identifier).",
    )
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, allow_null=True, required=False, default=None, help_text="In euros."
    )


class ProjectLinkToSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LinkKind.choices)
    project = BriefRecordField(
        view_name=PROJECT_VIEW,
        name_attr="title",
        source="to_project",
        queryset=Project.objects.live(),
        help_text="The project this one links to (its identifier).",
    )
    note = serializers.CharField(allow_blank=True, required=False, default="", validators=[reject_nul])


class ProjectSerializer(RecordSerializer):
    name_source = "title"

    url = serializers.HyperlinkedIdentityField(view_name=PROJECT_VIEW, lookup_field="slug")
    lead = organisation_field(
        required=False,
        allow_null=True,
        help_text="The lead organisation (its identifier). Members may only name an organisation they edit.",
    )
    partners = ProjectPartnerSerializer(source="partnerships", many=True, required=False)
    places = organisation_field(many=True, required=False, help_text="Municipalities, or cities abroad (identifiers).")
    domains = TermField(scheme="domains", many=True, required=False)
    sdgs = TermField(scheme="sdgs", many=True, required=False)
    phase = TermField(scheme="phases", required=False, allow_null=True)
    funding = ProjectFundingSerializer(source="fundings", many=True, required=False)
    results = serializers.JSONField(
        required=False,
        help_text='Indicators: a list of {"indicator", "value", "unit"} (texts); the study\'s plain texts are kept as texts.',
    )
    link_titles = serializers.DictField(
        child=serializers.CharField(max_length=300, allow_blank=True),
        required=False,
        help_text="Titles of the links and documents: {link URL: title}.",
    )
    links_to = ProjectLinkToSerializer(source="links_out", many=True, required=False)
    links_from = ProjectLinkFromSerializer(source="links_in", many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "slug",
            "url",
            "version",
            "title",
            "title_nl",
            "summary_nl",
            "summary_en",
            "project_type",
            "lead",
            "partners",
            "places",
            "area",
            "domains",
            "sdgs",
            "status",
            "phase",
            "start_date",
            "end_date",
            "period_text",
            "budget",
            "funding",
            "objectives",
            "results",
            "success_factors",
            "lessons",
            "risks",
            "links",
            "link_titles",
            "facts",
            "notes",
            "links_to",
            "links_from",
            "source",
            "last_verified",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["facts", "created_at", "updated_at", "archived_at"]
        extra_kwargs = {
            name: {"validators": [reject_nul]}
            for name in ("summary_nl", "summary_en", "objectives", "success_factors", "lessons", "risks", "notes")
        }

    def validate_link_titles(self, value: Any) -> Any:
        reject_nul(value)  # the keys too (PostgreSQL cannot store NUL characters)
        return value

    def validate_results(self, value: Any) -> Any:
        reject_nul(value)
        return value

    def split_changes(self) -> tuple[dict[str, Any], dict[str, Any], int | None]:
        """As RecordSerializer's, with the relation rows set aside in `self.relations`."""
        self.relations = {key: self.validated_data.pop(key) for key in RELATION_SOURCES if key in self.validated_data}
        return super().split_changes()
