"""Admin for curators: edit the questions and level descriptions of a draft questionnaire version.

A version that an assessment uses is read-only here (and refused by the models): copy it into
a new draft on the versions page (/volwassenheid/versies/) and publish that. Assessments and
answers are deliberately not in the admin: they are private to their municipality.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Level, Question, QuestionnaireVersion


class LockedWhenInUse:
    """Read-only once an assessment uses the version."""

    def _version(self, obj: Any) -> QuestionnaireVersion | None:
        if isinstance(obj, QuestionnaireVersion):
            return obj
        if isinstance(obj, Question):
            return obj.version
        return None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version(obj)
        if version is not None and version.in_use:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version(obj)
        if version is not None and version.in_use:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version(obj)
        if version is not None and version.in_use:
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)  # type: ignore[misc]
        return super().has_add_permission(request)  # type: ignore[misc]


class LevelInline(LockedWhenInUse, admin.TabularInline):
    model = Level
    extra = 0
    max_num = 5


class QuestionInline(LockedWhenInUse, admin.StackedInline):
    model = Question
    extra = 0
    fields = ("key", "building_block", "subtheme", "order", "text_nl", "text_en", "help_nl", "help_en", "source")
    show_change_link = True


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = ("number", "title_nl", "status", "published_at")
    list_filter = ("status",)
    readonly_fields = ("status", "published_at", "based_on")
    inlines = (QuestionInline,)


@admin.register(Question)
class QuestionAdmin(LockedWhenInUse, admin.ModelAdmin):
    list_display = ("key", "version", "building_block", "subtheme", "order")
    list_filter = ("version", "building_block")
    search_fields = ("key", "text_nl", "text_en")
    inlines = (LevelInline,)
