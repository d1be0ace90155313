"""Every message code the funding finder emits, with its English sentence.

PURE PYTHON (no Django). A `Reason` carries a `code` and `params` (pairs of strings); this table
is the reference wording, with `str.format` placeholders named after the params. The Django side
(`helix/matching/messages.py`) translates these sentences and renders them in Dutch or English.

Parameter conventions: codes of taxonomies (applicant types, size classes, areas, phases,
domains) are given as comma-separated lists (`"company,sme"`) so the Django side can replace each
code by its label; dates are ISO dates (`"2026-03-31"`); amounts are whole euros (`"250000"`);
rates are percentages (`"40"`); relevance is a number in [0, 1] with two decimals (`"0.42"`).
"""

from __future__ import annotations

__all__ = ["MESSAGES", "render_english"]

MESSAGES: dict[str, str] = {
    # applicant type (hard)
    "applicant_type.met": "Open to {types}.",
    "applicant_type.met_consortium": "Open to consortia, and you apply as one.",
    "applicant_type.unmet": "Open only to {accepted}; you apply as {yours}.",
    "applicant_type.unknown": "The instrument does not say who may apply.",
    # municipality size class (hard)
    "size_class.no_restriction": "Open to municipalities of every size.",
    "size_class.not_applicable": "Only {sizes} municipalities are limited by size; you do not apply as a municipality.",
    "size_class.met": "Open to {size} municipalities.",
    "size_class.unmet": "Only for {sizes} municipalities; yours is {size}.",
    "size_class.unknown": "Only for {sizes} municipalities; your size class is not known.",
    # territory and named beneficiaries (hard)
    "territory.no_restriction": "No territorial restriction.",
    "territory.met": "Open in {areas}, where you are.",
    "territory.unmet": "Only for applicants in {areas}.",
    "territory.unknown": "Only for applicants in {areas}; where you are is not known.",
    "territory.establishment_unknown": (
        "Only for applicants in {areas}; your registered seat is elsewhere, so check whether an establishment there counts."
    ),
    "territory.restricted_met": "Reserved for named organisations, and yours is one of them.",
    "territory.restricted_unmet": "Reserved for named organisations; yours is not one of them.",
    "territory.restricted_unknown": "Reserved for named organisations; it is not known whether yours is one of them.",
    # consortium requirement (hard)
    "consortium.required_met": "A consortium is required, and you apply as one.",
    "consortium.required_unmet": "A consortium is required; you apply alone.",
    "consortium.not_required": "No consortium is required.",
    "consortium.not_stated": "The instrument does not say whether a consortium is required.",
    # phase (hard)
    "phase.met": "Funds the {phase} phase.",
    "phase.unmet": "Funds only {phases}; your project is in the {phase} phase.",
    "phase.unknown_instrument": "The instrument does not say which phases it funds.",
    "phase.unknown_profile": "The phase of your project is not known; the instrument funds {phases}.",
    # domain (hard)
    "domain.open": "Open to all domains.",
    "domain.met": "Covers {domains}.",
    "domain.unmet": "Covers only {domains}.",
    "domain.unknown": "The domains of your project are not known; the instrument covers {domains}.",
    # amount range (hard only when the budget is below the minimum)
    "amount.no_range": "No amount range is stated.",
    "amount.within": "Your budget of {budget} is within the range of {minimum} to {maximum}.",
    "amount.at_least": "Your budget of {budget} reaches the minimum of {minimum}.",
    "amount.at_most": "Your budget of {budget} is within the maximum of {maximum}.",
    "amount.above_maximum": "The instrument covers at most {maximum} of your budget of {budget}.",
    "amount.below_minimum": "Your budget of {budget} is below the minimum of {minimum}.",
    "amount.up_to": "The instrument covers up to {maximum}.",
    "amount.unknown": "Your budget is not known; the instrument requires at least {minimum}.",
    # co-financing (informative, soft)
    "cofinancing.rate": "The instrument pays up to {rate}% of the cost; you fund the rest.",
    "cofinancing.full": "The instrument can pay the full cost.",
    "cofinancing.unknown": "The co-financing rate is not stated.",
    # open or closed by date (hard when closed)
    "dates.closed": "Closed on {date}.",
    "dates.upcoming": "Opens on {date}.",
    "dates.closes_soon": "Open; closes soon, on {date}.",
    "dates.open_until": "Open until {date}.",
    "dates.permanent": "Permanent: no deadline stated.",
    # text relevance (soft)
    "text.match": "Your description matches the instrument's text (relevance {relevance}).",
    "text.no_match": "Your description does not match the instrument's text.",
    "text.no_text": "You gave no description to compare.",
}


def render_english(code: str, params: tuple[tuple[str, str], ...]) -> str:
    """The English sentence of a reason (reference rendering; the site renders translated ones)."""
    return MESSAGES[code].format(**dict(params))
