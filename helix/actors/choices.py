from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    KNOWLEDGE_INSTITUTION = "knowledge_institution", _("Knowledge institution")
    INTERMEDIARY = "intermediary", _("Intermediary, cluster or network")
    NETWORK_OR_PROGRAMME = "network_or_programme", _("Network or programme")
    GOVERNMENT = "government", _("Government service")
    INTERCOMMUNALE = "intercommunale", _("Intercommunale")
    MUNICIPALITY = "municipality", _("Municipality")
    FOREIGN_ORGANISATION = "foreign_organisation", _("Foreign organisation")
    FOREIGN_CITY = "foreign_city", _("Foreign city")


class HelixRole(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Knowledge institutions")
    CIVIL_SOCIETY = "civil_society", _("Citizens")
    MUNICIPALITY = "municipality", _("Cities and municipalities")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    MERGED = "merged", _("Merged")


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro (< 10)")
    SMALL = "small", _("Small (10-49)")
    MEDIUM = "medium", _("Medium (50-249)")
    LARGE = "large", _("Large (250+)")


class MunicipalitySize(models.TextChoices):
    SMALL = "small", _("Small municipality")
    MEDIUM = "medium", _("Medium-sized municipality")
    LARGE = "large", _("Large city")


class IdentifierScheme(models.TextChoices):
    KBO = "kbo", _("Enterprise number (KBO/BCE)")
    REFNIS = "refnis", _("REFNIS code")
    OVO = "ovo", _("Flemish organisation register (OVO)")
    EU_PIC = "eu_pic", _("EU participant identification code (PIC)")
    URL = "url", _("Ecosystem database URL")
    SEED = "seed", _("Landscape study identifier")


class Predicate(models.TextChoices):
    PART_OF = "part_of", _("part of")
    RUN_BY = "run_by", _("run by")
    FOUNDED_BY = "founded_by", _("founded by")
    INITIATED_BY = "initiated_by", _("initiated by")
    MEMBER_OF = "member_of", _("member of")
    PLANNED_MEMBER_OF = "planned_member_of", _("planned member of")
    PARTNER_OF = "partner_of", _("partner of")
    SHAREHOLDER_OF = "shareholder_of", _("shareholder of")
    COOPERATES_WITH = "cooperates_with", _("cooperates with")
    FUNDED_BY = "funded_by", _("funded by")
    SUPPORTED_BY = "supported_by", _("supported by")
    LED_BY = "led_by", _("led by")
    HOSTED_BY = "hosted_by", _("hosted by")
    SERVES = "serves", _("serves")
    REGIONAL_AUTHORITY_OF = "regional_authority_of", _("regional authority of")
    TEACHES_IN = "teaches_in", _("teaches in")
    SIGNATORY_OF = "signatory_of", _("signatory of")
    HAS_EXPERIMENTATION_SPACE_IN = "has_experimentation_space_in", _("has an experimentation space in")
    INITIATES_PROJECTS_IN = "initiates_projects_in", _("initiates projects in")
    LIGHTHOUSE_CITY_OF = "lighthouse_city_of", _("lighthouse city of")
    FOLLOWER_CITY_OF = "follower_city_of", _("follower city of")
    OBSERVER_CITY_OF = "observer_city_of", _("observer city of")


class EditorRole(models.TextChoices):
    EDITOR = "editor", _("Editor")
