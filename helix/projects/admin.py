"""Admin for curators: lighthouses and their followers (pghistory records every change; the
history middleware marks admin writes with the channel "admin")."""

from __future__ import annotations

from django.contrib import admin

from .models import Lighthouse, LighthouseFollower


class LighthouseFollowerInline(admin.TabularInline):
    model = LighthouseFollower
    extra = 1
    autocomplete_fields = ("organisation",)


@admin.register(Lighthouse)
class LighthouseAdmin(admin.ModelAdmin):
    list_display = ("municipality", "domain", "start_date", "end_date")
    list_filter = ("domain",)
    search_fields = ("municipality__name", "municipality__name_nl", "domain__code")
    autocomplete_fields = ("municipality",)
    inlines = (LighthouseFollowerInline,)
