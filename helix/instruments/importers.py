"""Import of instruments: the study's instrument workbook and Helix's export.

See docs/import-formats.md for the layouts and value mappings.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helix.actors.choices import MunicipalitySize
from helix.core.importing.fields import (
    CellError,
    FieldSpec,
    Index,
    Resolved,
    amount,
    boolean,
    choice,
    choice_list,
    date,
    date_list,
    integer,
    json_dict,
    reference,
    references,
    term,
    terms,
    text,
    text_list,
)
from helix.core.importing.normalise import key
from helix.core.importing.registry import Layout, Target, register_index, register_layout, register_target

from .choices import FundingForm, InstrumentKind, Link, PolicyLevel
from .models import Instrument
from .tables import INSTRUMENT_COLUMNS

KIND_ALIASES = {
    "financieel": "financial", "financiele instrumenten": "financial", "financiering": "financial",
    "subsidie": "financial", "matchmaking": "matchmaking", "netwerking": "matchmaking",
    "ondersteuning": "matchmaking", "matchmaking en ondersteuning": "matchmaking",
}  # fmt: skip
POLICY_LEVEL_ALIASES = {
    "europees": "european", "europa": "european", "eu": "european", "europese unie": "european",
    "vlaams": "flemish", "vlaanderen": "flemish", "nationaal": "national", "federaal": "national",
    "belgisch": "national", "lokaal": "local", "gemeentelijk": "local", "provinciaal": "local",
    "privaat": "private", "prive": "private", "regionaal": "regional", "brussels": "regional",
}  # fmt: skip
LINK_ALIASES = {"rechtstreeks": "direct", "onrechtstreeks": "indirect"}
FUNDING_FORM_ALIASES = {
    "subsidie": "grant", "lening": "loan", "waarborg": "guarantee", "garantie": "guarantee", "prijs": "prize",
    "cofinanciering": "cofinancing", "begeleiding": "coaching", "in natura": "in_kind", "kapitaal": "equity",
}  # fmt: skip
# Cell values of "Fonds / Programma / individuele call" -> instrument-type term codes.
TYPE_ALIASES = {
    "fonds": "fund", "programma": "programme", "individuele call": "call", "oproep": "call", "call": "call",
    "lening": "loan", "prijs": "prize", "netwerk": "network", "begeleiding": "coaching",
}  # fmt: skip
# Cell values of "Type van Europese subsidiëring" -> EU funding category (code or label).
EU_CATEGORY_ALIASES = {
    "european structural and investment funds": "ESIF",
    "europese structuur en investeringsfondsen": "ESIF",
    "esi fondsen": "ESIF",
    "european funding programmes": "EU funding programme",
    "europese financieringsprogramma s": "EU funding programme",
    "efp": "EU funding programme",
    "projectontwikkelingshulp": "Project development assistance",
    "financial institutions instruments": "Financial institution instrument",
    "alternative financing schemes": "Alternative financing",
}

INSTRUMENT_FIELDS: tuple[FieldSpec, ...] = (
    text("slug"),
    text("title"),
    text("title_nl"),
    choice("kind", InstrumentKind, KIND_ALIASES),
    term("instrument_type", "instrument-types", what=gettext_lazy("instrument type"), aliases=TYPE_ALIASES),
    reference("offered_by", "offered_by_id", "organisation", what=gettext_lazy("organisation")),
    references("co_offered_by", "co_offered_by", "organisation", what=gettext_lazy("organisation")),
    reference("parent", "parent_id", "instrument", what=gettext_lazy("instrument")),
    text("umbrella_programme"),
    term("eu_category", "eu-funding-categories", what=gettext_lazy("EU funding category"), aliases=EU_CATEGORY_ALIASES),
    choice("policy_level", PolicyLevel, POLICY_LEVEL_ALIASES),
    text("country"),
    choice("link", Link, LINK_ALIASES),
    text("description_nl"),
    text("description_en"),
    text_list("target_groups"),
    terms("applicant_types", "applicant-types", what=gettext_lazy("applicant type")),
    choice_list("municipality_sizes", MunicipalitySize),
    text("territory"),
    boolean("consortium_required"),
    terms("phases", "phases", what=gettext_lazy("phase")),
    terms("domains", "domains", what=gettext_lazy("domain")),
    choice_list("funding_forms", FundingForm, FUNDING_FORM_ALIASES),
    amount("cofinancing_rate"),
    amount("amount_min"),
    amount("amount_max"),
    amount("total_budget"),
    date("opens_on"),
    date("closes_on"),
    text("open_until_text"),
    text("recurrence"),
    date_list("deadlines"),
    text("url"),
    integer("inventory_no"),
    text("source"),
    date("last_verified"),
    json_dict("inventory_fields"),
)


def instrument_index() -> Index:
    index = Index()
    for pk, slug, title, title_nl in Instrument.objects.values_list("pk", "slug", "title", "title_nl").iterator(chunk_size=5000):
        index.add(pk, slug=slug, label=title, names=[title, title_nl])
    return index


def _refuse_new(values: dict[str, Any]) -> str | None:
    if not values.get("kind"):
        return _(
            "The kind of this new instrument is unknown: add a 'kind' column (financial / matchmaking) or name the "
            "sheet after it (Financiële instrumenten, Matchmaking)."
        )
    return None


def _prepare_new(values: dict[str, Any], ctx: Any) -> dict[str, Any]:
    return {} if values.get("source") else {"source": f"{ctx.file_name} > {ctx.sheet}"}


INSTRUMENT_TARGET = Target(
    name="instrument",
    model=Instrument,
    verbose_name=gettext_lazy("instrument"),
    fields=INSTRUMENT_FIELDS,
    index="instrument",
    title_key="title",
    name_keys=("title", "title_nl"),
    trigram_column="title",
    prepare_new=_prepare_new,
    refuse_new=_refuse_new,
    order=20,
)

# Study column key -> key in the seed's `snapshot_fields` (the cells kept as delivered).
INVENTORY_CELL_KEYS = {
    "offered_by": "organisatie",
    "umbrella_programme": "naam_overkoepelend_fonds_programma",
    "instrument_type": "fonds_programma_call",
    "eu_category": "type_europese_subsidiering",
    "policy_level": "beleidsniveau",
    "link": "direct_indirect",
}


def _lenient(raw: dict[str, Any], ctx: Any, column_key: str, message: str) -> None:
    """Resolve a reference now; when unknown keep the cell as delivered and warn instead of failing."""
    value = raw.get(column_key)
    if value in (None, "") or isinstance(value, Resolved):
        return
    spec = INSTRUMENT_TARGET.specs[column_key]
    try:
        raw[column_key] = Resolved(spec.parse(value, ctx.resolver))
    except CellError as error:
        ctx.warn(column_key, f"{error} {message}")
        raw.pop(column_key)


def _study_instrument_row(raw: dict[str, Any], ctx: Any) -> None:
    cells = {
        name: str(raw[column_key]).strip()
        for column_key, name in INVENTORY_CELL_KEYS.items()
        if raw.get(column_key) not in (None, "")
    }
    if cells:
        raw["inventory_fields"] = cells
    kept = _("The cell is kept in the inventory cells as delivered.")
    _lenient(raw, ctx, "offered_by", kept)
    _lenient(raw, ctx, "instrument_type", kept)
    _lenient(raw, ctx, "eu_category", kept)
    # The umbrella fund/programme stays text: it names the overarching fund, which is not always
    # the record's direct parent (ERDF -> Flemish programme -> priority axis -> call).


def _study_sheet_defaults(sheet_name: str) -> dict[str, Any]:
    name = key(sheet_name)
    if "match" in name or "netwerk" in name or "ondersteun" in name:
        return {"kind": InstrumentKind.MATCHMAKING.value}
    if "financ" in name or "subsid" in name:
        return {"kind": InstrumentKind.FINANCIAL.value}
    return {}


STUDY_INSTRUMENT_HEADERS = {
    "nr": "inventory_no", "nr.": "inventory_no", "#": "inventory_no",
    "organisatie": "offered_by",
    "naam overkoepelend fonds / programma (eu)": "umbrella_programme",
    "fonds / programma (enkel voor eu)": "umbrella_programme",
    "fonds / programma / individuele call": "instrument_type",
    "type van europese subsidiëring": "eu_category",
    "titel instrument": "title",
    "beleidsniveau": "policy_level",
    "beschrijving instrument": "description_nl", "beschrijving": "description_nl",
    "direct / indirect": "link",
}  # fmt: skip

register_index("instrument", instrument_index)
register_target(INSTRUMENT_TARGET)
register_layout(
    Layout(
        name="helix-instruments",
        target="instrument",
        headers={column.key: column.key for column in INSTRUMENT_COLUMNS},
        required=frozenset({"title"}),
        description=gettext_lazy("Helix export of instruments"),
        empty_clears=True,
        ignore=frozenset(column.key for column in INSTRUMENT_COLUMNS if column.derived),
    )
)
register_layout(
    Layout(
        name="study-instruments",
        target="instrument",
        headers=STUDY_INSTRUMENT_HEADERS,
        required=frozenset({"title"}),
        description=gettext_lazy("Instrument inventory workbook of the 2020 study"),
        ignore=frozenset(),
        sheet_defaults=_study_sheet_defaults,
        hook=_study_instrument_row,
        priority=1,
    )
)
