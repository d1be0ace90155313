"""Periodic funding overviews per target group: what fits, what is open, what closes soon, what changed.

Read logic only; `services.generate_overviews` stores snapshots as `Overview` rows.

Who fits a target group:
- small / medium / large municipalities: instruments whose applicant types include
  "municipality" and whose size classes include the class, or that have no size restriction;
- consortia: instruments whose applicant types include "consortium", or that require a
  consortium.
Territory and "only for" restrictions are not applied: an overview is for a whole group; the
funding finder answers for one applicant.

A snapshot holds every fitting instrument that is not closed on its day (open, permanent or
upcoming), with its version, so two snapshots give what is new, changed and closed or removed.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helix.core.models import localized
from helix.instruments.choices import InstrumentKind, InstrumentStatus
from helix.instruments.models import Instrument

from .choices import OverviewPeriod, OverviewSection, TargetGroup

APPLICANT_SCHEME = "applicant-types"
MUNICIPALITY = "municipality"
CONSORTIUM = "consortium"
CHANGE_SECTIONS = (OverviewSection.NEW, OverviewSection.CHANGED, OverviewSection.REMOVED)
# Fields whose change an overview names ("closing date changed"); the version catches the rest.
COMPARED_FIELDS = ("title", "title_nl", "status", "opens_on", "closes_on")


def closing_days() -> int:
    return int(getattr(settings, "HELIX_OVERVIEW_CLOSING_DAYS", 60))


# --- Periods ------------------------------------------------------------------------------------


def period_bounds(day: datetime.date, period: str = OverviewPeriod.MONTHLY) -> tuple[datetime.date, datetime.date]:
    """The calendar month (or ISO week, Monday to Sunday) that contains `day`."""
    if period == OverviewPeriod.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if period != OverviewPeriod.MONTHLY:
        raise ValueError(f"Unknown overview period {period!r}")
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


# --- Which instruments fit ----------------------------------------------------------------------


def _with_applicant_type(code: str) -> Q:
    through = Instrument.applicant_types.through.objects.filter(term__scheme__slug=APPLICANT_SCHEME, term__code=code)
    return Q(pk__in=through.values("instrument_id"))


def group_condition(group: str) -> Q:
    if group == TargetGroup.CONSORTIUM:
        return _with_applicant_type(CONSORTIUM) | Q(consortium_required=True)
    if group not in TargetGroup.values:
        raise ValueError(f"Unknown target group {group!r}")
    # An instrument without a size restriction fits every size.
    return _with_applicant_type(MUNICIPALITY) & (Q(municipality_sizes=[]) | Q(municipality_sizes__contains=[group]))


def fitting_instruments(group: str, day: datetime.date) -> Any:
    """Live instruments of the group that are not closed on `day`, with their derived status."""
    return (
        Instrument.objects.live()  # type: ignore[attr-defined]
        .filter(group_condition(group))
        .with_status(day)
        .exclude(derived_status=InstrumentStatus.CLOSED)
        .select_related("offered_by")
        .order_by("closes_on", "title", "id")
    )


# --- Snapshots ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One instrument as a snapshot froze it."""

    id: int
    slug: str
    title: str
    title_nl: str
    kind: str
    version: int
    updated_at: str
    status: str
    opens_on: datetime.date | None
    closes_on: datetime.date | None
    offered_by_en: str = ""
    offered_by_nl: str = ""

    @classmethod
    def from_instrument(cls, ins: Any) -> Entry:
        offerer = ins.offered_by if ins.offered_by and ins.offered_by.archived_at is None else None
        return cls(
            id=ins.pk,
            slug=ins.slug,
            title=ins.title,
            title_nl=ins.title_nl,
            kind=ins.kind,
            version=ins.version,
            updated_at=ins.updated_at.isoformat(),
            status=str(getattr(ins, "derived_status", None) or ins.status),
            opens_on=ins.opens_on,
            closes_on=ins.closes_on,
            offered_by_en=offerer.name if offerer else "",
            offered_by_nl=offerer.name_nl if offerer else "",
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        def day(value: Any) -> datetime.date | None:
            return datetime.date.fromisoformat(value) if value else None

        return cls(
            id=int(data["id"]),
            slug=str(data.get("slug", "")),
            title=str(data.get("title", "")),
            title_nl=str(data.get("title_nl", "")),
            kind=str(data.get("kind", "")),
            version=int(data.get("version", 0)),
            updated_at=str(data.get("updated_at", "")),
            status=str(data.get("status", "")),
            opens_on=day(data.get("opens_on")),
            closes_on=day(data.get("closes_on")),
            offered_by_en=str(data.get("offered_by_en", "")),
            offered_by_nl=str(data.get("offered_by_nl", "")),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "title_nl": self.title_nl,
            "kind": self.kind,
            "version": self.version,
            "updated_at": self.updated_at,
            "status": self.status,
            "opens_on": self.opens_on.isoformat() if self.opens_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
            "offered_by_en": self.offered_by_en,
            "offered_by_nl": self.offered_by_nl,
        }

    @property
    def display_title(self) -> str:
        return localized(nl=self.title_nl, en=self.title)

    @property
    def offered_by(self) -> str:
        return localized(nl=self.offered_by_nl, en=self.offered_by_en)

    @property
    def status_label(self) -> str:
        try:
            return str(InstrumentStatus(self.status).label)
        except ValueError:
            return self.status

    @property
    def kind_label(self) -> str:
        try:
            return str(InstrumentKind(self.kind).label)
        except ValueError:
            return self.kind

    def get_absolute_url(self) -> str:
        return reverse("instruments:instrument-detail", kwargs={"slug": self.slug})


@dataclass
class Snapshot:
    group: str
    as_of: datetime.date
    closing_days: int
    entries: list[Entry]

    def to_json(self) -> dict[str, Any]:
        return {"closing_days": self.closing_days, "instruments": [e.to_json() for e in self.entries]}

    @classmethod
    def from_overview(cls, overview: Any) -> Snapshot:
        data = overview.snapshot or {}
        return cls(
            group=overview.target_group,
            as_of=overview.as_of,
            closing_days=int(data.get("closing_days", closing_days())),
            entries=[Entry.from_json(e) for e in data.get("instruments", [])],
        )

    @property
    def ids(self) -> set[int]:
        return {e.id for e in self.entries}

    def closes_soon(self, entry: Entry) -> bool:
        if entry.status != InstrumentStatus.OPEN or entry.closes_on is None:
            return False
        return self.as_of <= entry.closes_on <= self.as_of + datetime.timedelta(days=self.closing_days)


def build_snapshot(group: str, day: datetime.date) -> Snapshot:
    entries = [Entry.from_instrument(ins) for ins in fitting_instruments(group, day)]
    return Snapshot(group=group, as_of=day, closing_days=closing_days(), entries=entries)


# --- Differences between two snapshots ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any

    @property
    def label(self) -> str:
        labels = {
            "title": _("title"),
            "title_nl": _("Dutch title"),
            "status": _("status"),
            "opens_on": _("opens"),
            "closes_on": _("closes"),
            "version": _("other details"),
        }
        return str(labels.get(self.field, self.field))

    def text(self) -> str:
        if self.field == "version":
            return str(_("other details changed (version %(before)s → %(after)s)") % {"before": self.before, "after": self.after})
        before, after = self.before, self.after
        if self.field == "status":
            before, after = _status_label(before), _status_label(after)
        empty = "—"
        return f"{self.label}: {before or empty} → {after or empty}"


def _status_label(value: Any) -> str:
    try:
        return str(InstrumentStatus(value).label)
    except ValueError:
        return str(value or "")


@dataclass(frozen=True)
class Removal:
    entry: Entry
    reason: str  # closed | archived | no_longer_fits

    @property
    def reason_label(self) -> str:
        return str(
            {
                "closed": _("closed"),
                "archived": _("removed from the registry"),
                "no_longer_fits": _("no longer listed for this target group"),
            }.get(self.reason, self.reason)
        )


@dataclass
class Diff:
    new: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, list[Change]]] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.new or self.changed or self.removed)


