from __future__ import annotations

from django.contrib import admin

from helix.core.admin import ArchivedFilter, RecordAdmin

from .models import Instrument


@admin.register(Instrument)
class InstrumentAdmin(RecordAdmin):
    list_display = ("title", "kind", "policy_level", "offered_by", "opens_on", "closes_on", "last_verified", "archived_at")
    list_filter = ("kind", "policy_level", "link", "consortium_required", ArchivedFilter)
    search_fields = ("title", "title_nl", "slug", "offered_by__name", "umbrella_programme")
    autocomplete_fields = (
        "offered_by",
        "co_offered_by",
        "managed_by",
        "parent",
        "restricted_to",
        "instrument_type",
        "eu_category",
        "applicant_types",
        "phases",
        "domains",
    )
    list_select_related = ("offered_by",)
