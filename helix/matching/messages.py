"""The funding finder's reasons in Dutch or English.

The engine gives every reason a message `code` and `params` (helix.matching.engine.messages holds
the English reference sentences). `REASON_MESSAGES` repeats each sentence through gettext_lazy,
with the same placeholders, so `make messages` collects them for translation; a test checks
that every engine code has an entry here with the same placeholders.

`render_reason` fills the placeholders with readable values: taxonomy codes become their labels
in the active language (applicant types, phases, domains, size classes), area codes become place
names, amounts become euros and ISO dates become dates.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .engine.types import Reason

if TYPE_CHECKING:
    from .adapters import FundingCatalogue

REASON_MESSAGES: dict[str, Promise] = {
    # applicant type
    "applicant_type.met": _("Open to {types}."),
    "applicant_type.met_consortium": _("Open to consortia, and you apply as one."),
    "applicant_type.unmet": _("Open only to {accepted}; you apply as {yours}."),
    "applicant_type.unknown": _("The instrument does not say who may apply."),
    # municipality size class
    "size_class.no_restriction": _("Open to municipalities of every size."),
    "size_class.not_applicable": _("Only {sizes} municipalities are limited by size; you do not apply as a municipality."),
    "size_class.met": _("Open to {size} municipalities."),
    "size_class.unmet": _("Only for {sizes} municipalities; yours is {size}."),
    "size_class.unknown": _("Only for {sizes} municipalities; your size class is not known."),
    # territory and named beneficiaries
    "territory.no_restriction": _("No territorial restriction."),
    "territory.met": _("Open in {areas}, where you are."),
    "territory.unmet": _("Only for applicants in {areas}."),
    "territory.restricted_met": _("Reserved for named organisations, and yours is one of them."),
    "territory.restricted_unmet": _("Reserved for named organisations; yours is not one of them."),
    "territory.unknown": _("Only for applicants in {areas}; where you are is not known."),
    "territory.establishment_unknown": _(
        "Only for applicants in {areas}; your registered seat is elsewhere, so check whether an establishment there counts."
    ),
    "territory.restricted_unknown": _("Reserved for named organisations; it is not known whether yours is one of them."),
    # consortium requirement
    "consortium.required_met": _("A consortium is required, and you apply as one."),
    "consortium.required_unmet": _("A consortium is required; you apply alone."),
    "consortium.not_required": _("No consortium is required."),
    "consortium.not_stated": _("The instrument does not say whether a consortium is required."),
    # phase
    "phase.met": _("Funds the {phase} phase."),
    "phase.unmet": _("Funds only {phases}; your project is in the {phase} phase."),
    "phase.unknown_instrument": _("The instrument does not say which phases it funds."),
    "phase.unknown_profile": _("The phase of your project is not known; the instrument funds {phases}."),
    # domain
    "domain.open": _("Open to all domains."),
    "domain.met": _("Covers {domains}."),
    "domain.unmet": _("Covers only {domains}."),
    "domain.unknown": _("The domains of your project are not known; the instrument covers {domains}."),
    # amount range
    "amount.no_range": _("No amount range is stated."),
    "amount.within": _("Your budget of {budget} is within the range of {minimum} to {maximum}."),
    "amount.at_least": _("Your budget of {budget} reaches the minimum of {minimum}."),
    "amount.at_most": _("Your budget of {budget} is within the maximum of {maximum}."),
    "amount.above_maximum": _("The instrument covers at most {maximum} of your budget of {budget}."),
    "amount.below_minimum": _("Your budget of {budget} is below the minimum of {minimum}."),
    "amount.up_to": _("The instrument covers up to {maximum}."),
    "amount.unknown": _("Your budget is not known; the instrument requires at least {minimum}."),
    # co-financing
    "cofinancing.rate": _("The instrument pays up to {rate}% of the cost; you fund the rest."),
    "cofinancing.full": _("The instrument can pay the full cost."),
    "cofinancing.unknown": _("The co-financing rate is not stated."),
    # open or closed by date
    "dates.closed": _("Closed on {date}."),
    "dates.upcoming": _("Opens on {date}."),
    "dates.closes_soon": _("Open; closes soon, on {date}."),
    "dates.open_until": _("Open until {date}."),
    "dates.permanent": _("Permanent: no deadline stated."),
    # text relevance
    "text.match": _("Your description matches the instrument's text (relevance {relevance})."),
    "text.no_match": _("Your description does not match the instrument's text."),
    "text.no_text": _("You gave no description to compare."),
}

# Criterion names as shown beside each reason.
CRITERION_LABELS: dict[str, Promise] = {
    "applicant_type": _("Who may apply"),
    "size_class": _("Municipality size"),
    "territory": _("Territory"),
    "consortium": _("Consortium"),
    "phase": _("Phase"),
    "domain": _("Domain"),
    "amount": _("Amount"),
    "cofinancing": _("Co-financing"),
    "dates": _("Open or closed"),
    "text": _("Text relevance"),
}

OUTCOME_LABELS: dict[str, Promise] = {"met": _("Met"), "unmet": _("Not met"), "unknown": _("Unknown")}
VERDICT_LABELS: dict[str, Promise] = {
    "eligible": _("Eligible"),
    "possibly_eligible": _("Possibly eligible (data missing)"),
    "not_eligible": _("Not eligible"),
}


SIZE_ADJECTIVES: dict[str, Promise] = {"small": _("small"), "medium": _("medium-sized"), "large": _("large")}


def placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _codes(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


# Words that keep their capital inside a sentence (proper adjectives).
PROPER_WORDS = frozenset({"Flemish", "Vlaamse", "Vlaams", "European", "Europese", "Belgian", "Belgische", "Brussels"})


def lower_first(label: str) -> str:
    """A label inside a sentence: "City or municipality" -> "city or municipality"; "SME" and
    "Flemish or federal government" keep their capitals."""
    if len(label) < 2 or not label[1].islower() or label.split(" ", 1)[0] in PROPER_WORDS:
        return label
    return label[0].lower() + label[1:]


def _join(labels: list[str]) -> str:
    return ", ".join(labels)


def _money(value: str) -> str:
    try:
        amount = int(value)
    except ValueError:
        return value
    return "€ " + formats.number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)


def _date(value: str) -> str:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return value
    return str(formats.date_format(day, "DATE_FORMAT"))


def _number(value: str) -> str:
    try:
        return str(formats.number_format(float(value), decimal_pos=2 if "." in value else 0, use_l10n=True))
    except ValueError:
        return value


class ReasonRenderer:
    """Renders reasons in the active language with the labels of one catalogue."""

    def __init__(self, catalogue: FundingCatalogue) -> None:
        self.catalogue = catalogue
        self.language = (get_language() or "nl")[:2]
        # Translations resolved once per renderer (gettext per reason costs more than the engine).
        self.templates = {code: str(template) for code, template in REASON_MESSAGES.items()}
        self.criterion_labels = {code: str(label) for code, label in CRITERION_LABELS.items()}
        self.outcome_labels = {code: str(label) for code, label in OUTCOME_LABELS.items()}
        self.verdict_labels = {code: str(label) for code, label in VERDICT_LABELS.items()}
        self.sizes = {code: str(label) for code, label in SIZE_ADJECTIVES.items()}
        self.formatters: dict[str, Callable[[str], str]] = {
            "types": self._types,
            "accepted": self._types,
            "yours": self._types,
            "sizes": self._sizes,
            "size": self._sizes,
            "areas": self._areas,
            "phase": self._phases,
            "phases": self._phases,
            "domains": self._domains,
            "budget": _money,
            "minimum": _money,
            "maximum": _money,
            "date": _date,
            "rate": _number,
            "relevance": _number,
        }

    def _label(self, scheme: str, code: str) -> str:
        labels = self.catalogue.labels.get((scheme, code))
        if labels is None:
            return code
        return labels[0] if self.language == "nl" else labels[1]

    def _types(self, value: str) -> str:
        return _join([lower_first(self._label("applicant-types", c)) for c in _codes(value)])

    def _phases(self, value: str) -> str:
        return _join([lower_first(self._label("phases", c)) for c in _codes(value)])

    def _domains(self, value: str) -> str:
        codes = _codes(value)
        # A domain with its sub-topics reads as the domain alone.
        broader = self.catalogue.broader_domain
        shown = [c for c in codes if broader.get(c) not in codes]
        return _join([self._label("domains", c) for c in shown])

    def _sizes(self, value: str) -> str:
        return _join([self.sizes.get(code, code) for code in _codes(value)])

    def _areas(self, value: str) -> str:
        labels = []
        for code in _codes(value):
            names = self.catalogue.area_labels.get(code)
            labels.append((names[0] if self.language == "nl" else names[1]) if names else code.upper())
        return _join(labels)

    def params(self, params: tuple[tuple[str, str], ...]) -> dict[str, str]:
        return {name: self.formatters.get(name, str)(value) for name, value in params}

    def render(self, reason: Reason) -> str:
        return render_message(reason.code, self.params(reason.params), self.templates.get(reason.code))


def render_message(code: str, params: Mapping[str, str], template: str | None = None) -> str:
    """The translated sentence of a message code; unknown codes fall back to the engine's English."""
    from .engine.messages import MESSAGES

    if template is None:
        lazy = REASON_MESSAGES.get(code)
        template = str(lazy) if lazy is not None else None
    text = template if template is not None else MESSAGES.get(code, code)
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return MESSAGES.get(code, code).format_map(_Missing(params))


class _Missing(dict[str, str]):
    def __init__(self, params: Mapping[str, str]) -> None:
        super().__init__(params)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
