"""Link the publishers of harvested datasets to organisations of the registry.

In order: a curator's resolution (PublisherResolution); the publisher's URI or identifiers
(an organisation's external identifier of any scheme equal to the URI; an enterprise number
or OVO code found in the URI or in the publisher's identifier/notation); then the exact name,
compared case- and space-insensitively with name, Dutch name and alternative names. One
candidate = matched, more = ambiguous (a curator resolves it on the publishers page), none =
unmatched.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from helix.actors.choices import IdentifierScheme
from helix.actors.models import ExternalIdentifier, Organisation

from .models import PublisherMatch, PublisherResolution

_OVO = re.compile(r"\bOVO\d{6}\b", re.I)
_KBO = re.compile(r"(?<![\d.])([01]\d{3})[. ]?(\d{3})[. ]?(\d{3})(?![\d.])")


def fold_name(name: str) -> str:
    return " ".join(name.casefold().split())


def identifiers_in(text: str) -> set[tuple[str, str]]:
    """(scheme, value) pairs of OVO codes and enterprise numbers found in a URI or identifier."""
    found: set[tuple[str, str]] = set()
    for match in _OVO.findall(text or ""):
        found.add((IdentifierScheme.OVO, match.upper()))
    for a, b, c in _KBO.findall(text or ""):
        number = (a + b + c).zfill(10)
        found.add((IdentifierScheme.KBO, number))
    return found


@dataclass
class Match:
    status: str
    organisation_id: int | None
    candidates: tuple[int, ...] = ()


class PublisherMatcher:
    """Indexes of the registry, built once per run; results cached per publisher."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.by_identifier: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_value: dict[str, set[int]] = defaultdict(set)
        for org_id, name, name_nl, alternatives, enterprise in Organisation.objects.live().values_list(
            "id", "name", "name_nl", "alternative_names", "enterprise_number"
        ):
            for text in (name, name_nl, *(alternatives or [])):
                if text:
                    self.by_name[fold_name(text)].add(org_id)
            if enterprise:
                self.by_identifier[(IdentifierScheme.KBO, re.sub(r"\D", "", enterprise).zfill(10))].add(org_id)
        for org_id, scheme, value in ExternalIdentifier.objects.values_list("organisation_id", "scheme", "value"):
            self.by_value[value.strip()].add(org_id)
            if scheme == IdentifierScheme.KBO:
                self.by_identifier[(scheme, re.sub(r"\D", "", value).zfill(10))].add(org_id)
            elif scheme == IdentifierScheme.OVO:
                self.by_identifier[(scheme, value.strip().upper())].add(org_id)
        self.resolutions: dict[tuple[str, str], int | None] = {
            (uri, name): org
            for uri, name, org in PublisherResolution.objects.values_list("publisher_uri", "publisher_name", "organisation_id")
        }
        self._cache: dict[tuple[str, str, tuple[str, ...]], Match] = {}

    def match(self, uri: str, name: str, identifiers: Iterable[str] = ()) -> Match:
        key = (uri, name, tuple(sorted(identifiers)))
        if key not in self._cache:
            self._cache[key] = self._match(uri, name, key[2])
        return self._cache[key]

    def _match(self, uri: str, name: str, identifiers: tuple[str, ...]) -> Match:
        if not uri and not name:
            return Match(PublisherMatch.UNMATCHED, None)
        resolution_key = (uri, "") if uri else ("", name)
        if resolution_key in self.resolutions:
            return Match(PublisherMatch.RESOLVED, self.resolutions[resolution_key])
        candidates: set[int] = set()
        if uri:
            candidates |= self.by_value.get(uri.strip(), set())
        for text in (uri, *identifiers):
            for pair in identifiers_in(text):
                candidates |= self.by_identifier.get(pair, set())
            if text and text != uri:
                candidates |= self.by_value.get(text.strip(), set())
        if not candidates and name:
            candidates = set(self.by_name.get(fold_name(name), set()))
        if len(candidates) == 1:
            return Match(PublisherMatch.MATCHED, next(iter(candidates)), tuple(candidates))
        if candidates:
            return Match(PublisherMatch.AMBIGUOUS, None, tuple(sorted(candidates)))
        return Match(PublisherMatch.UNMATCHED, None)


def candidates_for(uri: str, name: str) -> list[Organisation]:
    """The registry organisations a publisher could be (for the resolution page)."""
    matcher = PublisherMatcher()
    matcher.resolutions = {}
    result = matcher.match(uri, name)
    return list(Organisation.objects.filter(pk__in=result.candidates).order_by("name"))
