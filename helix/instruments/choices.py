from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    MATCHMAKING = "matchmaking", _("Matchmaking and support")


class PolicyLevel(models.TextChoices):
    EUROPEAN = "european", _("European")
    NATIONAL = "national", _("National (federal)")
    FLEMISH = "flemish", _("Flemish")
    REGIONAL = "regional", _("Regional (other region)")
    LOCAL = "local", _("Local")
    PRIVATE = "private", _("Private")


class Link(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")


class FundingForm(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Guarantee")
    PRIZE = "prize", _("Prize")
    COFINANCING = "cofinancing", _("Co-financing")
    EQUITY = "equity", _("Equity")
    COACHING = "coaching", _("Coaching")
    IN_KIND = "in_kind", _("In kind")


class InstrumentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPCOMING = "upcoming", _("Upcoming")
    CLOSED = "closed", _("Closed")
    PERMANENT = "permanent", _("Permanent")
