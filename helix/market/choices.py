"""Values the marketplace's code branches on (TextChoices); taxonomies are Terms (helix.core)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    """draft -> open (published) -> closed -> awarded; a draft is seen only by its owners and curators."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")


class ChallengeFormat(models.TextChoices):
    CHALLENGE = "challenge", _("Open challenge")
    REVERSE_PITCH = "reverse_pitch", _("Reverse pitch")
    GROUP_PURCHASE = "group_purchase", _("Group purchase")


class OwnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_OWNER = "co_owner", _("Co-owner")


class PricingModel(models.TextChoices):
    LICENSE = "license", _("Licence")
    SUBSCRIPTION = "subscription", _("Subscription")
    PER_USE = "per_use", _("Pay per use")
    OPEN_SOURCE = "open_source", _("Open source")
    CUSTOM = "custom", _("Custom quote")
    UNKNOWN = "unknown", _("Unknown")


class ResponseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    REJECTED = "rejected", _("Not retained")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ResponseOutcome(models.TextChoices):
    """What came of a response afterwards, so Helix learns which matches led somewhere."""

    NONE = "none", _("Not recorded yet")
    NO_FURTHER_CONTACT = "no_further_contact", _("No further contact")
    CONTACT = "contact", _("Contact")
    NEGOTIATION = "negotiation", _("Negotiation")
    AGREEMENT = "agreement", _("Agreement")
    PROJECT_STARTED = "project_started", _("Project started")
