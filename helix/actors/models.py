"""M1 actor registry: organisations (municipalities included), memberships, identifiers, contacts."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.be import vat

from helix.core.history import track_record
from helix.core.m2m_history import track_m2m
from helix.core.models import Record, Term, localized, search_indexes
from helix.core.search import Fold

from .choices import (
    CompanySize,
    EditorRole,
    HelixRole,
    IdentifierScheme,
    MunicipalitySize,
    OrganisationKind,
    OrganisationStatus,
    Predicate,
)


def validate_enterprise_number(value: str) -> None:
    if not vat.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749)."),
            params={"value": value},
        )


class Region(models.Model):
    refnis = models.CharField(max_length=5, unique=True)
    name_nl = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["refnis"]

    def __str__(self) -> str:
        return self.name_nl


class Province(models.Model):
    refnis = models.CharField(max_length=5, unique=True)
    name_nl = models.CharField(max_length=120)
    name_fr = models.CharField(max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces")

    class Meta:
        ordering = ["name_nl"]

    def __str__(self) -> str:
        return self.name_nl.removeprefix("Provincie ")

    @property
    def short_name(self) -> str:
        return str(self)


@track_m2m("nace_sections", "domains", "sdgs", "value_chain_roles", "inclusion_reasons")
@track_record()
class Organisation(Record):
    name = models.CharField(_("name"), max_length=300)
    name_nl = models.CharField(_("Dutch name"), max_length=300, blank=True)
    alternative_names = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, verbose_name=_("alternative names")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    subkind = models.CharField(_("sub-kind"), max_length=80, blank=True)
    helix_role = models.CharField(_("helix role"), max_length=20, choices=HelixRole.choices)
    enterprise_number = models.CharField(
        _("enterprise number"),
        max_length=12,
        blank=True,
        validators=[validate_enterprise_number],
        help_text=_("Belgian enterprise number (KBO/BCE), 10 digits."),
    )
    nace_sections = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("NACE sections"))
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded"), null=True, blank=True)
    size_class = models.CharField(_("company size"), max_length=10, choices=CompanySize.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    roles = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("roles in the ecosystem"))
    notes = models.TextField(_("notes"), blank=True)
    located_in = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="located_here",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        verbose_name=_("municipality"),
    )
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("province")
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code; EU for European bodies."))
    domains = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("domains"))
    sdgs = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("SDGs"))
    value_chain_roles = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("value-chain roles"))
    inclusion_reasons = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("why in the inventory"))
    status = models.CharField(_("status"), max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.ACTIVE)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", verbose_name=_("merged into")
    )
    # Municipality profile (empty for other kinds).
    refnis = models.CharField(_("REFNIS code"), max_length=5, null=True, blank=True, unique=True)
    in_region = models.BooleanField(_("in the region"), default=False, help_text=_("Within the region Helix serves."))
    is_centrumstad = models.BooleanField(_("centre city"), default=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    municipality_size = models.CharField(_("size class"), max_length=10, choices=MunicipalitySize.choices, blank=True)
    coordinator_appointed = models.BooleanField(_("smart-city coordinator appointed"), null=True, blank=True)
    open_data_charter_signed = models.BooleanField(_("open data charter signed"), null=True, blank=True)
    formal_strategy = models.BooleanField(_("formal smart-city strategy"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            *search_indexes("org"),
            GinIndex(OpClass(Fold("name"), name="gin_trgm_ops"), name="org_name_trgm"),
            models.Index(fields=["kind", "name", "id"], name="org_kind_name"),
            models.Index(fields=["name", "id"], name="org_name_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(founded_year__isnull=True) | models.Q(founded_year__gte=1000, founded_year__lte=2100),
                name="org_founded_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(nl=self.name_nl, en=self.name)

    @property
    def description(self) -> str:
        return localized(nl=self.description_nl, en=self.description_en)

    @property
    def is_municipality(self) -> bool:
        return self.kind == OrganisationKind.MUNICIPALITY

    def get_absolute_url(self) -> str:
        if self.is_municipality and self.refnis:
            return reverse("actors:municipality-detail", kwargs={"slug": self.slug})
        return reverse("actors:organisation-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.enterprise_number:
            self.enterprise_number = vat.compact(self.enterprise_number)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ExternalIdentifier(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("organisation")
    )
    scheme = models.CharField(_("scheme"), max_length=10, choices=IdentifierScheme.choices)
    value = models.CharField(_("value"), max_length=300)

    class Meta:
        verbose_name = _("external identifier")
        verbose_name_plural = _("external identifiers")
        ordering = ["scheme", "value"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique")]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """A stated relation between two organisations ("X member_of Y"), with role and dates."""

    slug = models.SlugField(_("identifier"), max_length=200, unique=True)
    subject = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships_out", verbose_name=_("organisation")
    )
    predicate = models.CharField(_("relation"), max_length=40, choices=Predicate.choices)
    object = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships_in",
        verbose_name=_("related organisation"),
    )
    object_project = models.CharField(
        _("project"),
        max_length=120,
        blank=True,
        help_text=_("Study identifier of a project, for relations to projects (knowledge hub)."),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["predicate", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(object__isnull=False) | ~models.Q(object_project=""), name="membership_has_object"
            ),
        ]

    def __str__(self) -> str:
        return self.slug


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ContactPerson(models.Model):
    """Personal data: shown to signed-in members only, never in public pages, exports or the API."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class OrganisationEditor(models.Model):
    """A user who may edit an organisation and the records it owns."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editorships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="editors", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=EditorRole.choices, default=EditorRole.EDITOR)

    class Meta:
        verbose_name = _("organisation editor")
        verbose_name_plural = _("organisation editors")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="editor_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} edits {self.organisation_id}"
