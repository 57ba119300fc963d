"""Centre of gravity and standard deviational ellipse of a quantity over the study units.

Each unit is its polygon's centroid weighted by its value (e.g. emission, t C). The centre is
the weighted mean of the centroids; the ellipse's semi-axes are the square roots of the
eigenvalues of the weighted covariance matrix of the centroids about that centre (one
standard deviation, Lefever's ellipse; ArcGIS multiplies them by √2), and its rotation is the
clockwise angle from north to the major axis, in [0, 180) degrees.

Centroids, centres and ellipses are in metres: in the study CRS when it is projected, else in
a local Lambert azimuthal equal-area CRS centred on the units (lucarbon.core.crs.metric_crs, the
CRS the maps are drawn in). The centre is also given in longitude and latitude.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from lucarbon.core.crs import in_metres
from lucarbon.core.io import InputError

M2_PER_KM2 = 1e6


def weighted_ellipse(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> dict[str, float]:
    """Weighted mean centre and standard deviational ellipse of points (x, y)."""
    weight = np.asarray(weight, dtype=float)
    if not np.isfinite(weight).all() or (weight < 0).any() or weight.sum() <= 0:
        raise InputError(
            "centre of gravity: weights must be known and non-negative with a positive sum."
        )
    share = weight / weight.sum()
    cx, cy = share @ x, share @ y
    dx, dy = x - cx, y - cy
    cov = np.array([[share @ (dx * dx), share @ (dx * dy)], [share @ (dx * dy), share @ (dy * dy)]])
    eigenvalues, eigenvectors = np.linalg.eigh(cov)  # ascending
    major = eigenvectors[:, 1]
    rotation = np.degrees(np.arctan2(major[0], major[1])) % 180.0
    return {
        "x_m": cx,
        "y_m": cy,
        "sd_major_m": float(np.sqrt(max(eigenvalues[1], 0.0))),
        "sd_minor_m": float(np.sqrt(max(eigenvalues[0], 0.0))),
        "rotation_deg_from_north": float(rotation),
    }


def gravity_centres(
    budget: pd.DataFrame, units: gpd.GeoDataFrame, variables: Sequence[str]
) -> pd.DataFrame:
    """Centre and ellipse of each variable in each year (metres, see the module note), the
    centre's longitude and latitude, and its shift (m) since the previous year."""
    metric = in_metres(units)
    centroids = metric.set_index("unit_id").geometry.centroid
    rows = []
    for variable in variables:
        for year, by_year in budget.groupby("year", sort=True):
            values = by_year.set_index("unit_id")[variable].reindex(centroids.index)
            ellipse = weighted_ellipse(centroids.x.to_numpy(), centroids.y.to_numpy(), values)
            rows.append({"year": year, "variable": variable, **ellipse})
    table = pd.DataFrame(rows)
    to_lonlat = Transformer.from_crs(metric.crs, metric.crs.geodetic_crs, always_xy=True)
    table["lon_deg"], table["lat_deg"] = to_lonlat.transform(
        table["x_m"].to_numpy(), table["y_m"].to_numpy()
    )
    step = table.groupby("variable")[["x_m", "y_m"]].diff()
    table["shift_m"] = np.hypot(step["x_m"], step["y_m"])
    table["ellipse_area_km2"] = np.pi * table["sd_major_m"] * table["sd_minor_m"] / M2_PER_KM2
    return table
