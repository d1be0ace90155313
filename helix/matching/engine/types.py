"""The matching engine's vocabulary: frozen dataclasses in, scored results with explanations out.

PURE PYTHON: nothing in `helix.matching.engine` imports Django (a test enforces it). The adapters
(`helix/matching/adapters.py`) are the only place where ORM objects become these types.

Codes are plain strings from the taxonomies (term codes such as "smart-mobility", "sme",
"pilot", "data-platform"), so the engine never needs the database. Human wording is not made
here: reasons carry a message `code` and `params`, and the Django side renders them in Dutch or
English (`helix/matching/messages.py`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    MET = "met"
    UNMET = "unmet"
    UNKNOWN = "unknown"


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    POSSIBLY_ELIGIBLE = "possibly_eligible"  # nothing rules it out, but data is missing
    NOT_ELIGIBLE = "not_eligible"


class FundingCriterion(StrEnum):
    """The criteria of the funding finder, in the order the reasons are shown."""

    APPLICANT_TYPE = "applicant_type"
    SIZE_CLASS = "size_class"
    TERRITORY = "territory"
    CONSORTIUM = "consortium"
    PHASE = "phase"
    DOMAIN = "domain"
    AMOUNT = "amount"
    COFINANCING = "cofinancing"
    DATES = "dates"
    TEXT = "text"


class MatchCriterion(StrEnum):
    """The signals of the marketplace matcher."""

    TEXT = "text"
    DOMAINS = "domains"
    SDGS = "sdgs"
    ROLES = "roles"  # value-chain roles needed vs offered (or complementary roles for partners)
    REFERENCES = "references"  # references in municipalities of a similar size
    MATURITY = "maturity"  # maturity vs phase sought
    PROXIMITY = "proximity"  # same province / region: a small signal, never a wall
    STARTUP_BOOST = "startup_boost"  # policy lever set by curators
    OPEN_STANDARDS_BOOST = "open_standards_boost"  # policy lever set by curators
    SHARED_CHALLENGES = "shared_challenges"  # municipality -> peers: the same roles asked of the market
    SIZE_CLASS = "size_class"  # municipality -> peers: similar size class


class MatchMode(StrEnum):
    """What the matcher looks for (see `helix.matching.engine.market`)."""

    NEED_OFFER = "need_offer"  # challenge -> solutions/organisations, and solution -> challenges
    COMPLEMENT = "complement"  # company -> complementary companies
    PEER = "peer"  # municipality -> peer municipalities


# --------------------------------------------------------------------------------------------
# Funding finder (M3)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """One applicant: a municipality, an organisation, or one member of a consortium.

    `applicant_types` are codes of the "applicant-types" scheme (municipality, intercommunale,
    other-local-government, regional-government, company, sme, start-up, knowledge-institution,
    non-profit, citizen). `areas` are the named areas the applicant lies in, as lower-case codes
    (its municipality REFNIS code, its province REFNIS code, its region REFNIS code, and named
    areas such as "kempen"); `size_class` is small/medium/large for municipalities.
    """

    applicant_types: frozenset[str]
    size_class: str | None = None
    areas: frozenset[str] = frozenset()
    organisation_id: int | None = None
    # False when `areas` are only the registered seat and the applicant may have establishments
    # elsewhere (companies, knowledge institutions): a territory it is not seated in is then
    # UNKNOWN, not UNMET.
    areas_complete: bool = True


@dataclass(frozen=True)
class FundingProfile:
    """What the person (or API client) tells the funding finder about their project."""

    applicants: tuple[Applicant, ...]  # one = alone; several = a consortium
    domains: frozenset[str] = frozenset()  # domain (or sub-topic) codes
    phase: str | None = None  # research | study | pilot | implementation | operation
    budget: int | None = None  # budget needed, whole euros
    text: str = ""  # free text, Dutch or English
    today: datetime.date = field(default_factory=datetime.date.today)

    @property
    def is_consortium(self) -> bool:
        return len(self.applicants) > 1


@dataclass(frozen=True)
class InstrumentProfile:
    """An instrument as the funding finder sees it. Empty sets mean "not stated" (see below)."""

    id: int
    slug: str
    title: str
    kind: str  # "financial" | "matchmaking"
    applicant_types: frozenset[str] = frozenset()  # empty: not stated -> UNKNOWN
    municipality_sizes: frozenset[str] = frozenset()  # empty: no restriction
    areas: frozenset[str] = frozenset()  # territorial restriction as area codes; empty: none
    restricted_to: frozenset[int] = frozenset()  # only these organisation ids may apply
    consortium_required: bool | None = None
    phases: frozenset[str] = frozenset()  # empty: not stated -> UNKNOWN
    domains: frozenset[str] = frozenset()  # empty: open to every domain
    amount_min: int | None = None
    amount_max: int | None = None
    cofinancing_rate: float | None = None  # percent of the cost the instrument pays
    opens_on: datetime.date | None = None
    closes_on: datetime.date | None = None
    text: str = ""  # title + descriptions + target groups, for text relevance
    supports: frozenset[int] = frozenset()  # ids of instruments this one helps with (e.g. a contact point)


@dataclass(frozen=True)
class Reason:
    """One line of a funding verdict: criterion, outcome, and a message code with parameters."""

    criterion: FundingCriterion
    outcome: Outcome
    code: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FundingResult:
    instrument: InstrumentProfile
    score: float
    verdict: Verdict
    reasons: tuple[Reason, ...]
    support_for: tuple[int, ...] = ()  # for matchmaking/support instruments shown beside money


# --------------------------------------------------------------------------------------------
# Marketplace matching (M5)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Anything the matcher ranks or ranks against: a challenge, a solution, an organisation.

    `kind` is "challenge", "solution" or "organisation". For a challenge, `roles` are the
    value-chain roles needed and `phase` the phase sought; for a solution or organisation,
    `roles` are the roles offered and `phase` the maturity. `references` are the size classes of
    the municipalities where it runs ("small", "medium", "large", repeated per reference);
    `size_class` is the municipality size (challenge owners, municipalities).
    """

    id: int
    kind: str
    title: str = ""
    text: str = ""
    domains: frozenset[str] = frozenset()
    sdgs: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    phase: str | None = None
    references: tuple[str, ...] = ()
    size_class: str | None = None
    areas: frozenset[str] = frozenset()  # province / region codes, for proximity
    organisation_id: int | None = None  # the owner (solutions) or the organisation itself
    is_startup: bool = False
    open_standards: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Weights:
    """Signal weights and policy levers. Curators set the two levers; the rest is tuned."""

    text: float = 0.30
    domains: float = 0.20
    sdgs: float = 0.05
    roles: float = 0.20
    references: float = 0.05
    maturity: float = 0.10
    proximity: float = 0.05
    startup_boost: float = 0.0
    open_standards_boost: float = 0.0
    shared_challenges: float = 0.20  # peer mode only
    size_class: float = 0.10  # peer mode only


@dataclass(frozen=True)
class Contribution:
    """One line of an explanation: criterion, weight, value in [0, 1], contribution = weight*value."""

    criterion: MatchCriterion
    weight: float
    value: float
    contribution: float


@dataclass(frozen=True)
class Match:
    party: Party
    score: float
    explanation: tuple[Contribution, ...]
