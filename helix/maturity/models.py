"""M9 maturity self-assessment: versioned questionnaires per building block and sub-theme, and
the assessments municipalities fill in.

A questionnaire version is immutable once an assessment uses it; curators edit by creating a
new version (a copy) and publishing it. Questions keep a stable `key` across versions, so
answers of different versions can be compared question by question; building-block scores are
comparable across versions because every version uses the same level scale (0-4).
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.models import Term, localized

from .choices import AssessmentStatus, VersionStatus

MIN_LEVEL = 0
MAX_LEVEL = 4
# Fields of a version that may still change once an assessment uses it (its life cycle).
LIFECYCLE_FIELDS = frozenset({"status", "published_at"})


class VersionInUse(ValidationError):
    """A questionnaire version that an assessment uses is immutable: create a new version."""

    def __init__(self) -> None:
        super().__init__(
            _("This questionnaire version is used by an assessment and cannot change; create a new version."),
            code="version_in_use",
        )


def _guard(version_id: int | None) -> None:
    if version_id is not None and Assessment.objects.filter(version_id=version_id).exists():
        raise VersionInUse


def track(**kwargs: Any) -> Any:
    """pghistory tracking of inserts, updates and deletions (fresh tracker objects per model)."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)


@track()
class QuestionnaireVersion(models.Model):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    title_nl = models.CharField(_("Dutch title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    introduction_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("copied from")
    )
    source = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if self.pk is not None and (fields is None or not set(fields) <= LIFECYCLE_FIELDS):
            _guard(self.pk)
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return localized(nl=self.title_nl, en=self.title_en)

    @property
    def introduction(self) -> str:
        return localized(nl=self.introduction_nl, en=self.introduction_en)

    @property
    def in_use(self) -> bool:
        """Used by an assessment: then it never changes again (old answers stay comparable)."""
        return self.pk is not None and self.assessments.exists()


@track()
class Question(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        _("stable key"),
        max_length=80,
        help_text=_("The same key in every version for the same question: answers are compared by key."),
    )
    building_block = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("building block"),
        limit_choices_to={"scheme__slug": "building-blocks", "broader__isnull": True},
    )
    subtheme = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sub-theme"),
        limit_choices_to={"scheme__slug": "building-blocks", "broader__isnull": False},
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    help_en = models.TextField(_("explanation (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["version", "building_block__order", "order", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="maturity_question_key_in_version")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _guard(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _guard(self.version_id)
        return super().delete(*args, **kwargs)

    @property
    def text(self) -> str:
        return localized(nl=self.text_nl, en=self.text_en)

    @property
    def help(self) -> str:
        return localized(nl=self.help_nl, en=self.help_en)


@track()
class Level(models.Model):
    """One step of a question's scale, described so two people answer alike."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)])
    label_nl = models.CharField(_("Dutch label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120, blank=True)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["question", "value"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="maturity_level_unique_value"),
            models.CheckConstraint(condition=Q(value__gte=MIN_LEVEL) & Q(value__lte=MAX_LEVEL), name="maturity_level_in_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _guard(Question.objects.filter(pk=self.question_id).values_list("version_id", flat=True).first())
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        _guard(Question.objects.filter(pk=self.question_id).values_list("version_id", flat=True).first())
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        return localized(nl=self.label_nl, en=self.label_en)

    @property
    def description(self) -> str:
        return localized(nl=self.description_nl, en=self.description_en)


@track()
class Assessment(models.Model):
    """A municipality's self-assessment on one questionnaire version. Private to its members."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="maturity_assessments", verbose_name=_("municipality")
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("questionnaire")
    )
    status = models.CharField(_("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    shared = models.BooleanField(
        _("shared"),
        default=False,
        help_text=_("Shared results are visible to signed-in members of other municipalities and to curators."),
    )
    scores = models.JSONField(
        _("scores per building block"), default=dict, blank=True, help_text=_("Building-block code -> mean level.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(status="draft"), name="maturity_one_draft_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="maturity_submitted_has_date"
            ),
        ]
        indexes = [models.Index(fields=["status", "organisation", "-submitted_at"], name="maturity_latest_submitted")]

    def __str__(self) -> str:
        return f"{self.organisation} · v{self.version_id} · {self.get_status_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


@track()
class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)]
    )
    evidence = models.TextField(_("evidence"), blank=True, max_length=2000)

    class Meta:
        ordering = ["assessment", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="maturity_one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.key}={self.level}"
