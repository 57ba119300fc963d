"""Which CRSs give true areas, and a metric CRS for geometry work in any study CRS.

Areas are counted in the land-cover product's own CRS: an equal-area projection (every pixel
has the nominal area |a·e|) or a geographic CRS (the true ellipsoidal area of each pixel row).
Any other projection would give areas off by its areal scale factor, so it is refused with the
distortion it would cause. Distances and areas of polygons (topology, gravity centres, scale
bars) use the study CRS when it is projected, else a local Lambert azimuthal equal-area CRS.
"""

from __future__ import annotations

import numpy as np
from pyproj import CRS, Proj, Transformer

from lucarbon.core.io import InputError

# Numerical noise of pyproj's areal scale for true equal-area projections is ~1e-10.
AREAL_SCALE_TOLERANCE = 1e-7
SAMPLES_PER_SIDE = 25


def is_geographic(crs: CRS | str) -> bool:
    return CRS.from_user_input(crs).is_geographic


def max_areal_distortion(crs: CRS | str, bounds: tuple[float, float, float, float]) -> float:
    """Largest |areal scale − 1| of a projected ``crs`` over ``bounds`` (in that CRS),
    sampled on a regular grid of points."""
    crs = CRS.from_user_input(crs)
    xs = np.linspace(bounds[0], bounds[2], SAMPLES_PER_SIDE)
    ys = np.linspace(bounds[1], bounds[3], SAMPLES_PER_SIDE)
    x, y = (grid.ravel() for grid in np.meshgrid(xs, ys))
    to_lonlat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
    lon, lat = to_lonlat.transform(x, y)
    factors = Proj(crs).get_factors(lon, lat)
    return float(np.nanmax(np.abs(np.asarray(factors.areal_scale) - 1.0)))


def check_area_crs(crs: CRS | str, bounds: tuple[float, float, float, float]) -> None:
    """Refuse a projected CRS that is not equal-area over ``bounds`` (the study units, in
    that CRS), saying how wrong pixel areas would be and what to do instead."""
    crs_obj = CRS.from_user_input(crs)
    if crs_obj.is_geographic:
        return
    distortion = max_areal_distortion(crs_obj, bounds)
    if distortion > AREAL_SCALE_TOLERANCE:
        method = crs_obj.coordinate_operation.method_name if crs_obj.coordinate_operation else "?"
        raise InputError(
            f"config key crs: {crs!r} ({crs_obj.name}, {method}) is not an equal-area "
            f"projection: over the study units a pixel's true area differs from its nominal "
            f"area by up to {100 * distortion:.3g} %, and every area would be off by that much. "
            "Reproject the land cover to an equal-area CRS (e.g. gdalwarp -r near -t_srs "
            "'+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +datum=WGS84 +units=m' in.tif out.tif) "
            "or use it in a geographic (longitude/latitude) CRS, then set crs to match."
        )


def local_equal_area(bounds_lonlat: tuple[float, float, float, float]) -> CRS:
    """A Lambert azimuthal equal-area CRS centred on ``bounds_lonlat`` (metres)."""
    lon = (bounds_lonlat[0] + bounds_lonlat[2]) / 2
    lat = (bounds_lonlat[1] + bounds_lonlat[3]) / 2
    return CRS.from_proj4(
        f"+proj=laea +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


def metric_crs(gdf) -> CRS:
    """The CRS of ``gdf`` when it is projected (in metres), else a local equal-area CRS."""
    if gdf.crs is None:
        raise ValueError("the units have no CRS")
    if not gdf.crs.is_geographic:
        return gdf.crs
    return local_equal_area(tuple(gdf.to_crs(gdf.crs.geodetic_crs).total_bounds))


def in_metres(gdf):
    """``gdf`` itself when its CRS is projected, else reprojected to a local equal-area CRS."""
    crs = metric_crs(gdf)
    return gdf if crs == gdf.crs else gdf.to_crs(crs)
