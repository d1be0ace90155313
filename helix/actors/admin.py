from __future__ import annotations

from django.contrib import admin

from helix.core.admin import ArchivedFilter, RecordAdmin

from .models import ContactPerson, ExternalIdentifier, Membership, Organisation, OrganisationEditor


class IdentifierInline(admin.TabularInline):
    model = ExternalIdentifier
    extra = 0


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class EditorInline(admin.TabularInline):
    model = OrganisationEditor
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(RecordAdmin):
    list_display = ("name", "kind", "helix_role", "enterprise_number", "province", "status", "last_verified", "archived_at")
    list_filter = ("kind", "helix_role", "status", "province", "is_centrumstad", "municipality_size", ArchivedFilter)
    search_fields = ("name", "name_nl", "slug", "enterprise_number", "refnis")
    autocomplete_fields = (
        "located_in",
        "merged_into",
        "nace_sections",
        "domains",
        "sdgs",
        "value_chain_roles",
        "inclusion_reasons",
    )
    list_select_related = ("province",)
    inlines = (IdentifierInline, ContactInline, EditorInline)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("slug", "subject", "predicate", "object", "object_project", "role", "start_date", "end_date")
    list_filter = ("predicate",)
    search_fields = ("slug", "subject__name", "object__name", "role", "object_project")
    autocomplete_fields = ("subject", "object")
    list_select_related = ("subject", "object")


@admin.register(ExternalIdentifier)
class ExternalIdentifierAdmin(admin.ModelAdmin):
    list_display = ("scheme", "value", "organisation")
    list_filter = ("scheme",)
    search_fields = ("value", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "function", "email", "organisation")
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation",)


@admin.register(OrganisationEditor)
class OrganisationEditorAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")
