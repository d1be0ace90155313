"""M2 instrument registry: funding and matchmaking/support instruments, programmes and calls."""

from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import MunicipalitySize
from helix.actors.models import Organisation
from helix.core.history import track_record
from helix.core.m2m_history import track_m2m
from helix.core.models import Record, Term, localized, search_indexes
from helix.core.search import Fold

from .choices import FundingForm, InstrumentKind, InstrumentStatus, Link, PolicyLevel
from .querysets import InstrumentQuerySet


@track_m2m("co_offered_by", "applicant_types", "restricted_to", "phases", "domains")
@track_record()
class Instrument(Record):
    title = models.CharField(_("title"), max_length=400)
    title_nl = models.CharField(_("Dutch title"), max_length=400, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    instrument_type = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument type")
    )
    offered_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments_offered",
        verbose_name=_("offered by"),
    )
    co_offered_by = models.ManyToManyField(
        Organisation, blank=True, related_name="instruments_co_offered", verbose_name=_("co-offered by")
    )
    managed_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instruments_managed",
        verbose_name=_("managed by"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", verbose_name=_("parent programme")
    )
    umbrella_programme = models.CharField(_("umbrella fund or programme"), max_length=200, blank=True)
    eu_category = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("EU funding category")
    )
    policy_level = models.CharField(_("policy level"), max_length=20, choices=PolicyLevel.choices, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    link = models.CharField(_("direct or indirect"), max_length=10, choices=Link.choices, blank=True)
    target_groups = ArrayField(models.CharField(max_length=300), default=list, blank=True, verbose_name=_("target groups"))
    applicant_types = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("applicant types"))
    municipality_sizes = ArrayField(
        models.CharField(max_length=10, choices=MunicipalitySize.choices),
        default=list,
        blank=True,
        verbose_name=_("municipality size classes"),
    )
    territory = models.TextField(_("territorial restriction"), blank=True)
    # The same restriction as area codes for the funding finder: REFNIS codes of municipalities,
    # provinces and regions, lower-case ISO country codes, named areas such as "kempen"
    # (helix.core.loaders.vocabularies.NAMED_AREAS). Empty: no territorial restriction.
    territory_areas = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("territory (area codes)")
    )
    restricted_to = models.ManyToManyField(
        Organisation, blank=True, related_name="instruments_restricted_to", verbose_name=_("only for")
    )
    consortium_required = models.BooleanField(_("consortium required"), null=True, blank=True)
    phases = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("phases"))
    domains = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("domains"))
    funding_forms = ArrayField(
        models.CharField(max_length=20, choices=FundingForm.choices), default=list, blank=True, verbose_name=_("funding forms")
    )
    cofinancing_rate = models.DecimalField(_("co-financing rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount_min = models.DecimalField(_("minimum per project (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField(_("maximum per project (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    total_budget = models.DecimalField(_("total budget (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    amounts = models.JSONField(_("amounts as stated"), default=list, blank=True)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    open_until_text = models.CharField(_("open until (as stated)"), max_length=200, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=200, blank=True)
    deadlines = ArrayField(models.DateField(), default=list, blank=True, verbose_name=_("deadlines"))
    url = models.URLField(_("link"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    inventory_no = models.PositiveIntegerField(_("inventory number"), null=True, blank=True)
    inventory_fields = models.JSONField(_("inventory cells as delivered"), default=dict, blank=True)

    objects = InstrumentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        indexes = [
            *search_indexes("ins"),
            GinIndex(OpClass(Fold("title"), name="gin_trgm_ops"), name="ins_title_trgm"),
            models.Index(fields=["title", "id"], name="ins_title_id"),
            models.Index(fields=["closes_on"], name="ins_closes_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_min__isnull=True)
                | models.Q(amount_max__isnull=True)
                | models.Q(amount_min__lte=models.F("amount_max")),
                name="ins_amount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(cofinancing_rate__isnull=True) | models.Q(cofinancing_rate__gte=0, cofinancing_rate__lte=100),
                name="ins_cofinancing_rate_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(nl=self.title_nl, en=self.title)

    @property
    def description(self) -> str:
        return localized(nl=self.description_nl, en=self.description_en)

    def get_absolute_url(self) -> str:
        return reverse("instruments:instrument-detail", kwargs={"slug": self.slug})

    def status_on(self, day: datetime.date | None = None) -> InstrumentStatus:
        """Open / upcoming / closed / permanent, derived from the dates (see querysets.with_status)."""
        day = day or timezone.localdate()
        if self.opens_on and day < self.opens_on:
            return InstrumentStatus.UPCOMING
        if self.closes_on:
            return InstrumentStatus.OPEN if day <= self.closes_on else InstrumentStatus.CLOSED
        if self.opens_on:
            return InstrumentStatus.OPEN
        return InstrumentStatus.PERMANENT

    @property
    def status(self) -> InstrumentStatus:
        return self.status_on()
