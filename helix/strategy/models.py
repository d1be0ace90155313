"""M8 strategy monitor: the study's 18 recommendations, their clusters, government roles and
organisational options (reference content), and the actions and progress updates of their owners."""

from __future__ import annotations

from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.m2m_history import track_m2m
from helix.core.models import Record, Term, localized

from .choices import IndicatorKind, LinkRelation, ProgressStatus, RoleBasis


def track(**kwargs: Any) -> Any:
    """pghistory tracking of inserts, updates and deletions (fresh tracker objects per model)."""
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs)


class Bilingual(models.Model):
    """Reference content with a stable slug, Dutch and English names and an order."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_nl = models.CharField(_("Dutch name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(nl=self.name_nl, en=self.name_en)


@track()
class Cluster(Bilingual):
    """An implementation cluster: Fundament, Prioritaire uitrol, Secundaire uitrol, Transversaal."""

    description_en = models.TextField(_("description (English)"), blank=True)
    starts_after = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_by", verbose_name=_("starts after")
    )

    class Meta(Bilingual.Meta):
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")


@track()
class GovernmentRole(Bilingual):
    """A role the Flemish government can take: initiator, coordinator, architect (steering least to most)."""

    definition_en = models.TextField(_("definition (English)"), blank=True)
    responsibilities = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("responsibilities"))

    class Meta(Bilingual.Meta):
        verbose_name = _("government role")
        verbose_name_plural = _("government roles")


@track()
class OrganisationalOption(Bilingual):
    """A way to organise a role (e.g. a Digital Chief Architect, a Smart City Office)."""

    description_en = models.TextField(_("description (English)"), blank=True)
    roles = models.ManyToManyField(GovernmentRole, blank=True, related_name="options", verbose_name=_("roles"))

    class Meta(Bilingual.Meta):
        verbose_name = _("organisational option")
        verbose_name_plural = _("organisational options")


@track_m2m("owners")
@track(exclude=["search_vector"])
class Recommendation(Record):
    number = models.PositiveSmallIntegerField(_("number"), unique=True, validators=[MinValueValidator(1)])
    title_nl = models.CharField(_("Dutch title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    title_nl_variants = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, verbose_name=_("other Dutch titles in the report")
    )
    theme = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("building block")
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("cluster"))
    goal = models.TextField(_("goal"), blank=True)
    suggested_actions = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("actions the study suggests"))
    advised_role = models.ForeignKey(
        GovernmentRole, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("advised role")
    )
    advised_role_basis = models.CharField(_("basis of the advice"), max_length=10, choices=RoleBasis.choices, blank=True)
    advised_role_later = models.ForeignKey(
        GovernmentRole, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("advised role later")
    )
    choice_motivation = models.TextField(_("motivation of the advised role"), blank=True)
    critical_success_factors = ArrayField(
        models.TextField(), default=list, blank=True, verbose_name=_("critical success factors")
    )
    examples_cited = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("examples cited"))
    links = models.ManyToManyField(
        "self",
        through="RecommendationLink",
        through_fields=("from_recommendation", "to_recommendation"),
        symmetrical=False,
        blank=True,
        related_name="linked_from",
        verbose_name=_("links to other recommendations"),
    )
    depends_on_all = models.BooleanField(
        _("depends on all other recommendations"),
        default=False,
        help_text=_("The report names the implementation of the other recommendations as a success factor."),
    )
    options = models.ManyToManyField(
        OrganisationalOption, blank=True, related_name="recommendations", verbose_name=_("organisational options")
    )
    suggested_lead = models.ManyToManyField(
        Organisation, blank=True, related_name="recommendations_to_lead", verbose_name=_("suggested lead organisations")
    )
    involved = models.ManyToManyField(
        Organisation, blank=True, related_name="recommendations_involved_in", verbose_name=_("organisations involved")
    )
    benchmark_cities = models.ManyToManyField(
        Organisation, blank=True, related_name="recommendations_illustrated", verbose_name=_("benchmark cities")
    )
    owners = models.ManyToManyField(Organisation, blank=True, related_name="recommendations_owned", verbose_name=_("owners"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localized(nl=self.title_nl, en=self.title_en)

    def get_absolute_url(self) -> str:
        return reverse("strategy:recommendation-detail", kwargs={"slug": self.slug})


@track()
class RoleOption(models.Model):
    """What one government role would mean for one recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="role_options")
    role = models.ForeignKey(GovernmentRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("role"))
    description_en = models.TextField(_("description (English)"))

    class Meta:
        ordering = ["recommendation__number", "role__order"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "role"], name="strategy_role_option_unique")]

    def __str__(self) -> str:
        return f"{self.recommendation.number}: {self.role}"


