"""M7 open data: harvest sources (DCAT-AP catalogues), their runs, and the harvested datasets
with their distributions. See docs/opendata-harvesting.md."""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helix.actors.models import Organisation


class SourceFormat(models.TextChoices):
    AUTO = "auto", _("Detect automatically")
    TURTLE = "turtle", _("Turtle")
    RDFXML = "rdfxml", _("RDF/XML")
    JSONLD = "jsonld", _("JSON-LD")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    PARTIAL = "partial", _("partially succeeded")


class PublisherMatch(models.TextChoices):
    MATCHED = "matched", _("matched")
    AMBIGUOUS = "ambiguous", _("ambiguous")
    UNMATCHED = "unmatched", _("not matched")
    RESOLVED = "resolved", _("resolved by a curator")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["last_run"])
class HarvestSource(models.Model):
    """A DCAT-AP catalogue Helix harvests. Without organisation it is registered by a curator
    for the region; with one it is that organisation's own portal and its editors manage it."""

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("catalogue URL"), max_length=2000)
    format = models.CharField(_("format"), max_length=10, choices=SourceFormat.choices, default=SourceFormat.AUTO)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="harvest_sources",
        verbose_name=_("organisation"),
        help_text=_("Leave empty for a source of the region; set it for an organisation's own portal."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    modified = models.DateTimeField(_("modified"), default=timezone.now, editable=False)
    last_run = models.ForeignKey("HarvestRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opendata:source_detail", args=[self.pk])


class HarvestRun(models.Model):
    """One harvest of a source: status, progress counters and a readable report."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs", verbose_name=_("source"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    seen = models.PositiveIntegerField(_("datasets seen"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    removed = models.PositiveIntegerField(_("removed"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    report = models.JSONField(_("report"), default=list, blank=True)
    batch = models.UUIDField(_("history batch"), null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")

    def __str__(self) -> str:
        return f"{self.source} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("opendata:run_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Dataset(models.Model):
    """A harvested dcat:Dataset. No personal data: of the contact point only its presence."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="datasets", verbose_name=_("source"))
    uri = models.CharField(_("URI"), max_length=2000)
    identifier = models.CharField(_("identifier"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    title_lang = models.JSONField(_("titles by language"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("keywords"))
    themes = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("themes"))
    spatial = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("spatial coverage"))
    temporal_start = models.DateField(_("period from"), null=True, blank=True)
    temporal_end = models.DateField(_("period until"), null=True, blank=True)
    issued = models.DateTimeField(_("issued"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True)
    landing_page = models.TextField(_("landing page"), blank=True)
    access_rights = models.TextField(_("access rights"), blank=True)
    access_rights_original = models.TextField(_("access rights (original)"), blank=True)
    has_contact_point = models.BooleanField(_("has a contact point"), default=False)
    publisher_uri = models.TextField(_("publisher URI"), blank=True)
    publisher_name = models.CharField(_("publisher name"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datasets",
        verbose_name=_("publisher in the registry"),
    )
    publisher_match = models.CharField(
        _("publisher match"), max_length=10, choices=PublisherMatch.choices, default=PublisherMatch.UNMATCHED
    )
    conforms_to = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("conforms to"))
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    rdf = models.TextField(_("RDF (N-Triples)"), blank=True)
    harvested_at = models.DateTimeField(_("harvested"), default=timezone.now)
    # Filled by the quality checks (helix.opendata.scoring).
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    stars_reasons = models.JSONField(_("reasons for the stars"), default=list, blank=True)
    mqa_score = models.PositiveIntegerField(_("MQA score"), null=True, blank=True)
    mqa_band = models.CharField(_("MQA band"), max_length=20, blank=True)
    mqa = models.JSONField(_("MQA details"), default=dict, blank=True)
    scored_at = models.DateTimeField(_("scored"), null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [models.UniqueConstraint(fields=["source", "uri"], name="dataset_unique_uri_in_source")]
        indexes = [
            models.Index(fields=["publisher_match", "id"], name="ds_publisher_match"),
            models.Index(fields=["organisation", "title"], name="ds_org_title"),
        ]

    def __str__(self) -> str:
        return self.title or self.uri

    def get_absolute_url(self) -> str:
        return reverse("opendata:dataset_detail", args=[self.pk])


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Distribution(models.Model):
    """A dcat:Distribution of a harvested dataset; normalised values next to the originals."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    uri = models.CharField(_("URI"), max_length=2000, blank=True)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    access_url = models.TextField(_("access URL"), blank=True)
    download_urls = ArrayField(models.TextField(), default=list, blank=True, verbose_name=_("download URLs"))
    format = models.CharField(_("format"), max_length=300, blank=True, help_text=_("EU file-type URI"))
    format_original = models.TextField(_("format (original)"), blank=True)
    media_type = models.CharField(_("media type"), max_length=300, blank=True, help_text=_("IANA media type URI"))
    media_type_original = models.TextField(_("media type (original)"), blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True, help_text=_("EU licence URI"))
    licence_original = models.TextField(_("licence (original)"), blank=True)
    byte_size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    rights = models.TextField(_("rights"), blank=True)
    issued = models.DateTimeField(_("issued"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True)
    access_url_status = models.IntegerField(_("access URL status"), null=True, blank=True)
    download_url_status = models.IntegerField(_("download URL status"), null=True, blank=True)
    link_checked_at = models.DateTimeField(_("links checked"), null=True, blank=True)

    class Meta:
        ordering = ["dataset_id", "id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.title or self.access_url or self.uri


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PublisherResolution(models.Model):
    """A curator's decision which registry organisation a harvested publisher is (by its URI,
    or by its name when it has none). Later harvests apply it before matching."""

    publisher_uri = models.TextField(_("publisher URI"), blank=True)
    publisher_name = models.CharField(_("publisher name"), max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    resolved_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), default=timezone.now)

    class Meta:
        verbose_name = _("publisher resolution")
        verbose_name_plural = _("publisher resolutions")
        constraints = [models.UniqueConstraint(fields=["publisher_uri", "publisher_name"], name="publisher_resolution_unique")]

    def __str__(self) -> str:
        return self.publisher_name or self.publisher_uri


class HarvestPage(models.Model):
    """The last clean reading of one page of a source (operational, not in history): when a
    page comes back byte for byte the same, its datasets are known unchanged without parsing."""

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="pages")
    url = models.TextField()
    body_hash = models.CharField(max_length=64)
    next_url = models.TextField(blank=True)
    dataset_uris = ArrayField(models.TextField(), default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="harvest_page_unique_url")]

    def __str__(self) -> str:
        return self.url
