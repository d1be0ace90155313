"""Field specs: how one column's cell becomes a model value, and how it is compared and shown.

A `FieldSpec` is declared once per column key of a target model (see `helix/<app>/importers.py`)
and serves every layout: the study's Dutch workbooks and Helix's own export. Parsers accept
the spellings people type (Dutch and English labels, codes, `ja`/`nee`, `dd/mm/yyyy`), and
raise `CellError` with a message that says what is expected.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from .normalise import fold, key, normalise_name

LIST_SPLIT = re.compile(r"\s*[;\n]\s*")


class CellError(Exception):
    """A cell that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Resolved:
    """A reference already resolved by a layout hook (pk of the target)."""

    pk: int


@dataclass
class Index:
    """Existing records of one kind, for matching rows and resolving references.

    by_slug: slug -> pk; by_key: identifier field -> value -> pk (e.g. enterprise numbers);
    by_name: normalised name -> pks; labels: pk -> text shown in previews; groups: pk -> group
    (e.g. the organisation kind).
    """

    normalise: Callable[[object], str] = normalise_name
    fallbacks: tuple[Callable[[object], str], ...] = ()
    by_slug: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, dict[str, int]] = field(default_factory=dict)
    by_name: dict[str, set[int]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)
    groups: dict[int, str] = field(default_factory=dict)

    _trigrams: dict[str, list[int]] | None = field(default=None, repr=False)
    _names: list[tuple[frozenset[str], set[int]]] = field(default_factory=list, repr=False)

    def similar(self, text: object, *, threshold: float, limit: int = 3) -> list[tuple[int, float]]:
        """Records whose name has a trigram similarity (as pg_trgm computes it) of at least `threshold`.

        Candidates are the names sharing one of the query's rarest trigrams (an in-memory
        inverted index), so each look-up stays fast whatever the number of records.
        """
        if self._trigrams is None:
            postings: defaultdict[str, list[int]] = defaultdict(list)
            for position, (name, pks) in enumerate(self.by_name.items()):
                grams = trigrams(name)
                self._names.append((grams, pks))
                for gram in grams:
                    postings[gram].append(position)
            self._trigrams = dict(postings)
        query = trigrams(self.normalise(text))
        if not query:
            return []
        postings_ = self._trigrams
        rarest = sorted(query, key=lambda gram: len(postings_.get(gram, ())))[:RARE_TRIGRAMS]
        candidates = set().union(*(postings_.get(gram, ()) for gram in rarest))
        # A score of at least `threshold` needs sizes within that ratio (shared <= the smaller one).
        size = len(query)
        low, high = size * threshold, size / threshold
        best: dict[int, float] = {}
        names = self._names
        for position in candidates:
            grams, pks = names[position]
            if not low <= len(grams) <= high:
                continue
            shared = len(query & grams)
            score = shared / (size + len(grams) - shared)
            if score >= threshold:
                for pk in pks:
                    if score > best.get(pk, 0.0):
                        best[pk] = score
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]

    def add(self, pk: int, *, slug: str, label: str, names: Iterable[str], group: str = "", **keys: str) -> None:
        self.by_slug[slug] = pk
        self.slugs[pk] = slug
        self.labels[pk] = label
        if group:
            self.groups[pk] = group
        seen = ""
        for name in names:
            if not name or name == seen:
                continue
            seen = name
            normalised = self.normalise(name)
            if normalised:
                found = self.by_name.get(normalised)
                if found is None:
                    self.by_name[normalised] = {pk}
                else:
                    found.add(pk)
        for name, value in keys.items():
            if value:
                self.by_key.setdefault(name, {})[value] = pk

    def by_name_any(self, text: object, *, group: str | None = None) -> set[int]:
        """Records whose normalised name equals `text`'s (trying the fallback normalisers too)."""
        for normalise in (self.normalise, *self.fallbacks):
            pks = self.by_name.get(normalise(text), set())
            if group is not None:
                pks = {pk for pk in pks if self.groups.get(pk) == group}
            if pks:
                return pks
        return set()

    def find(self, text: str, *, group: str | None = None, what: object = "") -> int:
        """The pk for a slug or a name; CellError when unknown or ambiguous."""
        text = str(text).strip()
        if text in self.by_slug and (group is None or self.groups.get(self.by_slug[text]) == group):
            return self.by_slug[text]
        pks = self.by_name_any(text, group=group)
        if len(pks) == 1:
            return next(iter(pks))
        if not pks:
            raise CellError(_("Unknown %(what)s “%(text)s”: use its identifier or exact name.") % {"what": what, "text": text})
        names = ", ".join(sorted(self.slugs[pk] for pk in pks))
        raise CellError(_("“%(text)s” matches several records (%(names)s): use the identifier.") % {"text": text, "names": names})


