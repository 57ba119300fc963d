"""Gaps and overlaps between study units, so boundary defects are reported, not silently
counted twice (overlaps) or lost (gaps) by the zonal areas."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

from lucarbon.core.crs import in_metres
from lucarbon.core.io import InputError
from lucarbon.core.logs import warn_user

COLUMNS = ["kind", "unit_ids", "area_m2"]
SEPARATOR = ";"
log = logging.getLogger(__name__)


def topology_report(units: gpd.GeoDataFrame, tolerance_m2: float) -> pd.DataFrame:
    """Gaps (holes inside the union of the units) and overlaps (pairwise intersections) larger
    than ``tolerance_m2``, one row each: kind (gap/overlap), unit_ids (the overlapping pair, or
    the units bordering the gap, joined by ';'), area_m2. A hole bordered by one unit only is
    that unit's own interior ring (an enclave, a lake cut out): kind 'hole', not a defect.

    Shapely's coverage functions (GEOS CoverageValidator) do the search: a valid coverage
    (shapely.coverage_is_valid: no overlaps, shared edges matched) has no overlap to measure
    and its union is shapely.coverage_union_all; otherwise only the units whose edges
    shapely.coverage_invalid_edges flags can overlap another, and only their intersections
    are measured. Areas are measured in metres: in the units' CRS when it is projected, else
    in a local equal-area CRS (lucarbon.core.crs.in_metres), so units in longitude/latitude
    work too.
    """
    units = in_metres(units)
    geoms = units.geometry.to_numpy()
    ids = units["unit_id"].astype(str).to_numpy()
    tree = shapely.STRtree(geoms)
    if shapely.coverage_is_valid(geoms):
        rows, union = [], shapely.coverage_union_all(geoms)
    else:
        flagged = np.flatnonzero(~shapely.is_empty(shapely.coverage_invalid_edges(geoms)))
        rows, union = _overlaps(geoms, ids, flagged, tree, tolerance_m2), shapely.union_all(geoms)
    rows += _gaps(union, ids, tree, tolerance_m2)
    report = pd.DataFrame(rows, columns=COLUMNS)
    return report.sort_values(["kind", "unit_ids", "area_m2"]).reset_index(drop=True)


def _overlaps(
    geoms: np.ndarray, ids: np.ndarray, flagged: np.ndarray, tree: shapely.STRtree, tolerance
):
    """Rows for every pair of units, one of them ``flagged`` (an overlap flags the edges of
    at least one of the two, e.g. only the inner one of a unit inside another), whose
    intersection is larger than ``tolerance``."""
    left, right = tree.query(geoms[flagged], predicate="intersects")
    left = flagged[left]
    pairs = np.unique(np.sort(np.column_stack([left, right]), axis=1), axis=0)
    left, right = pairs[pairs[:, 0] < pairs[:, 1]].T
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    return [
        ("overlap", SEPARATOR.join(sorted((ids[i], ids[j]))), float(area))
        for i, j, area in zip(left, right, areas, strict=True)
        if area > tolerance
    ]


def _gaps(union, ids: np.ndarray, tree: shapely.STRtree, tolerance: float):
    """Rows for every hole of the units' ``union`` larger than ``tolerance``, with the units
    that border it."""
    rings = [ring for part in shapely.get_parts(union) for ring in part.interiors]
    # A unit lying inside a hole (an island) is a separate part of the union: subtract it.
    holes = [Polygon(ring).difference(union) for ring in rings]
    rows = []
    for hole in holes:
        if hole.area > tolerance:
            bordering = sorted(set(ids[tree.query(hole, predicate="intersects")]))
            kind = "gap" if len(bordering) > 1 else "hole"
            rows.append((kind, SEPARATOR.join(bordering), float(hole.area)))
    return rows


def format_area(area_m2: float) -> str:
    """An area for a message, in m² and ha."""
    return f"{area_m2:.1f} m² ({area_m2 / 1e4:.4f} ha)"


def check_topology(report: pd.DataFrame, label: str, tolerance_m2: float, mode: str) -> None:
    """Gaps and overlaps of a topology report are an error naming the units and areas (mode
    'error'), or a warning to the user (mode 'warn', config key boundaries.topology)."""
    for row in report[report["kind"] == "hole"].itertuples():
        area = format_area(row.area_m2)
        log.info("unit %s has a hole of %s (its own interior ring)", row.unit_ids, area)
    report = report[report["kind"] != "hole"]
    if report.empty:
        return
    defects = "; ".join(
        f"{row.kind} of {format_area(row.area_m2)} at unit(s) {row.unit_ids.replace(';', ', ')}"
        for row in report.itertuples()
    )
    message = (
        f"{label}: {len(report)} gap(s) or overlap(s) between units larger than "
        f"boundaries.topology_tolerance_m2 ({tolerance_m2:g} m²): {defects}. An overlap is "
        "counted in both units, a gap in none"
    )
    if mode == "warn":
        warn_user(log, message + " (boundaries.topology: warn).")
        return
    raise InputError(
        message + "; fix the polygons, or raise the tolerance or set boundaries.topology: "
        "warn if they are meant to be so."
    )
