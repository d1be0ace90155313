"""M4 knowledge hub: projects, pilots and initiatives, with partners, places, funding and typed links."""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation
from helix.core.history import track_record
from helix.core.m2m_history import track_m2m
from helix.core.models import Record, Term, localized, search_indexes
from helix.core.search import Fold
from helix.instruments.models import Instrument

from .choices import LinkKind, ProjectStatus
from .querysets import ProjectQuerySet


@track_m2m("places", "domains", "sdgs")
@track_record()
class Project(Record):
    title = models.CharField(_("title"), max_length=400)
    title_nl = models.CharField(_("Dutch title"), max_length=400, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    project_type = models.CharField(
        _("project type"), max_length=80, blank=True, help_text=_("As stated by the source, e.g. platform, living_lab, pilot.")
    )
    lead = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="projects_led", verbose_name=_("lead")
    )
    partners = models.ManyToManyField(
        Organisation, through="ProjectPartner", blank=True, related_name="projects_partnered", verbose_name=_("partners")
    )
    places = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="projects_here",
        verbose_name=_("places"),
        help_text=_("Municipalities, or cities abroad."),
    )
    area = models.CharField(_("area (as stated)"), max_length=200, blank=True)
    domains = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("domains"))
    sdgs = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("SDGs"))
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.UNKNOWN)
    phase = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("phase"))
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    period_text = models.CharField(_("period (as stated)"), max_length=200, blank=True)
    budget = models.DecimalField(_("budget (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)
    funding_instruments = models.ManyToManyField(
        Instrument, through="ProjectFunding", blank=True, related_name="projects_funded", verbose_name=_("funding")
    )
    objectives = models.TextField(_("objectives"), blank=True)
    results = models.JSONField(
        _("results"), default=list, blank=True, help_text=_("Indicators: a list of {indicator, value, unit}, or text.")
    )
    success_factors = models.TextField(_("success factors"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True, help_text=_("One lesson per line."))
    risks = models.TextField(_("risks and obstacles"), blank=True)
    links = ArrayField(models.URLField(max_length=500), default=list, blank=True, verbose_name=_("links and documents"))
    link_titles = models.JSONField(
        _("titles of the links"), default=dict, blank=True, help_text=_("Link URL -> its title (documents, websites).")
    )
    facts = models.JSONField(_("facts"), default=list, blank=True, help_text=_("Facts as stated by the source, one per item."))
    notes = models.TextField(_("notes"), blank=True)

    objects = ProjectQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            *search_indexes("prj"),
            GinIndex(OpClass(Fold("title"), name="gin_trgm_ops"), name="prj_title_trgm"),
            models.Index(fields=["title", "id"], name="prj_title_id"),
            models.Index(fields=["status", "title", "id"], name="prj_status_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="prj_period_order",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(nl=self.title_nl, en=self.title)

    @property
    def lesson_lines(self) -> list[str]:
        return [line.strip() for line in self.lessons.splitlines() if line.strip()]

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", kwargs={"slug": self.slug})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProjectPartner(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="project_partnerships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        constraints = [models.UniqueConstraint(fields=["project", "organisation"], name="prj_partner_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.project}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProjectFunding(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="project_fundings", verbose_name=_("instrument")
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("project funding")
        verbose_name_plural = _("project funding")
        constraints = [models.UniqueConstraint(fields=["project", "instrument"], name="prj_funding_unique")]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.project}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ProjectLink(models.Model):
    """A typed link "from_project <kind> to_project", shown on both projects' pages."""

    from_project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from project"))
    to_project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to project"))
    kind = models.CharField(_("kind of link"), max_length=20, choices=LinkKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["from_project", "id"]
        verbose_name = _("project link")
        verbose_name_plural = _("project links")
        constraints = [
            models.UniqueConstraint(fields=["from_project", "to_project", "kind"], name="prj_link_unique"),
            models.CheckConstraint(condition=~models.Q(from_project=models.F("to_project")), name="prj_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.from_project} {self.get_kind_display()} {self.to_project}"


class ProjectContact(models.Model):
    """The project's contact person. Personal data: shown to signed-in members only, never on
    public pages, exports, feeds, the API or the (public) history; therefore not tracked by
    pghistory, like helix.actors.models.ContactPerson."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("project contact")
        verbose_name_plural = _("project contacts")

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Lighthouse(models.Model):
    """Lighthouse model: for a period, one municipality leads a domain and shares what it learns
    with its followers (other municipalities). Curators keep these records."""

    domain = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme__slug": "domains"},
        verbose_name=_("domain"),
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lighthouse_roles",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("lighthouse municipality"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty: still running."))
    followers = models.ManyToManyField(
        Organisation, through="LighthouseFollower", blank=True, related_name="lighthouses_followed", verbose_name=_("followers")
    )
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the facts come from."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["domain__code", "-start_date", "id"]
        verbose_name = _("lighthouse")
        verbose_name_plural = _("lighthouses")
        constraints = [
            models.UniqueConstraint(fields=["domain", "municipality", "start_date"], name="prj_lighthouse_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(start_date__lte=models.F("end_date")),
                name="prj_lighthouse_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.domain}"

    def get_absolute_url(self) -> str:
        return reverse("projects:lighthouse-detail", kwargs={"pk": self.pk})


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class LighthouseFollower(models.Model):
    lighthouse = models.ForeignKey(Lighthouse, on_delete=models.CASCADE, related_name="follower_links")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lighthouse_followings",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("follower"),
    )

    class Meta:
        ordering = ["lighthouse", "organisation__name", "id"]
        verbose_name = _("lighthouse follower")
        verbose_name_plural = _("lighthouse followers")
        constraints = [models.UniqueConstraint(fields=["lighthouse", "organisation"], name="prj_lighthouse_follower_unique")]

    def __str__(self) -> str:
        return f"{self.organisation} follows {self.lighthouse}"
