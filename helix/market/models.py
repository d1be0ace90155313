"""M5 marketplace: challenges of municipalities (alone or jointly), solutions of organisations,
and the responses that connect them."""

from __future__ import annotations

import datetime

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.history import track_record
from helix.core.m2m_history import track_m2m
from helix.core.models import Record, Term, localized, search_indexes
from helix.core.search import Fold

from .choices import ChallengeFormat, ChallengeStatus, OwnerRole, PricingModel, ResponseOutcome, ResponseStatus
from .querysets import ChallengeQuerySet, ResponseQuerySet, SolutionQuerySet

STARTUP_YEARS = 5
"""A company founded at most this many years ago counts as a start-up (see `is_startup`)."""


def is_startup(organisation: Organisation | None, *, today: datetime.date | None = None) -> bool:
    """The start-up flag, derived from the registry (it has no flag of its own): a company whose
    sub-kind mentions "start" (start-up, startup) or that was founded at most STARTUP_YEARS ago."""
    if organisation is None or organisation.kind != OrganisationKind.COMPANY:
        return False
    if "start" in (organisation.subkind or "").lower():
        return True
    year = (today or timezone.localdate()).year
    return organisation.founded_year is not None and organisation.founded_year >= year - STARTUP_YEARS


@track_m2m("domains", "sdgs", "value_chain_roles_needed")
@track_record()
class Challenge(Record):
    """A problem a municipality (or several together: a joint challenge) wants solved."""

    title = models.CharField(_("title"), max_length=400)
    title_nl = models.CharField(_("Dutch title"), max_length=400, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    owners = models.ManyToManyField(
        Organisation, through="ChallengeOwner", blank=True, related_name="challenges", verbose_name=_("owners")
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=ChallengeFormat.choices,
        blank=True,
        help_text=_("Reverse pitch: the municipality presents its problem to companies, not a product it wants."),
    )
    domains = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("domains"))
    sdgs = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("SDGs"))
    value_chain_roles_needed = models.ManyToManyField(
        Term, blank=True, related_name="+", verbose_name=_("value-chain roles needed")
    )
    budget_min = models.DecimalField(_("budget from (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_max = models.DecimalField(_("budget up to (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    phase_sought = models.ForeignKey(
        Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("phase sought")
    )
    deadline = models.DateField(_("deadline for responses"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["title"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        indexes = [
            *search_indexes("chl"),
            GinIndex(OpClass(Fold("title"), name="gin_trgm_ops"), name="chl_title_trgm"),
            models.Index(fields=["title", "id"], name="chl_title_id"),
            models.Index(fields=["status", "title", "id"], name="chl_status_title"),
            models.Index(fields=["deadline", "id"], name="chl_deadline_id"),
            models.Index(fields=["published_at", "id"], name="chl_published_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="chl_budget_order",
                violation_error_message=_("The budget's lower bound is higher than its upper bound."),
            ),
            models.CheckConstraint(
                condition=(models.Q(budget_min__isnull=True) | models.Q(budget_min__gte=0))
                & (models.Q(budget_max__isnull=True) | models.Q(budget_max__gte=0)),
                name="chl_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=ChallengeStatus.DRAFT) | models.Q(published_at__isnull=False),
                name="chl_published_has_date",
                violation_error_message=_("A challenge that is no longer a draft has a publication date."),
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

    @property
    def owner_links(self) -> list[ChallengeOwner]:
        """The owners (lead first), from the prefetched `ownerships` when available."""
        return sorted(self.ownerships.all(), key=lambda o: (o.role != OwnerRole.LEAD, str(o.organisation)))

    @property
    def owner_organisations(self) -> list[Organisation]:
        return [o.organisation for o in self.owner_links]

    @property
    def lead_owner(self) -> Organisation | None:
        return next((o.organisation for o in self.ownerships.all() if o.role == OwnerRole.LEAD), None)

    @property
    def is_joint(self) -> bool:
        """A joint challenge: published by more than one organisation together."""
        return len(self.ownerships.all()) > 1

    @property
    def is_draft(self) -> bool:
        return self.status == ChallengeStatus.DRAFT

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def accepts_responses(self) -> bool:
        """Open, and its deadline (if any) not passed."""
        return self.status == ChallengeStatus.OPEN and not self.deadline_passed

    def get_absolute_url(self) -> str:
        return reverse("market:challenge-detail", kwargs={"slug": self.slug})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ChallengeOwner(models.Model):
    """An organisation that owns a challenge: exactly one lead, any number of co-owners."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="ownerships", verbose_name=_("challenge"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="challenge_ownerships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=10, choices=OwnerRole.choices, default=OwnerRole.CO_OWNER)

    class Meta:
        ordering = ["challenge", "id"]
        verbose_name = _("challenge owner")
        verbose_name_plural = _("challenge owners")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation"], name="chl_owner_unique"),
            models.UniqueConstraint(fields=["challenge"], condition=models.Q(role=OwnerRole.LEAD), name="chl_one_lead_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) of {self.challenge}"


@track_m2m("domains", "sdgs", "value_chain_roles", "references")
@track_record()
class Solution(Record):
    """A product or service an organisation (mostly a company) offers to municipalities."""

    title = models.CharField(_("title"), max_length=400)
    title_nl = models.CharField(_("Dutch title"), max_length=400, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="solutions", verbose_name=_("provider"))
    domains = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("domains"))
    sdgs = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("SDGs"))
    value_chain_roles = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("value-chain roles"))
    maturity = models.ForeignKey(
        Term,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("maturity"),
        help_text=_("The furthest phase the solution has reached (pilot, implementation, operation, ...)."),
    )
    references = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="solutions_referenced",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        verbose_name=_("references"),
        help_text=_("Municipalities where the solution runs."),
    )
    open_standards = ArrayField(
        models.CharField(max_length=60),
        default=list,
        blank=True,
        verbose_name=_("open standards"),
        help_text=_("Open standards the solution supports, e.g. OSLO, NGSI-LD, DCAT-AP."),
    )
    pricing_model = models.CharField(
        _("pricing model"), max_length=20, choices=PricingModel.choices, default=PricingModel.UNKNOWN
    )
    website = models.URLField(_("website"), blank=True)

    objects = SolutionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["title"]
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        indexes = [
            *search_indexes("sol"),
            GinIndex(OpClass(Fold("title"), name="gin_trgm_ops"), name="sol_title_trgm"),
            GinIndex(fields=["open_standards"], name="sol_standards_gin"),
            models.Index(fields=["title", "id"], name="sol_title_id"),
            models.Index(fields=["organisation", "title", "id"], name="sol_org_title"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(nl=self.title_nl, en=self.title)

    @property
    def description(self) -> str:
        return localized(nl=self.description_nl, en=self.description_en)

    @property
    def is_startup(self) -> bool:
        return is_startup(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("market:solution-detail", kwargs={"slug": self.slug})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Response(models.Model):
    """An organisation's answer to a challenge: one of its solutions and a short proposal.

    Never public: seen by the responder's editors, the challenge owners' editors and curators.
    """

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="responses", verbose_name=_("challenge"))
    solution = models.ForeignKey(Solution, on_delete=models.PROTECT, related_name="responses", verbose_name=_("solution"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="market_responses", verbose_name=_("responding organisation")
    )
    proposal = models.TextField(_("proposal"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.SUBMITTED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ResponseOutcome.choices, default=ResponseOutcome.NONE)
    outcome_noted_at = models.DateTimeField(_("outcome noted"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="rsp_org_created"),
            models.Index(fields=["created_at", "id"], name="rsp_created_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "solution"],
                name="rsp_one_per_solution",
                violation_error_message=_("This solution was already proposed for this challenge."),
            ),
            models.CheckConstraint(
                condition=models.Q(outcome=ResponseOutcome.NONE) | models.Q(outcome_noted_at__isnull=False),
                name="rsp_outcome_has_date",
                violation_error_message=_("An outcome is recorded with the date it was noted."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.challenge}"

    def clean(self) -> None:
        if self.solution_id and self.organisation_id and self.solution.organisation_id != self.organisation_id:
            raise ValidationError(
                {"solution": _("The solution must be one of the responding organisation's own solutions.")},
                code="not_own_solution",
            )
