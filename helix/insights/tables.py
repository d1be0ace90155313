"""The shape every analysis shares: a table of numbers (each with the link to the records behind
it) and the chart drawn from that table.

The table is the source of truth: the page renders it as a real <table> (the screen-reader and
no-JavaScript alternative), the csv export writes it, and the chart's data are derived from it
(`chart_rows`), so chart, table and export never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise

from helix.core.tabular import Column, write_csv


def list_url(url_name: str, params: Mapping[str, Any] | Sequence[tuple[str, Any]] = (), **kwargs: Any) -> str:
    """The URL of a list page with its filter query parameters (the drill-down of a number)."""
    base = reverse(url_name, kwargs=kwargs or None)
    items = list(params.items()) if isinstance(params, Mapping) else list(params)
    return f"{base}?{urlencode(items, doseq=True)}" if items else base


@dataclass(frozen=True)
class Cell:
    """One number of a table and, when a list page can show exactly its records, their link."""

    value: int | float | None
    url: str = ""


@dataclass
class Row:
    label: str
    cells: dict[str, Cell]
    url: str = ""  # the row's own page (an organisation, a municipality), when it has one
    key: str = ""  # a stable code (term code, choice value, REFNIS) for exports and tests


@dataclass
class Table:
    """A table of one analysis. `columns` are the numeric columns as (key, label)."""

    key: str
    caption: str | Promise
    label_heading: str | Promise
    columns: list[tuple[str, str | Promise]]
    rows: list[Row] = field(default_factory=list)
    note: str | Promise = ""

    def column_labels(self) -> dict[str, str]:
        return {k: str(label) for k, label in self.columns}

    def grid(self) -> list[tuple[Row, list[Cell]]]:
        """Rows with their cells in column order (for templates)."""
        return [(row, [row.cells.get(k, Cell(None)) for k, _ in self.columns]) for row in self.rows]

    def csv(self) -> bytes:
        columns = [
            Column("key", "key", lambda r: r.key),
            Column("label", str(self.label_heading), lambda r: r.label),
            *(Column(k, str(label), _getter(k)) for k, label in self.columns),
        ]
        return write_csv(columns, self.rows)


def _getter(key: str) -> Any:
    def get(row: Row) -> Any:
        cell = row.cells.get(key)
        return None if cell is None else cell.value

    return get


def chart_rows(table: Table, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The table in long form for vega-lite: one datum per (row, column) with its drill-down URL."""
    labels = table.column_labels()
    keys = list(columns) if columns is not None else [k for k, _ in table.columns]
    data = []
    for order, row in enumerate(table.rows):
        for key in keys:
            cell = row.cells.get(key)
            if cell is None or cell.value is None:
                continue
            data.append(
                {
                    "label": row.label,
                    "series": labels[key],
                    "value": cell.value,
                    "url": cell.url or row.url,
                    "order": order,
                }
            )
    return data
