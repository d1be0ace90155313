"""Import of organisations and municipalities: the study's actor workbook and Helix's export.

See docs/import-formats.md for the layouts and value mappings.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.be import vat

from helix.core.importing.fields import (
    CellError,
    FieldSpec,
    Index,
    Resolved,
    Resolver,
    boolean,
    choice,
    date,
    integer,
    reference,
    terms,
    text,
    text_list,
)
from helix.core.importing.normalise import key, normalise_municipality
from helix.core.importing.registry import Layout, Target, register_index, register_layout, register_target

from .choices import CompanySize, HelixRole, MunicipalitySize, OrganisationKind, OrganisationStatus
from .models import Organisation, Province
from .tables import MUNICIPALITY_COLUMNS

KIND_ALIASES = {
    "bedrijf": "company", "bedrijven": "company", "onderneming": "company", "private actor": "company",
    "kennisinstelling": "knowledge_institution", "academische instelling": "knowledge_institution",
    "intermediair": "intermediary", "intermediaire organisatie": "intermediary", "cluster": "intermediary",
    "overheid": "government", "openbare dienst": "government", "overheidsdienst": "government",
    "gemeente": "municipality", "stad": "municipality", "stad of gemeente": "municipality",
    "buitenlandse organisatie": "foreign_organisation", "buitenlandse stad": "foreign_city",
}  # fmt: skip
HELIX_ALIASES = {
    "overheid": "government", "bedrijfsleven": "business", "bedrijven": "business",
    "kennisinstellingen": "academia", "onderzoek": "academia", "burgers": "civil_society",
    "middenveld": "civil_society", "steden en gemeenten": "municipality", "lokale besturen": "municipality",
}  # fmt: skip
SIZE_ALIASES = {"klein": "small", "middelgroot": "medium", "groot": "large", "kmo": "small"}
STATUS_ALIASES = {"actief": "active", "inactief": "inactive", "gefuseerd": "merged", "stopgezet": "inactive"}
MUNICIPALITY_SIZE_ALIASES = {"kleine gemeente": "small", "middelgrote gemeente": "medium", "grote stad": "large"}

# The helix role a new organisation gets from its kind (the seed's convention, data/seed/README.md).
HELIX_BY_KIND: dict[str, str] = {
    OrganisationKind.COMPANY: HelixRole.BUSINESS,
    OrganisationKind.KNOWLEDGE_INSTITUTION: HelixRole.ACADEMIA,
    OrganisationKind.INTERMEDIARY: HelixRole.BUSINESS,
    OrganisationKind.NETWORK_OR_PROGRAMME: HelixRole.BUSINESS,
    OrganisationKind.GOVERNMENT: HelixRole.GOVERNMENT,
    OrganisationKind.INTERCOMMUNALE: HelixRole.MUNICIPALITY,
    OrganisationKind.MUNICIPALITY: HelixRole.MUNICIPALITY,
    OrganisationKind.FOREIGN_ORGANISATION: HelixRole.BUSINESS,
    OrganisationKind.FOREIGN_CITY: HelixRole.MUNICIPALITY,
}

# Sheet names of the study's actor workbook -> kind (matched on words in the folded name).
SHEET_KINDS: list[tuple[tuple[str, ...], str]] = [
    (("steden", "gemeente", "cities", "municipal", "lokale bestu"), OrganisationKind.MUNICIPALITY),
    (("academ", "kennis", "universit", "hogeschool", "knowledge"), OrganisationKind.KNOWLEDGE_INSTITUTION),
    (("intermedia",), OrganisationKind.INTERMEDIARY),
    (("openbare dienst", "overheid", "government", "public service", "publieke"), OrganisationKind.GOVERNMENT),
    (("bedrij", "private", "compan", "onderneming"), OrganisationKind.COMPANY),
]


def kind_for_sheet(sheet_name: str) -> str | None:
    name = key(sheet_name)
    for words, kind in SHEET_KINDS:
        if any(word in name for word in words):
            return str(kind)
    return None


def _enterprise_number(raw: Any, _r: Resolver) -> str:
    value = str(int(raw)) if isinstance(raw, int | float) else str(raw)
    try:
        compact = vat.compact(value)
    except Exception:  # stdnum raises its own error kinds on junk
        compact = ""
    if not compact or not vat.is_valid(compact):
        raise CellError(
            _("“%(value)s” is not a valid Belgian enterprise number (10 digits, e.g. 0123.456.749).") % {"value": raw}
        )
    return str(compact)


def _refnis(raw: Any, _r: Resolver) -> str:
    value = str(int(raw)) if isinstance(raw, int | float) else str(raw).strip()
    if not re.fullmatch(r"\d{4,5}", value):
        raise CellError(_("A REFNIS code has 5 digits, not “%(value)s”.") % {"value": raw})
    return value.zfill(5)


def _country(raw: Any, _r: Resolver) -> str:
    value = str(raw).strip()
    aliases = {"belgie": "BE", "belgium": "BE", "belgique": "BE", "nederland": "NL", "europa": "EU", "europe": "EU"}
    value = aliases.get(key(value), value).upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise CellError(_("Expected a two-letter country code (BE, NL, EU), not “%(value)s”.") % {"value": raw})
    return value


ORGANISATION_FIELDS: tuple[FieldSpec, ...] = (
    text("slug"),
    text("name"),
    text("name_nl"),
    text_list("alternative_names"),
    choice("kind", OrganisationKind, KIND_ALIASES),
    text("subkind"),
    choice("helix_role", HelixRole, HELIX_ALIASES),
    FieldSpec("enterprise_number", "enterprise_number", _enterprise_number),
    terms("nace_sections", "nace", what=gettext_lazy("NACE section")),
    text("sector"),
    integer("founded_year"),
    choice("size_class", CompanySize, SIZE_ALIASES),
    text("website"),
    text("description_nl"),
    text("description_en"),
    reference(
        "municipality", "located_in_id", "organisation", what=gettext_lazy("municipality"), group=OrganisationKind.MUNICIPALITY
    ),
    reference("province", "province_id", "province", what=gettext_lazy("province")),
    FieldSpec("country", "country", _country),
    terms("domains", "domains", what=gettext_lazy("domain")),
    terms("sdgs", "sdgs", what=gettext_lazy("SDG")),
    terms("value_chain_roles", "value-chain-roles", what=gettext_lazy("value-chain role")),
    choice("status", OrganisationStatus, STATUS_ALIASES),
    text("source"),
    date("last_verified"),
    FieldSpec("refnis", "refnis", _refnis, empty=lambda: None),
    boolean("is_centrumstad", nullable=False),
    integer("population"),
    choice("municipality_size", MunicipalitySize, MUNICIPALITY_SIZE_ALIASES),
    boolean("coordinator_appointed"),
    boolean("open_data_charter_signed"),
    boolean("formal_strategy"),
)


def organisation_index() -> Index:
    index = Index(fallbacks=(normalise_municipality,))
    rows = Organisation.objects.values_list("pk", "slug", "name", "name_nl", "alternative_names", "enterprise_number", "kind")
    # One round trip (not a server-side cursor in 5,000-row chunks): about 100 bytes a record.
    for pk, slug, name, name_nl, alternative_names, enterprise_number, kind in rows:
        index.add(
            pk,
            slug=slug,
            label=name,
            names=[name, name_nl, *(alternative_names or [])],
            group=kind,
            enterprise_number=enterprise_number or "",
        )
    return index


def province_index() -> Index:
    index = Index(normalise=key)
    for province in Province.objects.all():
        index.add(province.pk, slug=province.short_name, label=province.short_name, names=[province.name_nl, province.name_fr])
    return index


def _kind_of(values: dict[str, Any]) -> str | None:
    kind = values.get("kind")
    return str(kind) if kind else None


def _match_group(values: dict[str, Any]) -> str | None:
    return str(OrganisationKind.MUNICIPALITY) if _kind_of(values) == OrganisationKind.MUNICIPALITY else None


def _refuse_new(values: dict[str, Any]) -> str | None:
    kind = _kind_of(values)
    if kind == OrganisationKind.MUNICIPALITY:
        return _(
            "“%(name)s” is not a municipality of the reference list (Statbel REFNIS): municipalities are never "
            "created by an import. Check the spelling, or use the REFNIS code in a slug column."
        ) % {"name": values.get("name") or values.get("slug")}
    if not kind:
        return _(
            "The kind of this new organisation is unknown: add a 'kind' column or name the sheet after the actor "
            "group (Bedrijven, Academische instellingen, Intermediaire organisaties, Openbare diensten, Steden en gemeenten)."
        )
    return None


def _prepare_new(values: dict[str, Any], ctx: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if not values.get("helix_role"):
        extra["helix_role"] = HELIX_BY_KIND.get(str(values.get("kind")), HelixRole.BUSINESS.value)
    if "country" not in values:
        extra["country"] = "BE"
    if not values.get("source"):
        extra["source"] = f"{ctx.file_name} > {ctx.sheet}"
    return extra


ORGANISATION_TARGET = Target(
    name="organisation",
    model=Organisation,
    verbose_name=gettext_lazy("organisation"),
    fields=ORGANISATION_FIELDS,
    index="organisation",
    title_key="name",
    name_keys=("name", "name_nl"),
    id_keys=("enterprise_number",),
    trigram_column="name",
    prepare_new=_prepare_new,
    match_group=_match_group,
    refuse_new=_refuse_new,
    order=10,
)

_NACE_LETTER = re.compile(r"^\s*([A-Ua-u])(?:\s*$|\s*[-\u2013.:)]\s*)")


def _study_actor_row(raw: dict[str, Any], ctx: Any) -> None:
    """The study's NACE column may hold 'J' or 'J - Informatie en communicatie'."""
    nace = raw.get("nace_sections")
    if isinstance(nace, str):
        match = _NACE_LETTER.match(nace)
        if match:
            raw["nace_sections"] = match.group(1).upper()
    municipality = raw.get("municipality")
    if municipality and not isinstance(municipality, Resolved):
        try:
            index = ctx.resolver.index("organisation")
            found = index.find(str(municipality), what=_("municipality"), group=OrganisationKind.MUNICIPALITY)
            raw["municipality"] = Resolved(found)
        except CellError as error:
            ctx.warn("municipality", str(error))
            raw.pop("municipality")