def changes_between(before: Entry, after: Entry) -> list[Change]:
    changes = [
        Change(name, getattr(before, name), getattr(after, name))
        for name in COMPARED_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    if not changes and before.version != after.version:
        changes.append(Change("version", before.version, after.version))
    return changes


def diff(previous: Snapshot, current: Snapshot) -> Diff:
    """New, changed (other version or dates/status/title) and closed or removed instruments."""
    before = {e.id: e for e in previous.entries}
    after = {e.id: e for e in current.entries}
    result = Diff()
    result.new = [e for e in current.entries if e.id not in before]
    for entry in current.entries:
        old = before.get(entry.id)
        if old is not None:
            changes = changes_between(old, entry)
            if changes:
                result.changed.append((entry, changes))
    gone = [e for e in previous.entries if e.id not in after]
    if gone:
        now = {
            row["id"]: row
            for row in Instrument.objects.filter(pk__in=[e.id for e in gone]).values("id", "archived_at", "closes_on")
        }
        for entry in gone:
            row = now.get(entry.id)
            if row is None or row["archived_at"] is not None:
                reason = "archived"
            elif row["closes_on"] is not None and row["closes_on"] < current.as_of:
                reason = "closed"
            else:
                reason = "no_longer_fits"
            result.removed.append(Removal(entry, reason))
    return result


# --- Sections for pages and exports -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of an overview export (helix.core.tabular columns read these attributes)."""

    section: str
    section_label: str
    entry: Entry
    change: str = ""
    linked: bool = True  # False for an instrument removed from the registry (its page is gone)

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def title(self) -> str:
        return self.entry.display_title

    @property
    def offered_by(self) -> str:
        return self.entry.offered_by

    @property
    def kind(self) -> str:
        return self.entry.kind_label

    @property
    def status(self) -> str:
        return self.entry.status_label

    @property
    def opens_on(self) -> datetime.date | None:
        return self.entry.opens_on

    @property
    def closes_on(self) -> datetime.date | None:
        return self.entry.closes_on


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    rows: list[Row]


def sections(snapshot: Snapshot, changes: Diff | None) -> list[Section]:
    """The overview in reading order: what changed, what closes soon, open, upcoming, matchmaking."""

    def rows(key: str, entries: Iterable[Entry], notes: Sequence[str] | None = None, unlinked: set[int] | None = None) -> Section:
        label = str(OverviewSection(key).label)
        listed = list(entries)
        texts = list(notes) if notes is not None else [""] * len(listed)
        gone = unlinked or set()
        return Section(key, label, [Row(key, label, e, t, e.id not in gone) for e, t in zip(listed, texts, strict=True)])

    result: list[Section] = []
    if changes is not None:
        result.append(rows(OverviewSection.NEW, changes.new))
        result.append(
            rows(
                OverviewSection.CHANGED,
                [e for e, _c in changes.changed],
                ["; ".join(c.text() for c in cs) for _e, cs in changes.changed],
            )
        )
        result.append(
            rows(
                OverviewSection.REMOVED,
                [r.entry for r in changes.removed],
                [r.reason_label for r in changes.removed],
                unlinked={r.entry.id for r in changes.removed if r.reason == "archived"},
            )
        )
    financial = [e for e in snapshot.entries if e.kind != InstrumentKind.MATCHMAKING]
    soon = [e for e in financial if snapshot.closes_soon(e)]
    soon_ids = {e.id for e in soon}
    opened = [e for e in financial if e.status in (InstrumentStatus.OPEN, InstrumentStatus.PERMANENT) and e.id not in soon_ids]
    upcoming = [e for e in financial if e.status == InstrumentStatus.UPCOMING]
    matchmaking = [e for e in snapshot.entries if e.kind == InstrumentKind.MATCHMAKING]
    by_date = lambda e: (e.closes_on or datetime.date.max, e.display_title.lower(), e.id)  # noqa: E731
    result.append(rows(OverviewSection.CLOSING_SOON, sorted(soon, key=by_date)))
    result.append(rows(OverviewSection.OPEN, sorted(opened, key=by_date)))
    result.append(
        rows(OverviewSection.UPCOMING, sorted(upcoming, key=lambda e: (e.opens_on or datetime.date.max, e.display_title.lower())))
    )
    result.append(rows(OverviewSection.MATCHMAKING, sorted(matchmaking, key=lambda e: e.display_title.lower())))
    return result


# --- What a page shows --------------------------------------------------------------------------


@dataclass
class OverviewView:
    """The latest stored overview of a group with its differences from the one before, or, when
    none is stored yet, a live overview computed now (`live`)."""

    group: str
    snapshot: Snapshot
    overview: Any = None
    previous: Any = None
    changes: Diff | None = None

    @property
    def live(self) -> bool:
        return self.overview is None

    @cached_property
    def sections(self) -> list[Section]:
        return sections(self.snapshot, self.changes)

    @property
    def change_sections(self) -> list[Section]:
        return [s for s in self.sections if s.key in CHANGE_SECTIONS]

    @property
    def status_sections(self) -> list[Section]:
        return [s for s in self.sections if s.key not in CHANGE_SECTIONS]

    @property
    def group_label(self) -> str:
        return str(TargetGroup(self.group).label)


def latest_overview(group: str, *, today: datetime.date | None = None) -> OverviewView:
    from django.utils import timezone

    from .models import Overview

    stored = list(Overview.objects.filter(target_group=group).order_by("-period_start", "-generated_at")[:2])
    if not stored:
        return OverviewView(group=group, snapshot=build_snapshot(group, today or timezone.localdate()))
    current = Snapshot.from_overview(stored[0])
    previous = stored[1] if len(stored) > 1 else None
    changes = diff(Snapshot.from_overview(previous), current) if previous is not None else None
    return OverviewView(group=group, snapshot=current, overview=stored[0], previous=previous, changes=changes)
