"""Tim Berners-Lee's 5-star open data rating, with the reason for each star.

Star labels and definitions come from the EDP 5-star concept scheme
(pv:OpenData5Star); format openness from CKAN's QA table and the EDP
machine-readable / non-proprietary lists. The rating of a dataset is that of
its best distribution. A star counts only when all stars below it count.

1. on the web with an open licence: an access or download URL given as a
   link and not known to be broken, and a licence from the EU licence
   vocabulary (no openness list is part of the spec files, so a recognised
   licence stands for an open one);
2. structured, machine-readable: the format is on the EDP machine-readable
   list or CKAN gives it 2 or more;
3. non-proprietary: the format is on the EDP non-proprietary list (and
   machine-readable) or CKAN gives it 3 or more;
4. URIs to denote things: an RDF format (CKAN gives it 4 or more);
5. linked to other data: the record links to resources elsewhere
   (dct:relation, dct:source, owl:sameAs, rdfs:seeAlso ...). The data
   themselves are not read, so this is the metadata's word for it.
"""

from __future__ import annotations

from . import formats
from .types import DatasetFacts, DistributionFacts, StarRating, StarReason
from .vocab import LICENCE, Spec, load_spec

WHY = {
    "web_ok": "Available at {url} under {licence}.",
    "no_url": "No access or download URL is given as a link.",
    "broken": "The link answered HTTP {status}.",
    "no_licence": "No licence is given.",
    "unknown_licence": "The licence ({value}) is not from the EU licence vocabulary.",
    "machine_readable": "{code} is machine-readable.",
    "not_machine_readable": "The format ({value}) is not machine-readable.",
    "non_proprietary": "{code} is an open, non-proprietary format.",
    "proprietary": "The format ({value}) is proprietary or unknown.",
    "rdf": "{code} is an RDF format: things are named by URIs.",
    "not_rdf": "The format ({value}) is not RDF.",
    "linked": "The record links to {count} other resource(s), e.g. {first}.",
    "not_linked": "The record does not link to other resources.",
    "needs_lower": "Requires the stars below.",
}


def _fmt(d: DistributionFacts) -> str:
    """A short name of the distribution's format for the reasons (the file-type code first)."""
    return formats.short_name(d.format, d.format_original, d.media_type, d.media_type_original)


def _reasons(spec: Spec, f: DatasetFacts, d: DistributionFacts) -> list[tuple[bool, str, dict[str, str]]]:
    out: list[tuple[bool, str, dict[str, str]]] = []
    # star 1
    url = d.download_urls[0] if d.download_urls else (d.access_url if d.access_url_is_iri else "")
    status = d.download_url_status if d.download_urls else d.access_url_status
    if not url:
        out.append((False, "no_url", {}))
    elif status is not None and not (200 <= status < 400):
        out.append((False, "broken", {"status": str(status)}))
    elif not (d.licence or d.licence_original):
        out.append((False, "no_licence", {}))
    elif not d.licence.startswith(LICENCE):
        out.append((False, "unknown_licence", {"value": d.licence_original or d.licence}))
    else:
        out.append((True, "web_ok", {"url": url, "licence": d.licence[len(LICENCE) :]}))
    score, code = formats.openness(spec, d.format, d.media_type)
    mr = formats.in_list(spec.machine_readable, d.format, d.media_type)
    npr = formats.in_list(spec.non_proprietary, d.format, d.media_type)
    # star 2
    if mr or score >= 2:
        out.append((True, "machine_readable", {"code": mr or code}))
    else:
        out.append((False, "not_machine_readable", {"value": _fmt(d)}))
    # star 3
    if (npr and (mr or score >= 2)) or score >= 3:
        out.append((True, "non_proprietary", {"code": npr or code}))
    else:
        out.append((False, "proprietary", {"value": _fmt(d)}))
    # star 4
    if score >= 4:
        out.append((True, "rdf", {"code": code}))
    else:
        out.append((False, "not_rdf", {"value": _fmt(d)}))
    # star 5
    if f.links:
        out.append((True, "linked", {"count": str(len(f.links)), "first": f.links[0]}))
    else:
        out.append((False, "not_linked", {}))
    return out


def rate(facts: DatasetFacts, spec: Spec | None = None) -> StarRating:
    spec = spec or load_spec()
    dists = facts.distributions or (DistributionFacts(),)
    best: StarRating | None = None
    for i, d in enumerate(dists):
        stars = 0
        reasons = []
        for n, (own, code, params) in enumerate(_reasons(spec, facts, d), start=1):
            met = own and stars == n - 1
            if met:
                stars = n
            why = WHY[code].format(**params)
            if own and not met:
                why = f"{why} {WHY['needs_lower']}"
            reasons.append(
                StarReason(
                    star=n,
                    met=met,
                    label=spec.star_labels[n],
                    why=why,
                    definition=spec.star_definitions[n],
                    why_code=code if met or not own else f"{code}+needs_lower",
                    params=params,
                )
            )
        rating = StarRating(stars=stars, reasons=tuple(reasons), distribution_index=i if facts.distributions else None)
        if best is None or rating.stars > best.stars:
            best = rating
    assert best is not None
    return best
