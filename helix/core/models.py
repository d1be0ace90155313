"""Shared base models: record metadata, the SKOS-shaped taxonomy and the study's figures."""

from __future__ import annotations

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_english() -> bool:
    """Whether the active language is English (Dutch is the default)."""
    return (get_language() or "nl").startswith("en")


def localized(*, nl: str, en: str) -> str:
    """The text in the active language, falling back to the other one when it is empty."""
    return (en or nl) if in_english() else (nl or en)


class RecordQuerySet(models.QuerySet):
    def live(self) -> RecordQuerySet:
        """Records that are not archived."""
        return self.filter(archived_at__isnull=True)


class Record(models.Model):
    """Base of every curated record: where it comes from, how old it is, who may edit it.

    `version` is incremented on every save through a service and lets two editors who save
    the same record detect each other (optimistic concurrency).
    `archived_at` replaces deletion: an archived record is hidden but can be restored.
    """

    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the facts come from."))
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def age_days(self) -> int | None:
        if self.last_verified is None:
            return None
        return (timezone.localdate() - self.last_verified).days


class Scheme(models.Model):
    """A concept scheme (SKOS): domains, SDGs, NACE sections, building blocks, phases, ..."""

    slug = models.SlugField(max_length=60, unique=True)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def name(self) -> str:
        return localized(nl=self.name_nl, en=self.name_en)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Term(models.Model):
    """A concept in a scheme, with Dutch and English labels and an optional broader term."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=80)
    label_nl = models.CharField(max_length=300)
    label_en = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    broader = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="narrower")
    related = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="related_from")
    order = models.PositiveIntegerField(default=0)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["scheme__slug", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="term_unique_code_in_scheme")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(nl=self.label_nl, en=self.label_en)


class Figure(models.Model):
    """A quantitative fact of the study (e.g. that it counted 258 companies)."""

    key = models.SlugField(max_length=120, unique=True)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    unit = models.CharField(max_length=120, blank=True)
    qualifier = models.CharField(max_length=40, blank=True)
    what = models.TextField()
    year = models.PositiveIntegerField(null=True)
    about = models.CharField(max_length=120, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class LoginFailure(models.Model):
    """Failed sign-in attempts, for throttling (see helix.core.auth)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}"


def search_indexes(prefix: str) -> list[models.Index]:
    """The full-text index every searchable record carries."""
    return [GinIndex(fields=["search_vector"], name=f"{prefix}_search_gin")]
