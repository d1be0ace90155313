"""Admin for curators: assign owners, add actions and progress updates until pages exist for them."""

from __future__ import annotations

from django.contrib import admin

from helix.core.admin import ArchivedFilter, RecordAdmin

from .models import (
    Action,
    Cluster,
    GovernmentRole,
    Indicator,
    Measurement,
    OrganisationalOption,
    ProgressUpdate,
    Recommendation,
    RoleOption,
)


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    autocomplete_fields = ("organisation",)


class RoleOptionInline(admin.TabularInline):
    model = RoleOption
    extra = 0


@admin.register(Recommendation)
class RecommendationAdmin(RecordAdmin):
    list_display = ("number", "title_nl", "cluster", "advised_role", "advised_role_basis", "archived_at")
    list_filter = ("cluster", "advised_role", "advised_role_basis", ArchivedFilter)
    search_fields = ("title_nl", "title_en", "slug")
    autocomplete_fields = ("owners", "suggested_lead", "involved", "benchmark_cities", "theme")
    filter_horizontal = ("options",)
    inlines = (RoleOptionInline, ActionInline)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ("recommendation", "status", "as_of", "organisation", "author")
    list_filter = ("status",)
    autocomplete_fields = ("organisation",)
    raw_id_fields = ("author",)


admin.site.register(Cluster)
admin.site.register(GovernmentRole)
admin.site.register(OrganisationalOption)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    readonly_fields = ("computed",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_nl", "kind", "unit", "target_value", "target_date")
    list_filter = ("kind",)
    search_fields = ("slug", "name_nl", "name_en")
    filter_horizontal = ("recommendations",)
    inlines = (MeasurementInline,)
