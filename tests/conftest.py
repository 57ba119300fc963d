"""Shared fixtures: tiny hand-made rasters and unit polygons with known answers, and the demo
run end to end (session scope)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import yaml
from pyproj import Geod
from rasterio.transform import from_origin
from shapely.geometry import box

from lucarbon.acquire import fetching
from lucarbon.acquire.datasets import VSICURL_ENV
from lucarbon.model import budget
from lucarbon.model.run import Parameters, StudyTables
from lucarbon.raster.clip import landcover_lookup, landuse_counts, write_landuse_raster
from workflow_helpers import copy_project, edit_config, scheduled_jobs, snakemake

ROOT = Path(__file__).resolve().parents[1]
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +datum=WGS84 +units=m"
PIXEL = 10.0  # metres: one pixel is 100 m² = 0.01 ha
X0, Y0 = 1_000_000.0, 3_800_000.0


def write_raster(
    path: Path,
    data: np.ndarray,
    crs: str | None = ALBERS,
    nodata: int | None = 0,
    transform=None,
    dtype: str = "uint8",
) -> Path:
    """Write a small GeoTIFF (uint8 unless ``dtype``) with 10 m pixels whose upper-left
    corner is (X0, Y0) unless ``transform`` is given."""
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=dtype,
        crs=crs,
        transform=transform or from_origin(X0, Y0, PIXEL, PIXEL),
        nodata=nodata,
    ) as dst:
        dst.write(data.astype(dtype), 1)
    return path


def one_pass(raw, grid, dst, reclass, types, reclass_path, nodata, label, threads=1):
    """One year through the workflow: its areas (rule reclassify's pass over the raw land
    cover) and its land-use raster ``dst`` (rule landuse_raster)."""
    areas = landuse_counts([raw], grid, reclass, types, reclass_path, [nodata], [label], threads)
    with rasterio.Env(**VSICURL_ENV), rasterio.open(raw) as src:
        lookup = landcover_lookup(reclass, types, reclass_path, src.dtypes[0], nodata, label)
    write_landuse_raster(raw, grid, dst, lookup, nodata, threads)
    return areas


def pixel_box(col0: float, row0: float, col1: float, row1: float):
    """Polygon covering pixel columns col0..col1 and rows row0..row1 (edges, may be fractional)."""
    return box(X0 + col0 * PIXEL, Y0 - row1 * PIXEL, X0 + col1 * PIXEL, Y0 - row0 * PIXEL)


@pytest.fixture
def two_units() -> gpd.GeoDataFrame:
    """Unit A = columns 0-2, unit B = columns 3-5 of a 6 x 6 grid (edges on pixel edges)."""
    return gpd.GeoDataFrame(
        {"unit_id": ["A", "B"]},
        geometry=[pixel_box(0, 0, 3, 6), pixel_box(3, 0, 6, 6)],
        crs=ALBERS,
    )


def exact_row_pixel_ha(transform, height: int, row_off: int = 0) -> np.ndarray:
    """Exact ellipsoidal area (ha) of one pixel in each of ``height`` rows of a geographic
    (WGS84) grid, a cell bounded by two meridians and two parallels: the area element
    M(φ) N(φ) cos φ dφ dλ = a²(1 − e²) cos φ / (1 − e² sin² φ)² dφ dλ integrated over the row
    by 8-point Gauss-Legendre quadrature (exact to rounding for thin rows; the band height is
    the pixel size itself, so rounding of the edge latitudes does not enter). Independent of
    the closed form in lucarbon.raster.blocks."""
    geod = Geod(ellps="WGS84")
    a, e2 = geod.a, geod.es
    nodes, weights = np.polynomial.legendre.leggauss(8)
    dlon, dlat = np.radians(abs(transform.a)), np.radians(abs(transform.e))
    rows = np.arange(row_off, row_off + height) + 0.5
    middle = np.radians(transform.f + transform.e * rows)
    phi = middle[:, None] + nodes[None, :] * dlat / 2
    element = a**2 * (1 - e2) * np.cos(phi) / (1 - e2 * np.sin(phi) ** 2) ** 2
    return dlon * dlat / 2 * (element @ weights) / 1e4


LANDUSE = ["arable", "forest", "grassland", "water", "construction", "unused"]
FUELS = budget.read_fuels(ROOT / "data/coefficients/fuel_factors.csv")
CROPS = budget.read_crops(ROOT / "data/coefficients/crop_parameters.csv")
PHYSICAL = budget.read_physical_units(ROOT / "data/units/physical_units.csv")
COEF = budget.direct_coefficients(
    ROOT / "data/coefficients/direct_area_coefficients.csv", "default"
)
ORDER = ["dev", "eco"]


def tiny_tables(**extra) -> StudyTables:
    """Two units, one year. A: 100 ha arable, 50 forest, 10 construction; B: 20 arable, 30
    construction. Region energy: 1 × 10^4 t raw coal."""
    areas = pd.DataFrame(
        [
            ("A", 2000, "arable", 100.0),
            ("A", 2000, "forest", 50.0),
            ("A", 2000, "construction", 10.0),
            ("B", 2000, "arable", 20.0),
            ("B", 2000, "construction", 30.0),
        ],
        columns=["unit_id", "year", "landuse", "area_ha"],
    )
    base = {
        "areas": areas,
        "units": pd.DataFrame({"unit_id": ["A", "B"], "name": ["a", "b"], "mfa_class": ORDER}),
        "landuse": LANDUSE,
        "gdp": pd.DataFrame(
            {"unit_id": ["A", "B"], "year": [2000] * 2, "gdp_10k_yuan": [10.0, 30.0]}
        ),
        "physical_units": PHYSICAL,
        "population": pd.DataFrame(
            {"unit_id": ["A", "B"], "year": [2000] * 2, "population_persons": [100.0, 300.0]}
        ),
        "energy": pd.DataFrame(
            {"year": [2000], "fuel": ["raw_coal"], "amount": [1.0], "unit": ["10k_t"]}
        ),
    }
    return StudyTables(**(base | extra))


PARAMS = Parameters(coefficients=COEF, fuels=FUELS, crops=CROPS, price_per_tC=100.0)
COAL_TC = 1e7 * 0.7143 / 1000 * 0.7559  # t C of 10^4 t raw coal, by hand from method.md


@pytest.fixture
def quick_retries(monkeypatch):
    """Download retries without the waits between them."""
    monkeypatch.setattr(fetching, "RETRY_WAIT_S", 0.01)


@pytest.fixture(scope="session")
def project(tmp_path_factory):
    """The demo run end to end, shared by the workflow tests (tests/test_workflow.py) and the
    fault tests (tests/test_faults.py, which compare their runs with it byte for byte): run
    without its last year, check what adding it schedules, then add it."""
    workdir = copy_project(tmp_path_factory.mktemp("demo"))
    years = yaml.safe_load((workdir / "config.yaml").read_text())["years"]
    edit_config(workdir, years=years[:-1])
    snakemake(workdir)
    edit_config(workdir, years=years)
    added = scheduled_jobs(workdir)
    snakemake(workdir)
    return {"dir": workdir, "out": workdir / "results" / "demo", "years": years, "added": added}