def _study_sheet_defaults(sheet_name: str) -> dict[str, Any]:
    kind = kind_for_sheet(sheet_name)
    return {"kind": kind} if kind else {}


STUDY_ACTOR_HEADERS = {
    "#": "#", "nr": "#", "nr.": "#",
    "naam": "name", "naam organisatie": "name", "organisatie": "name", "name": "name",
    "nace": "nace_sections", "nace code": "nace_sections", "nace sectie": "nace_sections", "nace letter": "nace_sections",
    "nace label": "nace_label", "nace omschrijving": "nace_label", "nace beschrijving": "nace_label",
    "omschrijving nace": "nace_label",
    "oprichtingsjaar": "founded_year", "opgericht": "founded_year", "jaar van oprichting": "founded_year",
    "sector analyse": "sector", "sector": "sector",
    "website": "website", "ondernemingsnummer": "enterprise_number", "kbo": "enterprise_number",
    "kbo nummer": "enterprise_number", "btw nummer": "enterprise_number",
    "gemeente": "municipality", "vestiging": "municipality", "provincie": "province",
    "beschrijving": "description_nl",
}  # fmt: skip

register_index("organisation", organisation_index)
register_index("province", province_index)
register_target(ORGANISATION_TARGET)
register_layout(
    Layout(
        name="helix-organisations",
        target="organisation",
        headers={column.key: column.key for column in MUNICIPALITY_COLUMNS} | {"sector": "sector"},
        required=frozenset({"name"}),
        description=gettext_lazy("Helix export of organisations or municipalities"),
        empty_clears=True,
        ignore=frozenset(column.key for column in MUNICIPALITY_COLUMNS if column.derived),
    )
)
register_layout(
    Layout(
        name="study-actors",
        target="organisation",
        headers=STUDY_ACTOR_HEADERS,
        required=frozenset({"name"}),
        description=gettext_lazy("Actor inventory workbook of the 2020 study"),
        unlabelled=("nace_sections", "nace_label"),
        ignore=frozenset({"#", "nace_label"}),
        sheet_defaults=_study_sheet_defaults,
        hook=_study_actor_row,
        priority=1,
    )
)
