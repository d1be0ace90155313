from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot")
    RUNNING = "running", _("Running")
    SCALED = "scaled", _("Scaled up")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")
    UNKNOWN = "unknown", _("Unknown")


class LinkKind(models.TextChoices):
    """A typed link "this project <kind> that project"; INVERSE_LABELS reads it from the other side."""

    REPLICATES = "replicates", _("replicates")
    SCALES_UP = "scales_up", _("scales up")
    FOLLOW_UP_OF = "follow_up_of", _("is a follow-up of")
    INSPIRED_BY = "inspired_by", _("is inspired by")
    JOINT_WITH = "joint_with", _("runs jointly with")
    # The study's links (`replicates_or_related`) do not say which kind they are.
    RELATED = "related", _("is related to")


INVERSE_LABELS = {
    LinkKind.REPLICATES: _("is replicated by"),
    LinkKind.SCALES_UP: _("is scaled up by"),
    LinkKind.FOLLOW_UP_OF: _("is followed up by"),
    LinkKind.INSPIRED_BY: _("inspired"),
    LinkKind.JOINT_WITH: _("runs jointly with"),
    LinkKind.RELATED: _("is related to"),
}

# Kinds that read the same in both directions: a pair stated both ways is shown once.
SYMMETRIC_KINDS = frozenset({LinkKind.JOINT_WITH, LinkKind.RELATED})
