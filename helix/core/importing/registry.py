"""What can be imported: target mappings, workbook layouts and reference indexes.

Each domain app declares its own in `importers.py` (found by autodiscovery), so later modules
(projects, challenges, ...) add targets and layouts without touching the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from .fields import FieldSpec, Index

if TYPE_CHECKING:
    from .pipeline import RowContext


@dataclass(frozen=True)
class Target:
    """How rows become records of one model.

    index: the name of the Index of existing records (slug, identifiers, names) used to match.
    title_key: the column naming a record (slug source, preview label).
    name_keys: columns compared by normalised name; id_keys: unique identifiers (enterprise number).
    group_key: a column that partitions records (the organisation kind), see `match_group`.
    prepare_new(values, ctx): extra values for a new record (e.g. helix role from kind).
    match_group(values): restrict name matching to one group (municipalities), or None.
    refuse_new(values): a reason why such a row may not create a record, or None.
    """

    name: str
    model: type[models.Model]
    verbose_name: str | Promise
    fields: tuple[FieldSpec, ...]
    index: str
    title_key: str
    name_keys: tuple[str, ...]
    id_keys: tuple[str, ...] = ()
    trigram_column: str = "name"
    prepare_new: Callable[[dict[str, Any], RowContext], dict[str, Any]] | None = None
    match_group: Callable[[dict[str, Any]], str | None] | None = None
    refuse_new: Callable[[dict[str, Any]], str | None] | None = None
    order: int = 0

    def spec(self, key: str) -> FieldSpec | None:
        return self.specs.get(key)

    @cached_property
    def specs(self) -> dict[str, FieldSpec]:
        return {spec.key: spec for spec in self.fields}

    @cached_property
    def keys_by_field(self) -> dict[str, str]:
        """Model field name -> column key."""
        return {spec.field_name: spec.key for spec in self.fields}


@dataclass(frozen=True)
class Layout:
    """A recognisable sheet layout: which header spellings mean which column key.

    headers: header text (any case, accents, punctuation) -> column key of the target.
    required: keys that must all be recognised in a row for it to be this layout's header row.
    unlabelled: keys given, in order, to empty header cells between recognised ones
      (the study's actor sheets leave the two NACE columns unlabelled).
    ignore: recognised keys that are informative only (e.g. the row number '#').
    empty_clears: an empty cell empties the field (Helix's own export) or is skipped (study).
    sheet_defaults(sheet name): values for new records implied by the sheet (e.g. the kind).
    hook(raw, ctx): adjust one row's raw values before parsing (e.g. lenient references).
    """

    name: str
    target: str
    headers: Mapping[str, str]
    required: frozenset[str]
    description: str | Promise = ""
    unlabelled: tuple[str, ...] = ()
    ignore: frozenset[str] = frozenset()
    empty_clears: bool = False
    sheet_defaults: Callable[[str], dict[str, Any]] | None = None
    hook: Callable[[dict[str, Any], RowContext], None] | None = None
    priority: int = 0


@dataclass(frozen=True)
class RevertTarget:
    """A model whose changes `revert_batch` undoes besides the import targets (e.g. another
    import's records, or link rows such as a challenge's owners).

    order: as Target.order; higher is reverted first (dependants before what they depend on).
    parent: for link rows, the foreign key (attname) of the record they belong to: a link of a
      record the batch touched that changed after the batch makes the revert refuse.
    keep_referenced: archive instead of delete a created record when rows of another model
      (not itself reverted) would be deleted with it by a cascade (e.g. responses to a challenge).
    """

    model: type[models.Model]
    order: int = 0
    parent: str = ""
    keep_referenced: bool = False


@dataclass
class Registry:
    targets: dict[str, Target] = field(default_factory=dict)
    layouts: list[Layout] = field(default_factory=list)
    indexes: dict[str, Callable[[], Index]] = field(default_factory=dict)
    revert_targets: dict[str, RevertTarget] = field(default_factory=dict)
    discovered: bool = False


registry = Registry()


def register_target(target: Target) -> None:
    registry.targets[target.name] = target


def register_layout(layout: Layout) -> None:
    registry.layouts[:] = [existing for existing in registry.layouts if existing.name != layout.name]
    registry.layouts.append(layout)


def register_index(name: str, builder: Callable[[], Index]) -> None:
    registry.indexes[name] = builder


def register_revert_target(target: RevertTarget) -> None:
    registry.revert_targets[target.model._meta.label_lower] = target


def discover() -> Registry:
    if not registry.discovered:
        autodiscover_modules("importers")
        registry.discovered = True
    return registry
