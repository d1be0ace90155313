"""Text normalisation used to match headers, values and names across spellings."""

from __future__ import annotations

import re
import unicodedata

# Legal-form suffixes (Belgian, Dutch, French, German, English) stripped from names before matching.
LEGAL_SUFFIXES = frozenset(
    {
        "nv", "bv", "bvba", "cvba", "cv", "vzw", "ivzw", "vof", "commv", "cva", "esv", "ev",
        "sa", "srl", "sprl", "scrl", "sc", "asbl", "aisbl", "scs",
        "ltd", "llc", "inc", "plc", "gmbh", "ag", "kg", "se", "co", "corp",
    }
)  # fmt: skip
_AND_WORDS = frozenset({"and", "et", "und"})
_PUNCT = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def fold(text: object) -> str:
    """Lower-case, accents removed, whitespace collapsed (like the database's helix_fold)."""
    value = str(text or "")
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value)
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return _SPACES.sub(" ", value.casefold()).strip()


def key(text: object) -> str:
    """fold() without punctuation: 'Fonds / Programma / individuele call' -> 'fonds programma individuele call'."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def normalise_name(text: object) -> str:
    """A name for matching: folded, punctuation removed, trailing legal forms stripped.

    'Proximus NV' == 'proximus'; 'Innoveren & Ondernemen' == 'Innoveren en Ondernemen' ('&', 'and' -> 'en').
    Dotted forms are joined first so 'N.V.' and 'B.V.B.A.' are recognised.
    (Runs for every name of every existing record when an import starts, so it avoids work:
    fold() without collapsing spaces, and the split does what key() would.)
    """
    value = str(text or "")
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value)
        value = "".join(ch for ch in value if not unicodedata.combining(ch))
    folded = value.casefold()
    if "&" in folded:
        folded = folded.replace("&", " en ")
    if "." in folded:
        folded = _DOTTED.sub(_undot, folded)
    words = [("en" if word in _AND_WORDS else word) for word in _PUNCT.sub(" ", folded).split()]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] in LEGAL_SUFFIXES:
        words.pop(0)
    return " ".join(words)


_DOTTED = re.compile(r"\b((?:[a-z]\.){2,})")


def _undot(match: re.Match[str]) -> str:
    return match.group(1).replace(".", "")


MUNICIPALITY_PREFIXES = ("stad ", "gemeente ", "city of ", "ville de ", "commune de ")


def normalise_municipality(text: object) -> str:
    """'Stad Gent' and 'Gemeente Gent' match 'Gent'."""
    name = normalise_name(text)
    for prefix in MUNICIPALITY_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name