@track()
class RecommendationLink(models.Model):
    """A cross-reference stated on the page of `from_recommendation` (see LinkRelation)."""

    from_recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="links_out")
    to_recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(_("relation"), max_length=20, choices=LinkRelation.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["from_recommendation__number", "to_recommendation__number"]
        constraints = [
            models.UniqueConstraint(fields=["from_recommendation", "to_recommendation", "relation"], name="strategy_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(from_recommendation=models.F("to_recommendation")), name="strategy_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_recommendation_id} {self.relation} {self.to_recommendation_id}"


@track()
class Action(models.Model):
    """A concrete action under a recommendation, with a period and an owner organisation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    # Named `organisation` so helix.core.permissions.can_edit treats it as the owner.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategy_actions", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["recommendation__number", "starts_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(starts_on__lte=models.F("ends_on")),
                name="strategy_action_period",
            )
        ]

    def __str__(self) -> str:
        return self.title


@track()
class ProgressUpdate(models.Model):
    """An owner's judgement of a recommendation's progress on a day, with justification and evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="progress_updates")
    status = models.CharField(_("status"), max_length=20, choices=ProgressStatus.choices)
    justification = models.TextField(_("justification"))
    evidence = ArrayField(models.URLField(max_length=500), default=list, blank=True, verbose_name=_("evidence links"))
    as_of = models.DateField(_("date"), default=timezone.localdate)
    # The owner organisation on whose behalf the update is made (empty for a curator's own update).
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_updates", verbose_name=_("owner")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # The status the indicators suggested when the update was made (empty: no indicator data),
    # and why the owner declared another one (required when they differ).
    suggested_status = models.CharField(_("suggested status"), max_length=20, choices=ProgressStatus.choices, blank=True)
    override_reason = models.TextField(_("reason for departing from the suggested status"), blank=True)

    class Meta:
        ordering = ["-as_of", "-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["recommendation", "-as_of", "-created_at"], name="strategy_progress_latest")]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.as_of}: {self.status}"

    @property
    def status_choice(self) -> ProgressStatus:
        return ProgressStatus(self.status)

    @property
    def suggested_choice(self) -> ProgressStatus | None:
        return ProgressStatus(self.suggested_status) if self.suggested_status else None

    @property
    def overrides_suggestion(self) -> bool:
        return bool(self.suggested_status) and self.suggested_status != self.status


@track()
class Indicator(models.Model):
    """A measurable indicator of progress, linked to recommendations.

    Manual indicators get their measurements from curators and the owners of a linked
    recommendation; computed ones are documented functions over Helix's live data
    (helix.strategy.indicators.COMPUTATIONS), recorded by `snapshot_indicators`.
    """

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_nl = models.CharField(_("Dutch name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description_en = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.MANUAL)
    computation = models.CharField(
        _("computation"), max_length=60, blank=True, help_text=_("For computed indicators: the function that computes it.")
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="indicators", verbose_name=_("recommendations")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="manual") | ~models.Q(computation=""), name="strategy_indicator_computed_has_function"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_date__isnull=True)
                | models.Q(target_date__isnull=True)
                | models.Q(baseline_date__lt=models.F("target_date")),
                name="strategy_indicator_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:indicator-detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return localized(nl=self.name_nl, en=self.name_en)

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED


@track()
class Measurement(models.Model):
    """One value of an indicator on a date, with its source. Computed values: one per indicator and date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    measured_on = models.DateField(_("date"), default=timezone.localdate)
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    computed = models.BooleanField(_("computed"), default=False, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["indicator_id", "-measured_on", "-created_at", "-id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "-measured_on", "-created_at"], name="strategy_measurement_latest")]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"], condition=models.Q(computed=True), name="strategy_measurement_computed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.measured_on}: {self.value}"
