"""Admin: read stored overviews and sent digests; see saved searches (support questions)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import DigestSend, Overview, SavedSearch


@admin.register(Overview)
class OverviewAdmin(admin.ModelAdmin):
    list_display = ("target_group", "period_start", "period_end", "as_of", "generated_at")
    list_filter = ("target_group", "period")
    readonly_fields = ("target_group", "period", "period_start", "period_end", "as_of", "generated_at", "snapshot")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by `make_overviews`


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "target", "digest", "created_at", "last_digest_at")
    list_filter = ("target", "digest")
    search_fields = ("name", "user__username")
    readonly_fields = ("created_at", "last_digest_at", "last_seen", "feed_token")
    raw_id_fields = ("user",)


@admin.register(DigestSend)
class DigestSendAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "period_key", "recipient", "item_count", "sent_at")
    list_filter = ("frequency",)
    readonly_fields = ("user", "frequency", "period_key", "recipient", "item_count", "sent_at", "details")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded by `send_digests`
