"""Dutch- and English-aware text relevance: tokenizer, stemming and a BM25 inverted index.

PURE PYTHON (no Django). Used by the funding finder and by the marketplace matcher.

Analysis of a text, in order:

1. lower-case and fold accents (``"Rénovatie"`` -> ``"renovatie"``) with `unicodedata`;
2. split on everything that is not a letter or a digit;
3. drop one-character tokens and the Dutch and English stop words below;
4. turn every token into up to three *terms*: the folded token itself, its Dutch stem
   (Snowball "dutch_porter") and its English stem (Snowball "english"), deduplicated.

Keeping the surface form next to both stems makes the two languages and the inflections meet:
"fietsen" gives {fietsen, fiets} and "fiets" gives {fiets, fiet}, which share "fiets"; "parking"
and "parked" share the English stem "park"; "sensoren" (Dutch stem "sensor") meets "sensors"
(English stem "sensor"). We use Snowball's Porter-based Dutch stemmer rather than the newer
"dutch" one because the newer one strips a "ge-" prefix ("gemeente" -> "meen", "gegevens" ->
"geven"), which makes unrelated words meet.

Relevance is Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's always-positive idf) with two twists that
make it exact and reproducible:

* per-posting impacts ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))`` are
  quantised to integers (``round(impact * 2**12)``) and query-term weights to integers too, so a
  document's score is an integer sum whose value does not depend on the order of the additions
  (term-at-a-time accumulation and document-at-a-time scoring give bit-identical results);
* the score is normalised per query to [0, 1]: ``cover = score / max_score``, where
  ``max_score`` is the query's maximum attainable score, the sum over query terms of
  ``weight * idf * (k1 + 1)`` (what a document would get if it contained every query term
  infinitely often; query terms the index has never seen count too), so `cover` says how much
  of the query a document covers. Long descriptions rarely cover more than a fraction of each
  other, so the value is saturated: ``value = cover / (cover + 0.1)`` (0.5 at 10% cover, 0.75
  at 30%, 0.91 at full cover), computed on integers as ``score / (score + max_score // 10)``.
  The transform is increasing and concave with value(0) = 0, hence subadditive, which the
  matcher's pruning bounds rely on.

Query-term weights saturate like BM25's document side: ``(k3 + 1) * qtf / (k3 + qtf)``, k3 = 1.2.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import mul

import snowballstemmer

__all__ = [
    "STOP_WORDS",
    "TextIndex",
    "TextQuery",
    "analyze",
    "terms_of_token",
    "tokenize",
]

K1 = 1.2
B = 0.75
K3 = 1.2
# Small scales keep sums below 2**30, where CPython's integer arithmetic is fastest.
IMPACT_SCALE = 1 << 12
QUERY_SCALE = 1 << 4
SATURATION = 10  # value 0.5 at a cover of 1/SATURATION of the maximum attainable score

# Small, hand-made lists (folded, so without accents). Words that carry meaning in the domain
# ("data", "open", "smart") are deliberately absent.
_STOP_NL = """
aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik
in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om
omdat ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat
we wel werd wezen wie wij wil worden wordt zal ze zelf zich zij zijn zo zonder zou
"""
_STOP_EN = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_NL.split()) | frozenset(_STOP_EN.split())

_SPLIT = re.compile(r"[^0-9a-z]+")
_SPLIT_UNICODE = re.compile(r"[\W_]+")

_DUTCH = snowballstemmer.stemmer("dutch_porter")
_ENGLISH = snowballstemmer.stemmer("english")


def fold(text: str) -> str:
    """Lower-case and strip accents (NFKD, then drop combining marks)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Folded tokens of `text`, without stop words and one-character tokens, in text order."""
    folded = fold(text)
    parts = _SPLIT.split(folded) if folded.isascii() else _SPLIT_UNICODE.split(folded)
    return [p for p in parts if len(p) > 1 and p not in STOP_WORDS]


@lru_cache(maxsize=262_144)
def terms_of_token(token: str) -> tuple[str, ...]:
    """The token, its Dutch stem and its English stem, deduplicated, in that order."""
    out = [token]
    for stem in (_DUTCH.stemWord(token), _ENGLISH.stemWord(token)):
        if stem and stem not in out:
            out.append(stem)
    return tuple(out)


def analyze(text: str) -> list[str]:
    """All index terms of `text` (with repetitions, so term frequencies can be counted)."""
    out: list[str] = []
    for token in tokenize(text):
        out.extend(terms_of_token(token))
    return out


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class TextQuery:
    """An analysed query against one index.

    `terms` are sorted (`ids` are their ids in the index); `weights[j]` is the integer query weight of `terms[j]`; `norm` is the
    maximum attainable integer score (0 when the query has no terms); `half` is the integer score
    that gives the value 0.5 (`norm // 10`, at least 1); `bounds[j]` is the highest integer
    contribution `terms[j]` gives to any document of the index (weight * max impact).
    """

    terms: tuple[str, ...]
    weights: tuple[int, ...]
    norm: int
    bounds: tuple[int, ...]
    half: int
    ids: tuple[int, ...]  # the index's term ids, -1 for terms it has never seen

    def value(self, total: int) -> float:
        """Normalise an integer score (a sum of weight * impact) to [0, 1): total / (total + half)."""
        return total / (total + self.half) if total else 0.0


class TextIndex:
    """An inverted index over documents 0..n-1: term -> (document positions, integer impacts).

    Posting lists are sorted by document position. Build it once; queries are read-only, so one
    index can serve many threads.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        # One pass collects term frequencies into compact arrays (no per-document objects kept);
        # a second one turns them into impacts, once the idf of every term is known.
        term_ids: dict[str, int] = {}
        docs_of: list[array[int]] = []
        tfs_of: list[array[int]] = []
        lengths = array("i")
        fwd_start = array("q", [0])
        fwd_terms = array("i")
        fwd_tfs = array("i")
        for position, text in enumerate(texts):
            terms = analyze(text)
            lengths.append(len(terms))
            for term, tf in Counter(terms).items():
                tid = term_ids.get(term)
                if tid is None:
                    tid = term_ids[term] = len(docs_of)
                    docs_of.append(array("i"))
                    tfs_of.append(array("i"))
                docs_of[tid].append(position)
                tfs_of[tid].append(tf)
                fwd_terms.append(tid)
                fwd_tfs.append(tf)
            fwd_start.append(len(fwd_terms))
        self.n_docs = len(lengths)
        self.avgdl = (sum(lengths) / self.n_docs) if self.n_docs else 0.0
        self.doc_lengths = lengths
        avgdl = self.avgdl or 1.0
        idf_of = [_idf(self.n_docs, len(docs)) for docs in docs_of]
        self._term_ids = term_ids
        # Every (document, term) impact is computed once, in document order: appended to the
        # forward index and to the term's posting list (whose documents are in that order too).
        k1_norm = [K1 * (1.0 - B + B * length / avgdl) for length in lengths]
        impacts_of: list[array[int]] = [array("i") for _ in docs_of]
        fwd_impacts = array("i")
        for position in range(self.n_docs):
            norm = k1_norm[position]
            for j in range(fwd_start[position], fwd_start[position + 1]):
                tid, tf = fwd_terms[j], fwd_tfs[j]
                impact = round(idf_of[tid] * tf * (K1 + 1.0) / (tf + norm) * IMPACT_SCALE)  # the module docstring's impact
                fwd_impacts.append(impact)
                impacts_of[tid].append(impact)
        self._docs: dict[str, array[int]] = {}
        self._impacts: dict[str, array[int]] = {}
        self._max_impact: dict[str, int] = {}
        self._idf: dict[str, float] = {}
        for term, tid in term_ids.items():
            self._docs[term] = docs_of[tid]
            self._impacts[term] = impacts_of[tid]
            self._max_impact[term] = max(impacts_of[tid])
            self._idf[term] = idf_of[tid]
        # The forward index: per document its term ids and impacts, one slice each.
        self._fwd_start = fwd_start
        self._fwd_terms = fwd_terms
        self._fwd_impacts = fwd_impacts

    # -- statistics -------------------------------------------------------------------------

    def df(self, term: str) -> int:
        docs = self._docs.get(term)
        return len(docs) if docs is not None else 0

    def postings(self, term: str) -> tuple[array[int], array[int]]:
        """(document positions, integer impacts) of `term`; empty arrays for an unknown term."""
        docs = self._docs.get(term)
        if docs is None:
            return array("i"), array("i")
        return docs, self._impacts[term]

    # -- queries ----------------------------------------------------------------------------

    def query(self, text: str) -> TextQuery:
        counts = Counter(analyze(text))
        terms = tuple(sorted(counts))
        weights: list[int] = []
        bounds: list[int] = []
        norm = 0
        for term in terms:
            qtf = counts[term]
            weight = round((K3 + 1.0) * qtf / (K3 + qtf) * QUERY_SCALE)
            idf = self._idf.get(term)
            if idf is None:
                idf = _idf(self.n_docs, 0)
            weights.append(weight)
            norm += weight * round(idf * (K1 + 1.0) * IMPACT_SCALE)
            bounds.append(weight * self._max_impact.get(term, 0))
        half = max(1, norm // SATURATION)
        ids = tuple(self._term_ids.get(term, -1) for term in terms)
        return TextQuery(terms=terms, weights=tuple(weights), norm=norm, bounds=tuple(bounds), half=half, ids=ids)

    def doc_total(self, query: TextQuery, position: int) -> int:
        """Integer score of one document, looked up term by term (document-at-a-time)."""
        total = 0
        for term, weight in zip(query.terms, query.weights, strict=True):
            docs = self._docs.get(term)
            if docs is None:
                continue
            j = bisect_left(docs, position)
            if j < len(docs) and docs[j] == position:
                total += weight * self._impacts[term][j]
        return total

    def forward_totals(self, query: TextQuery, positions: Iterable[int]) -> list[int]:
        """Integer scores of the documents at `positions`, from the forward index (per document)."""
        weight_of = {i: w for i, w in zip(query.ids, query.weights, strict=True) if i >= 0}
        get = weight_of.get
        start, terms, impacts = self._fwd_start, self._fwd_terms, self._fwd_impacts
        out: list[int] = []
        for position in positions:
            a, b = start[position], start[position + 1]
            out.append(sum(map(mul, map(get, terms[a:b], repeat(0)), impacts[a:b])))
        return out

    def totals(self, query: TextQuery, terms: Sequence[int] | None = None) -> dict[int, int]:
        """Integer scores of every document that contains a query term (term-at-a-time).

        `terms` restricts the accumulation to those indexes into `query.terms`.
        """
        acc: dict[int, int] = {}
        get = acc.get
        selected = range(len(query.terms)) if terms is None else terms
        for j in selected:
            docs = self._docs.get(query.terms[j])
            if docs is None:
                continue
            weight = query.weights[j]
            for position, impact in zip(docs, self._impacts[query.terms[j]], strict=True):
                acc[position] = get(position, 0) + weight * impact
        return acc

    def accumulate(self, query: TextQuery, terms: Sequence[int]) -> tuple[list[int], set[int]]:
        """Like `totals`, into a list indexed by document position; also the positions touched."""
        acc = [0] * self.n_docs
        touched: set[int] = set()
        for j in terms:
            docs = self._docs.get(query.terms[j])
            if docs is None:
                continue
            touched.update(docs)
            weight = query.weights[j]
            for position, impact in zip(docs, self._impacts[query.terms[j]], strict=True):
                acc[position] += weight * impact
        return acc, touched

    def scores(self, text: str) -> dict[int, float]:
        """Normalised relevance in (0, 1] of every document that matches `text` at all."""
        query = self.query(text)
        return {position: query.value(total) for position, total in self.totals(query).items()}
