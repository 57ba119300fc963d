"""Gaps and overlaps between study units, so boundary defects are reported, not silently
counted twice (overlaps) or lost (gaps) by the zonal areas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Polygon

COLUMNS = ["kind", "unit_ids", "area_m2"]
SEPARATOR = ";"


def topology_report(units: gpd.GeoDataFrame, tolerance_m2: float) -> pd.DataFrame:
    """Gaps (holes inside the union of the units) and overlaps (pairwise intersections) larger
    than ``tolerance_m2``, one row each: kind (gap/overlap), unit_ids (the overlapping pair, or
    the units bordering the gap, joined by ';'), area_m2.

    ``units`` (column unit_id) must be in a projected CRS in metres (the study CRS).
    """
    if units.crs is None or not units.crs.is_projected:
        raise ValueError(
            f"topology_report needs units in a projected CRS in metres, not {units.crs}."
        )
    geoms = units.geometry.to_numpy()
    ids = units["unit_id"].astype(str).to_numpy()
    tree = shapely.STRtree(geoms)
    rows = _overlaps(geoms, ids, tree, tolerance_m2) + _gaps(geoms, ids, tree, tolerance_m2)
    report = pd.DataFrame(rows, columns=COLUMNS)
    return report.sort_values(["kind", "unit_ids", "area_m2"]).reset_index(drop=True)


def _overlaps(geoms: np.ndarray, ids: np.ndarray, tree: shapely.STRtree, tolerance: float):
    """Rows for every pair of units whose intersection is larger than ``tolerance``."""
    left, right = tree.query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    areas = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    return [
        ("overlap", SEPARATOR.join(sorted((ids[i], ids[j]))), float(area))
        for i, j, area in zip(left, right, areas, strict=True)
        if area > tolerance
    ]


def _gaps(geoms: np.ndarray, ids: np.ndarray, tree: shapely.STRtree, tolerance: float):
    """Rows for every hole of the units' union larger than ``tolerance``, with the units
    that border it."""
    union = shapely.union_all(geoms)
    rings = [ring for part in shapely.get_parts(union) for ring in part.interiors]
    # A unit lying inside a hole (an island) is a separate part of the union: subtract it.
    holes = [Polygon(ring).difference(union) for ring in rings]
    rows = []
    for hole in holes:
        if hole.area > tolerance:
            bordering = sorted(set(ids[tree.query(hole, predicate="intersects")]))
            rows.append(("gap", SEPARATOR.join(bordering), float(hole.area)))
    return rows
