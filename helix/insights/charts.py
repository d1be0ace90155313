"""Vega-lite specifications drawn from an analysis table (helix.insights.tables.chart_rows).

Each datum carries the URL of the list page behind it; static/insights/insights.js follows it on
click. Marks are bars, lines and a heat map: the charts the study itself used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .tables import Table, chart_rows

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier: nothing is fetched
COUNT_AXIS = {"axis": {"tickMinStep": 1, "format": "d"}}  # counts: no ticks at 0.5
PALETTE = ["#1f5f8b", "#d9822b", "#3f8f5b", "#8b3f6f", "#6b6b6b"]


def _base(table: Table, description: str, data: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": description or str(table.caption),
        "data": {"values": data},
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 260}, "range": {"category": PALETTE}},
    }


def _tooltip(value_title: str) -> list[dict[str, Any]]:
    return [
        {"field": "label", "type": "nominal", "title": " "},
        {"field": "series", "type": "nominal", "title": "  "},
        {"field": "value", "type": "quantitative", "title": value_title},
    ]


def bar(
    table: Table,
    columns: Sequence[str] | None = None,
    *,
    value_title: str = "",
    description: str = "",
    limit: int | None = None,
    counts: bool = True,
    stacked: bool = False,
) -> dict[str, Any]:
    """Horizontal bars in the table's order; several columns become grouped (or stacked) bars
    with a legend."""
    keys = list(columns) if columns is not None else [k for k, _ in table.columns]
    data = chart_rows(table, keys)
    if limit is not None:
        data = [d for d in data if d["order"] < limit]
    spec = _base(table, description, data)
    rows = len({d["label"] for d in data}) or 1
    grouped = len(keys) > 1
    # With an offset channel the step is that of one bar of a group.
    spec["height"] = {"step": 10 if grouped and not stacked else 20}
    encoding: dict[str, Any] = {
        "y": {"field": "label", "type": "nominal", "sort": {"field": "order", "op": "min"}, "title": None},
        "x": {"field": "value", "type": "quantitative", "title": value_title or None, **(COUNT_AXIS if counts else {})},
        "tooltip": _tooltip(value_title),
    }
    if grouped:
        if not stacked:
            encoding["yOffset"] = {"field": "series", "sort": [str(label) for k, label in table.columns if k in keys]}
        encoding["color"] = {
            "field": "series",
            "type": "nominal",
            "sort": [str(label) for k, label in table.columns if k in keys],
            "legend": {"orient": "top", "title": None},
        }
    else:
        encoding["color"] = {"value": PALETTE[0]}
    spec["mark"] = {"type": "bar", "cursor": "pointer", "tooltip": True}
    spec["encoding"] = encoding
    spec["usermeta"] = {"rows": rows}
    return spec


def growth(table: Table, *, description: str = "") -> dict[str, Any]:
    """Founding years: a bar per year (new) and the cumulative line, on two scales."""
    labels = table.column_labels()
    data = chart_rows(table)
    spec = _base(table, description, data)
    spec["height"] = 260
    x = {
        "field": "label",
        "type": "ordinal",
        "sort": {"field": "order", "op": "min"},
        "title": str(table.label_heading),
        "axis": {"labelAngle": -45},
    }
    spec["layer"] = [
        {
            "transform": [{"filter": {"field": "series", "equal": labels["founded"]}}],
            "mark": {"type": "bar", "cursor": "pointer", "color": PALETTE[0]},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": labels["founded"], **COUNT_AXIS},
                "tooltip": _tooltip(""),
            },
        },
        {
            "transform": [{"filter": {"field": "series", "equal": labels["cumulative"]}}],
            "mark": {"type": "line", "point": {"cursor": "pointer"}, "color": PALETTE[1]},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": labels["cumulative"], **COUNT_AXIS},
                "tooltip": _tooltip(""),
            },
        },
    ]
    spec["resolve"] = {"scale": {"y": "independent"}}
    return spec


def heatmap(table: Table, columns: Sequence[str], *, description: str = "") -> dict[str, Any]:
    """Rows by columns as coloured squares with their number (policy level by direct/indirect)."""
    data = chart_rows(table, columns)
    high = max((d["value"] for d in data), default=0) / 2
    spec = _base(table, description, data)
    spec["height"] = {"step": 34}
    spec["width"] = {"step": 80}
    spec["autosize"] = {"type": "pad"}
    encoding = {
        "y": {"field": "label", "type": "nominal", "sort": {"field": "order", "op": "min"}, "title": None},
        "x": {
            "field": "series",
            "type": "nominal",
            "sort": [str(label) for k, label in table.columns if k in columns],
            "title": None,
            "axis": {"orient": "top", "labelAngle": 0},
        },
    }
    spec["encoding"] = encoding
    spec["layer"] = [
        {
            "mark": {"type": "rect", "cursor": "pointer"},
            "encoding": {
                "color": {"field": "value", "type": "quantitative", "scale": {"scheme": "blues"}, "legend": None},
                "tooltip": _tooltip(""),
            },
        },
        {
            "mark": {"type": "text", "cursor": "pointer"},
            "encoding": {
                "text": {"field": "value", "type": "quantitative"},
                "color": {"condition": {"test": f"datum.value > {high}", "value": "white"}, "value": "black"},
            },
        },
    ]
    return spec


def network(nodes: list[dict[str, Any]], links: list[dict[str, int]], *, description: str, legend_title: str) -> dict[str, Any]:
    """A force-directed node-link diagram (a vega spec: vega-lite has no force layout). Each node
    is {"name", "group", "size", "url"}; links index into nodes. Laid out once (static)."""
    width, height = 720, 520
    return {
        "$schema": "https://vega.github.io/schema/vega/v6.json",  # an identifier: nothing is fetched
        "description": description,
        "width": width,
        "height": height,
        "autosize": "none",
        "padding": 5,
        "data": [
            {"name": "node-data", "values": nodes},
            {"name": "link-data", "values": links},
        ],
        "scales": [
            {
                "name": "color",
                "type": "ordinal",
                "domain": {"data": "node-data", "field": "group", "sort": True},
                "range": {"scheme": "tableau10"},
            },
            {"name": "size", "type": "linear", "domain": {"data": "node-data", "field": "size"}, "range": [30, 600]},
        ],
        "legends": [{"fill": "color", "orient": "top-left", "title": legend_title}],
        "marks": [
            {
                "name": "nodes",
                "type": "symbol",
                "zindex": 1,
                "from": {"data": "node-data"},
                "encode": {
                    "enter": {
                        "fill": {"scale": "color", "field": "group"},
                        "stroke": {"value": "white"},
                        "size": {"scale": "size", "field": "size"},
                        "cursor": {"value": "pointer"},
                        "tooltip": {"field": "name"},
                        "description": {"field": "name"},
                    }
                },
                "transform": [
                    {
                        "type": "force",
                        "iterations": 300,
                        "static": True,
                        "signal": "force",
                        "forces": [
                            {"force": "center", "x": width / 2, "y": height / 2},
                            {"force": "collide", "radius": 7},
                            {"force": "nbody", "strength": -12},
                            {"force": "link", "links": "link-data", "distance": 28},
                        ],
                    }
                ],
            },
            {
                "type": "path",
                "from": {"data": "link-data"},
                "interactive": False,
                "aria": False,  # the links are decoration here: the table lists each node's links
                "encode": {"update": {"stroke": {"value": "#b8b8b8"}, "strokeWidth": {"value": 0.7}}},
                "transform": [
                    {
                        "type": "linkpath",
                        "require": {"signal": "force"},
                        "shape": "line",
                        "sourceX": "datum.source.x",
                        "sourceY": "datum.source.y",
                        "targetX": "datum.target.x",
                        "targetY": "datum.target.y",
                    }
                ],
            },
        ],
    }
