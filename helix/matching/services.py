"""Use cases of the matching module. Funding finder: `find_funding`.

Reads only: nothing here writes, so no history context is needed. Pages (views.py), the API
(helix/api/funding_views.py) and exports all call `find_funding` and show its `ShownResult`s,
so they give the same ranking with the same reasons.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from helix.actors.choices import OrganisationKind
from helix.actors.models import Organisation
from helix.core.search import Fold

from .adapters import (
    FundingCatalogue,
    applicant_from_organisation,
    applicant_of_type,
    applicant_queryset,
    expand_domains,
    funding_catalogue,
)
from .engine.types import Applicant, FundingProfile, FundingResult
from .messages import ReasonRenderer

MAX_APPLICANTS = 20  # one lead and up to 19 partners: the study names a consortium of all 13 centre cities
MAX_LIMIT = 200
MAX_TEXT = 2000
MAX_BUDGET = 10**12  # one trillion euros: anything above is a typing error
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class ApplicantNotFound(ValueError):
    """A municipality or organisation that cannot be identified; `code` says why."""

    def __init__(self, code: str, value: str) -> None:
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value


def find_municipality(value: str) -> Organisation:
    """A live municipality by REFNIS code or slug; ApplicantNotFound("unknown_municipality") otherwise."""
    value = (value or "").strip()
    qs = applicant_queryset().filter(kind=OrganisationKind.MUNICIPALITY, archived_at__isnull=True)
    found = None
    if value.isdigit() and len(value) == 5:
        found = qs.filter(refnis=value).first()
    elif SLUG.match(value):
        found = qs.filter(slug=value).first()
    if found is None:
        raise ApplicantNotFound("unknown_municipality", value)
    return found


def find_organisation(value: str | int) -> Organisation:
    """A live organisation by id, slug or exact name (case and accents ignored).

    ApplicantNotFound with code "unknown_organisation" or "ambiguous_organisation" otherwise.
    """
    qs = applicant_queryset().filter(archived_at__isnull=True)
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10):
        found = qs.filter(pk=int(value)).first()
        if found is not None:
            return found
    text = str(value).strip()
    if SLUG.match(text):
        found = qs.filter(slug=text).first()
        if found is not None:
            return found
    if text:
        folded = Fold(Value(text))
        matches = list(qs.annotate(n=Fold("name"), n_nl=Fold("name_nl")).filter(Q(n=folded) | Q(n_nl=folded))[:2])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ApplicantNotFound("ambiguous_organisation", text)
    raise ApplicantNotFound("unknown_organisation", text)


@dataclass(frozen=True)
class ApplicantChoice:
    """One applicant as a person or API client gives it (already resolved from the registry).

    - `organisation`: a registered organisation (type, size and place from the registry);
    - `municipality` alone: that municipality applies;
    - `applicant_type` (+ optional `municipality`): an applicant of that type, located there.
    """

    organisation: Organisation | None = None
    municipality: Organisation | None = None
    applicant_type: str | None = None

    def applicant(self) -> Applicant:
        if self.organisation is not None:
            return applicant_from_organisation(self.organisation)
        if self.applicant_type:
            return applicant_of_type(self.applicant_type, municipality=self.municipality)
        if self.municipality is not None:
            return applicant_from_organisation(self.municipality)
        raise ValueError("An applicant needs an organisation, a municipality or an applicant type.")


@dataclass(frozen=True)
class ShownReason:
    criterion: str
    criterion_label: str
    outcome: str
    outcome_label: str
    code: str
    params: dict[str, str]
    detail: str


@dataclass
class ShownResult:
    id: int
    slug: str
    title: str
    url: str
    kind: str
    score: float
    verdict: str
    verdict_label: str
    reasons: list[ShownReason]
    support_for: list[int] = field(default_factory=list)
    supported_by: list[ShownResult] = field(default_factory=list)

    @property
    def ruled_out_by(self) -> list[ShownReason]:
        return [r for r in self.reasons if r.outcome == "unmet"]

    @property
    def is_support(self) -> bool:
        return self.kind == "matchmaking"


@dataclass
class FundingAnswer:
    profile: FundingProfile
    results: list[ShownResult]
    catalogue: FundingCatalogue

    def by_verdict(self, verdict: str, *, support: bool | None = None) -> list[ShownResult]:
        return [r for r in self.results if r.verdict == verdict and (support is None or r.is_support == support)]


def build_profile(
    *,
    applicants: Sequence[ApplicantChoice],
    domains: Iterable[str] = (),
    phase: str | None = None,
    budget: int | None = None,
    text: str = "",
    today: datetime.date | None = None,
    catalogue: FundingCatalogue,
) -> FundingProfile:
    return FundingProfile(
        applicants=tuple(choice.applicant() for choice in applicants),
        domains=expand_domains(domains, catalogue.domain_closure),
        phase=phase or None,
        budget=budget,
        text=(text or "")[:MAX_TEXT],
        today=today or timezone.localdate(),
    )


def present(results: Sequence[FundingResult], catalogue: FundingCatalogue) -> list[ShownResult]:
    """Engine results as the pages, exports and API show them (reasons rendered in the active language)."""
    renderer = ReasonRenderer(catalogue)
    language = (get_language() or "nl")[:2]
    # One reverse() for all results: the detail URL with a placeholder slug.
    url_pattern = reverse("instruments:instrument-detail", kwargs={"slug": "slug-placeholder"})
    shown: list[ShownResult] = []
    for result in results:
        profile = result.instrument
        shown.append(
            ShownResult(
                id=profile.id,
                slug=profile.slug,
                title=catalogue.title(profile.id, language),
                url=url_pattern.replace("slug-placeholder", profile.slug),
                kind=profile.kind,
                score=round(result.score, 4),
                verdict=str(result.verdict),
                verdict_label=renderer.verdict_labels.get(str(result.verdict), str(result.verdict)),
                reasons=[
                    ShownReason(
                        criterion=str(reason.criterion),
                        criterion_label=renderer.criterion_labels.get(str(reason.criterion), str(reason.criterion)),
                        outcome=str(reason.outcome),
                        outcome_label=renderer.outcome_labels.get(str(reason.outcome), str(reason.outcome)),
                        code=reason.code,
                        params=dict(reason.params),
                        detail=renderer.render(reason),
                    )
                    for reason in result.reasons
                ],
                support_for=list(result.support_for),
            )
        )
    by_id = {r.id: r for r in shown}
    for r in shown:
        for target in r.support_for:
            if target in by_id:
                by_id[target].supported_by.append(r)
    return shown


def find_funding(
    *,
    applicants: Sequence[ApplicantChoice],
    domains: Iterable[str] = (),
    phase: str | None = None,
    budget: int | None = None,
    text: str = "",
    include_ineligible: bool = False,
    limit: int | None = 50,
    ineligible_limit: int | None = None,
    today: datetime.date | None = None,
    catalogue: FundingCatalogue | None = None,
) -> FundingAnswer:
    """Rank the live instruments for a project profile, with a verdict and reasons for each.

    `applicants`: one (alone) or several (a consortium), at most MAX_APPLICANTS. `limit` caps
    the results (at most MAX_LIMIT); ineligible instruments are left out unless asked for. With
    `ineligible_limit` the not-eligible ones are counted apart: up to `limit` instruments that
    may fit, then up to `ineligible_limit` that do not (otherwise, with thousands of instruments,
    the fitting ones fill the limit and the page's "show what is not eligible" shows nothing).
    """
    if not applicants:
        raise ValueError("At least one applicant is needed.")
    if len(applicants) > MAX_APPLICANTS:
        raise ValueError(f"At most {MAX_APPLICANTS} applicants.")
    catalogue = catalogue or funding_catalogue()
    profile = build_profile(
        applicants=applicants, domains=domains, phase=phase, budget=budget, text=text, today=today, catalogue=catalogue
    )
    bounded = min(limit, MAX_LIMIT) if limit is not None else MAX_LIMIT
    index = catalogue.index
    if include_ineligible and ineligible_limit is not None:
        fitting = index.evaluate(profile, limit=bounded, include_ineligible=False)
        fit_count = len(fitting) if len(fitting) < bounded else len(index.evaluate(profile, include_ineligible=False))
        ranked = index.evaluate(profile, limit=fit_count + min(ineligible_limit, MAX_LIMIT), include_ineligible=True)
        results = [*fitting, *ranked[fit_count:]]
    else:
        results = index.evaluate(profile, limit=bounded, include_ineligible=include_ineligible)
    return FundingAnswer(profile=profile, results=present(results, catalogue), catalogue=catalogue)
