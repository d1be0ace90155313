"""The steering group's progress report as known on a date: per cluster and recommendation the
declared and suggested status, the last update and its justification, the indicators (latest
value vs target), the actions and what is blocked. Shared by the page, the printable page and
the xlsx download; the past is rebuilt from dated rows (updates, measurements, actions created
by then), so a report of a past date shows what was known on that date.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from helix.actors.models import Organisation
from helix.core.m2m_history import links_at
from helix.core.tabular import _xlsx_cell

from .choices import ProgressStatus
from .indicators import IndicatorState, states, suggest
from .models import Action, Indicator, ProgressUpdate, Recommendation
from .roadmap import RoadmapItem, roadmap


@dataclass
class ReportItem:
    item: RoadmapItem
    suggested: ProgressStatus | None
    indicators: list[IndicatorState]
    actions: list[Action]
    owners: list[Organisation]

    @property
    def recommendation(self) -> Recommendation:
        return self.item.recommendation

    @property
    def latest(self) -> ProgressUpdate | None:
        return self.item.latest


@dataclass
class ReportCluster:
    name: str
    slug: str
    items: list[ReportItem]


@dataclass
class Report:
    on: datetime.date
    clusters: list[ReportCluster]

    @property
    def items(self) -> list[ReportItem]:
        return [i for c in self.clusters for i in c.items]

    def counts(self) -> list[tuple[Any, int]]:
        found = dict.fromkeys(ProgressStatus, 0)
        missing = 0
        for i in self.items:
            if i.item.status is None:
                missing += 1
            else:
                found[i.item.status] += 1
        return [*((s.label, found[s]) for s in ProgressStatus), (_("No progress reported yet"), missing)]


def build_report(on: datetime.date | None = None) -> Report:
    """The report as known at the end of `on` (default: today)."""
    day = on or timezone.localdate()
    picture = roadmap(on=on)
    ids = [i.recommendation.pk for c in picture for i in c.items]
    recs = Recommendation.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("owners", queryset=Organisation.objects.live().order_by("name")),
        Prefetch(
            "actions",
            queryset=Action.objects.filter(created_at__date__lte=day).select_related("organisation"),
        ),
        Prefetch("indicators", queryset=Indicator.objects.order_by("slug")),
    )
    by_id = {r.pk: r for r in recs}
    owners_then = _owners_on(day, ids) if day < timezone.localdate() else None
    indicators = {i.pk: i for r in recs for i in r.indicators.all()}
    indicator_states = {s.indicator.pk: s for s in states(indicators.values(), on=day)}
    clusters = []
    for group in picture:
        items = []
        for item in group.items:
            rec = by_id[item.recommendation.pk]
            mine = [indicator_states[i.pk] for i in rec.indicators.all()]
            items.append(
                ReportItem(
                    item=item,
                    suggested=suggest(mine),
                    indicators=mine,
                    actions=list(rec.actions.all()),
                    owners=list(rec.owners.all()) if owners_then is None else owners_then[rec.pk],
                )
            )
        clusters.append(ReportCluster(group.cluster.name, group.cluster.slug, items))
    return Report(day, clusters)


def _owners_on(day: datetime.date, recommendation_ids: list[int]) -> dict[int, list[Organisation]]:
    """The owners of each recommendation at the end of `day`: today's owners with the owner
    changes recorded since undone (helix/core/m2m_history.py), live organisations by name."""
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    links = links_at(Recommendation, "owners", recommendation_ids, end - datetime.timedelta(microseconds=1))
    organisations = Organisation.objects.live().in_bulk({pk for pks in links.values() for pk in pks})
    return {
        rec: sorted((organisations[pk] for pk in pks if pk in organisations), key=lambda o: o.name) for rec, pks in links.items()
    }


def _label(status: ProgressStatus | None) -> str:
    return str(status.label) if status else ""


def _period(action: Action) -> str:
    start = action.starts_on.isoformat() if action.starts_on else "?"
    end = action.ends_on.isoformat() if action.ends_on else "?"
    return f"{start} / {end}"


def report_xlsx(report: Report) -> bytes:
    """Three sheets: recommendations, indicators, actions (header rows in bold)."""
    workbook = Workbook(write_only=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(title=title[:31])
        cells = []
        for text in header:
            cell = WriteOnlyCell(ws, value=text)
            cell.font = Font(bold=True)
            cells.append(cell)
        ws.append(cells)
        for row in rows:
            ws.append([_xlsx_cell(ws, v) for v in row])

    sheet(
        _("Recommendations"),
        [
            _("Cluster"),
            _("Number"),
            _("Recommendation"),
            _("Declared status"),
            _("Suggested status"),
            _("Last update"),
            _("Justification"),
            _("Reason for departing from the suggested status"),
            _("Evidence"),
            _("Owners"),
            _("Blocked by"),
        ],
        [
            [
                c.name,
                i.recommendation.number,
                i.recommendation.title,
                _label(i.item.status),
                _label(i.suggested),
                i.latest.as_of if i.latest else None,
                i.latest.justification if i.latest else "",
                i.latest.override_reason if i.latest else "",
                "\n".join(i.latest.evidence) if i.latest else "",
                ", ".join(str(o) for o in i.owners),
                ", ".join(str(r.number) for r in i.item.blocked_by),
            ]
            for c in report.clusters
            for i in c.items
        ],
    )
    sheet(
        _("Indicators"),
        [
            _("Number"),
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Baseline date"),
            _("Latest value"),
            _("Measured on"),
            _("Target"),
            _("Target date"),
            _("Suggested status"),
        ],
        [
            [
                i.recommendation.number,
                s.indicator.name,
                s.indicator.unit,
                s.indicator.baseline_value,
                s.indicator.baseline_date,
                s.latest.value if s.latest else None,
                s.latest.measured_on if s.latest else None,
                s.indicator.target_value,
                s.indicator.target_date,
                _label(s.suggested),
            ]
            for i in report.items
            for s in i.indicators
        ],
    )
    sheet(
        _("Actions"),
        [_("Number"), _("Action"), _("Period"), _("Owner")],
        [[i.recommendation.number, a.title, _period(a), str(a.organisation)] for i in report.items for a in i.actions],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
