"""Admin registrations of core models, the admin's throttled sign-in, and the base admin for records.

Admin writes are tagged channel "admin" with the signed-in user by HistoryContextMiddleware.
Records are never deleted in the admin: "delete" is replaced by archive and restore actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.core.auth import ThrottledAdminAuthenticationForm
from helix.core.models import Figure, LoginFailure, Record, Scheme, Term
from helix.core.services import archive_record, restore_record

admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = _("Helix administration")
admin.site.site_title = _("Helix administration")


class RecordAdmin(admin.ModelAdmin):
    """Shared by every Record admin: bookkeeping read-only, version bumped, archive not delete."""

    readonly_fields = ("version", "created_at", "updated_at", "archived_at")
    actions = ["archive_selected", "restore_selected"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        if change:
            # Editors who opened the record on the site before this save get the stale-version notice.
            obj.version = F("version") + 1
        obj.save()
        obj.refresh_from_db(fields=["version"])

    @admin.action(description=_("Archive the selected records"))
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Record]) -> None:
        for record in queryset:
            archive_record(record, user=request.user)
        messages.success(request, _("Archived %(n)d records.") % {"n": len(queryset)})

    @admin.action(description=_("Restore the selected records"))
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Record]) -> None:
        for record in queryset:
            restore_record(record, user=request.user)
        messages.success(request, _("Restored %(n)d records.") % {"n": len(queryset)})


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archived")
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("live")), ("yes", _("archived"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_nl", "name_en")
    search_fields = ("slug", "name_nl", "name_en")


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("code", "label_nl", "label_en", "scheme", "broader", "order")
    list_filter = ("scheme",)
    search_fields = ("code", "label_nl", "label_en")
    autocomplete_fields = ("broader", "related")
    list_select_related = ("scheme", "broader")


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "unit", "qualifier", "year", "about")
    list_filter = ("year", "about")
    search_fields = ("key", "what", "source")


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("username", "ip", "at")
    search_fields = ("username", "ip")
    list_filter = ("at",)
    readonly_fields = ("username", "ip", "at")