RARE_TRIGRAMS = 6
_WORDS = re.compile(r"[0-9a-z]+")


_PLAIN = re.compile(r"[0-9a-z ]*")


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each alphanumeric word padded with two spaces before and one after."""
    # Normalised names (the common case) are already folded words: skip fold() and the regex.
    words = text.split() if _PLAIN.fullmatch(text) else _WORDS.findall(fold(text))
    if not words:
        return frozenset()
    # All padded words in one string ("  a   b "): one pass. The only trigrams spanning two
    # words end in two spaces, which no real trigram does; they are dropped.
    padded = "  " + "   ".join(words) + " "
    grams = {padded[i : i + 3] for i in range(len(padded) - 2)}
    if len(words) > 1:
        grams.discard("   ")
        for word in words[:-1]:
            grams.discard(word[-1] + "  ")
    return frozenset(grams)


class Resolver:
    """Per-run cache of indexes, built on first use from the registered builders."""

    def __init__(self, builders: Mapping[str, Callable[[], Index]]) -> None:
        self._builders = builders
        self._indexes: dict[str, Index] = {}

    def index(self, name: str) -> Index:
        if name not in self._indexes:
            if name.startswith("term:"):
                self._indexes[name] = term_index(name.removeprefix("term:"))
            else:
                self._indexes[name] = self._builders[name]()
        return self._indexes[name]


def term_index(scheme: str) -> Index:
    from helix.core.models import Term

    index = Index(normalise=key)
    for pk, code, label_nl, label_en in Term.objects.filter(scheme__slug=scheme).values_list(
        "pk", "code", "label_nl", "label_en"
    ):
        index.add(pk, slug=code, label=code, names=[code, label_nl, label_en])
    return index


# --- field specs ---------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    return bool(a == b)


@dataclass(frozen=True)
class FieldSpec:
    """One importable column of a target model.

    key: the column key (Helix export header). attr: the model attribute written
    (`offered_by_id` for a foreign key, the relation name for many-to-many).
    parse(raw, resolver) turns a non-empty cell into the value; empty() is an empty cell's value.
    many: a many-to-many relation (value: frozenset of pks). merge: a dict merged into the current one.
    """

    key: str
    attr: str
    parse: Callable[[Any, Resolver], Any]
    empty: Callable[[], Any] = str
    many: bool = False
    merge: bool = False
    same: Callable[[Any, Any], bool] = _same
    show: Callable[[Any, Resolver], str] | None = None

    def current(self, obj: models.Model) -> Any:
        if self.many:
            loaded = getattr(obj, "_import_m2m", None)  # set by the pipeline: one query per relation
            if loaded is not None:
                return loaded.get(self.attr, frozenset())
            return frozenset(item.pk for item in getattr(obj, self.attr).all())
        return getattr(obj, self.attr)

    def display(self, value: Any, resolver: Resolver) -> str:
        if value is None or value in ("", [], frozenset(), {}):
            return "—"
        if self.show is not None:
            return self.show(value, resolver)
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return str(value)

    @property
    def field_name(self) -> str:
        return self.attr.removesuffix("_id")


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _text_value(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime | datetime.date):
        raw = raw.isoformat()
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


def _same_text(a: Any, b: Any) -> bool:
    return _text_value(a or "") == _text_value(b or "")


def text(spec_key: str, attr: str | None = None) -> FieldSpec:
    return FieldSpec(spec_key, attr or spec_key, lambda raw, _r: _text_value(raw), same=_same_text)


def integer(spec_key: str, attr: str | None = None) -> FieldSpec:
    def parse(raw: Any, _r: Resolver) -> int:
        if isinstance(raw, bool):
            raise CellError(_("Expected a whole number."))
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float | decimal.Decimal) and raw == int(raw):
            return int(raw)
        cleaned = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", cleaned):
            cleaned = re.sub(r"[.,]", "", cleaned)
        if re.fullmatch(r"-?\d+", cleaned):
            return int(cleaned)
        raise CellError(_("Expected a whole number, not “%(value)s”.") % {"value": raw})

    return FieldSpec(spec_key, attr or spec_key, parse, empty=lambda: None)


def to_decimal(raw: Any) -> decimal.Decimal:
    if isinstance(raw, bool):
        raise CellError(_("Expected an amount."))
    if isinstance(raw, int | decimal.Decimal):
        return decimal.Decimal(raw)
    if isinstance(raw, float):
        return decimal.Decimal(repr(raw))
    cleaned = re.sub(r"[\s\u00a0€%]|EUR", "", str(raw))
    if "," in cleaned and "." in cleaned:
        dutch = cleaned.rfind(",") > cleaned.rfind(".")  # 1.000,50 (Dutch) or 1,000.50
        cleaned = cleaned.replace(".", "").replace(",", ".") if dutch else cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return decimal.Decimal(cleaned)
    except decimal.InvalidOperation:
        raise CellError(_("Expected an amount such as 150000 or 150.000,50, not “%(value)s”.") % {"value": raw}) from None


def amount(spec_key: str) -> FieldSpec:
    return FieldSpec(spec_key, spec_key, lambda raw, _r: to_decimal(raw), empty=lambda: None)


def to_date(raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    value = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CellError(_("Expected a date such as 2024-03-31 or 31/03/2024, not “%(value)s”.") % {"value": raw})


def date(spec_key: str) -> FieldSpec:
    return FieldSpec(spec_key, spec_key, lambda raw, _r: to_date(raw), empty=lambda: None)


TRUE_WORDS = {"true", "yes", "ja", "j", "y", "1", "waar", "x", "oui", "vrai"}
FALSE_WORDS = {"false", "no", "nee", "n", "0", "onwaar", "non", "faux"}


def boolean(spec_key: str, *, nullable: bool = True) -> FieldSpec:
    def parse(raw: Any, _r: Resolver) -> bool:
        if isinstance(raw, bool):
            return raw
        word = fold(_text_value(raw))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError(_("Expected yes or no (ja/nee, true/false), not “%(value)s”.") % {"value": raw})

    return FieldSpec(spec_key, spec_key, parse, empty=(lambda: None) if nullable else (lambda: False))


def _choice_map(choices: type[models.TextChoices], aliases: Mapping[str, str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in choices.choices:
        mapping[key(value)] = value
        for language in ("en", "nl"):
            with translation.override(language):
                mapping.setdefault(key(str(label)), value)
    for alias, value in aliases.items():
        mapping[key(alias)] = value
    return mapping


def choice(spec_key: str, choices: type[models.TextChoices], aliases: Mapping[str, str] | None = None) -> FieldSpec:
    cache: dict[str, str] = {}

    def parse(raw: Any, _r: Resolver) -> str:
        if not cache:
            cache.update(_choice_map(choices, aliases or {}))
        found = cache.get(key(_text_value(raw)))
        if found is None:
            allowed = ", ".join(choices.values)
            raise CellError(_("Unknown value “%(value)s”; expected one of: %(allowed)s.") % {"value": raw, "allowed": allowed})
        return found

    return FieldSpec(spec_key, spec_key, parse)


def split_list(raw: Any) -> list[str]:
    if isinstance(raw, list | tuple):
        items = [_text_value(v) for v in raw if not is_empty(v)]
    else:
        items = LIST_SPLIT.split(_text_value(raw))
    return [item for item in (i.strip() for i in items) if item]


def text_list(spec_key: str) -> FieldSpec:
    return FieldSpec(spec_key, spec_key, lambda raw, _r: split_list(raw), empty=list)


def choice_list(spec_key: str, choices: type[models.TextChoices], aliases: Mapping[str, str] | None = None) -> FieldSpec:
    single = choice(spec_key, choices, aliases)
    return FieldSpec(spec_key, spec_key, lambda raw, r: [single.parse(item, r) for item in split_list(raw)], empty=list)


def date_list(spec_key: str) -> FieldSpec:
    return FieldSpec(spec_key, spec_key, lambda raw, _r: [to_date(item) for item in split_list(raw)], empty=list)


def _resolve(
    index_name: str, raw: Any, resolver: Resolver, what: object, aliases: Mapping[str, str], group: str | None = None
) -> int:
    if isinstance(raw, Resolved):
        return raw.pk
    value = _text_value(raw)
    value = aliases.get(key(value), value)
    return resolver.index(index_name).find(value, what=what, group=group)


def _show_refs(index_name: str) -> Callable[[Any, Resolver], str]:
    def show(value: Any, resolver: Resolver) -> str:
        index = resolver.index(index_name)
        if isinstance(value, frozenset | set | list):
            return "; ".join(sorted(index.slugs.get(pk, str(pk)) for pk in value))
        return index.slugs.get(value, str(value))

    return show


def reference(
    spec_key: str,
    attr: str,
    index_name: str,
    *,
    what: object,
    aliases: Mapping[str, str] | None = None,
    group: str | None = None,
) -> FieldSpec:
    """A foreign key given by identifier (slug/code) or exact name (within `group` of the index, if given)."""
    folded_aliases = {key(k): v for k, v in (aliases or {}).items()}
    return FieldSpec(
        spec_key,
        attr,
        lambda raw, r: _resolve(index_name, raw, r, what, folded_aliases, group),
        empty=lambda: None,
        show=_show_refs(index_name),
    )


def references(spec_key: str, attr: str, index_name: str, *, what: object, aliases: Mapping[str, str] | None = None) -> FieldSpec:
    """A many-to-many relation given as a list of identifiers or names."""
    folded_aliases = {key(k): v for k, v in (aliases or {}).items()}

    def parse(raw: Any, r: Resolver) -> frozenset[int]:
        if isinstance(raw, Resolved):
            return frozenset({raw.pk})
        return frozenset(_resolve(index_name, item, r, what, folded_aliases) for item in split_list(raw))

    return FieldSpec(spec_key, attr, parse, empty=frozenset, many=True, show=_show_refs(index_name))


def term(spec_key: str, scheme: str, *, what: object, aliases: Mapping[str, str] | None = None) -> FieldSpec:
    return reference(spec_key, f"{spec_key}_id", f"term:{scheme}", what=what, aliases=aliases)


def terms(spec_key: str, scheme: str, *, what: object, aliases: Mapping[str, str] | None = None) -> FieldSpec:
    return references(spec_key, spec_key, f"term:{scheme}", what=what, aliases=aliases)


def json_dict(spec_key: str) -> FieldSpec:
    """A dict merged into the stored one (e.g. the inventory cells as delivered)."""

    def parse(raw: Any, _r: Resolver) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise CellError(_("Expected a set of named values."))
        return raw

    return FieldSpec(spec_key, spec_key, parse, empty=dict, merge=True)
