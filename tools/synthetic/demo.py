"""Deterministic synthetic demo study: region, county units, land-cover years and statistics.

Everything here is invented from seeded random fields and simple rules; nothing is real data.
Grids are indexed (row, column) with row 0 in the north and column 0 in the west; geometries
are in the projected (metre) CRS of the study. All randomness comes from the ``rng`` arguments.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import shapely
from scipy import fft, ndimage

NODATA, CROPLAND, FOREST, SHRUB, GRASSLAND, WATER, SNOW, BARREN, IMPERVIOUS, WETLAND = range(10)
N_CODES = 10

# CLCD-like colour table (code -> RGBA) written into every land-cover GeoTIFF.
CLCD_COLORMAP = {
    NODATA: (0, 0, 0, 0),
    CROPLAND: (250, 227, 156, 255),
    FOREST: (68, 111, 51, 255),
    SHRUB: (51, 160, 44, 255),
    GRASSLAND: (171, 211, 123, 255),
    WATER: (30, 105, 180, 255),
    SNOW: (166, 245, 245, 255),
    BARREN: (207, 189, 163, 255),
    IMPERVIOUS: (226, 66, 144, 255),
    WETLAND: (40, 155, 232, 255),
}

# Correlation lengths (m) of the independent noise fields behind the land cover.
NOISE_SCALES_M = {
    "relief_coarse": 4500.0,
    "relief_fine": 1200.0,
    "natural_coarse": 1500.0,
    "natural_fine": 360.0,
    "vegetation_coarse": 1800.0,
    "vegetation_fine": 450.0,
    "rock": 300.0,
    "wet": 240.0,
    "urban_fine": 180.0,
    "urban_coarse": 600.0,
    "village": 120.0,
    "restore": 750.0,
}

MFA_CLASSES = (
    "national_key_development",
    "provincial_key_development",
    "agricultural",
    "provincial_key_ecological",
    "national_key_ecological",
)

# Per MFA class: population in the first year (range), annual population growth, GDP per
# person in the first year (10^4 yuan, range), offset to the regional nominal GDP growth,
# urbanisation rate in the first and last year, county-town radius (m) and its relative growth.
MFA_PROFILES = {
    "national_key_development": dict(
        pop=(115e3, 165e3), pop_growth=0.012, gdp_pc=(1.0, 1.2), gdp_offset=0.02,
        urban=(0.55, 0.77), town_m=900.0, town_growth=0.55,
    ),
    "provincial_key_development": dict(
        pop=(65e3, 105e3), pop_growth=0.005, gdp_pc=(0.6, 0.8), gdp_offset=0.01,
        urban=(0.32, 0.60), town_m=800.0, town_growth=0.45,
    ),
    "agricultural": dict(
        pop=(45e3, 80e3), pop_growth=-0.003, gdp_pc=(0.42, 0.55), gdp_offset=-0.005,
        urban=(0.23, 0.46), town_m=650.0, town_growth=0.35,
    ),
    "provincial_key_ecological": dict(
        pop=(35e3, 55e3), pop_growth=-0.005, gdp_pc=(0.50, 0.65), gdp_offset=-0.008,
        urban=(0.24, 0.46), town_m=550.0, town_growth=0.30,
    ),
    "national_key_ecological": dict(
        pop=(32e3, 43e3), pop_growth=-0.006, gdp_pc=(0.60, 0.70), gdp_offset=-0.01,
        urban=(0.23, 0.42), town_m=500.0, town_growth=0.25,
    ),
}  # fmt: skip

FUEL_UNITS = {
    "raw_coal": "10k_t",
    "coke": "10k_t",
    "gasoline": "10k_t",
    "kerosene": "10k_t",
    "diesel": "10k_t",
    "fuel_oil": "10k_t",
    "natural_gas": "100M_m3",
}
# Share of each fuel in the construction-land carbon emission, first and last year: the
# balance's total consumption by fuel, refined products only (no crude oil beside them, which
# would count the refinery input twice).
FUEL_SHARES = {
    "raw_coal": (0.74, 0.62),
    "coke": (0.11, 0.10),
    "gasoline": (0.04, 0.08),
    "kerosene": (0.005, 0.01),
    "diesel": (0.07, 0.10),
    "fuel_oil": (0.025, 0.01),
    "natural_gas": (0.01, 0.08),
}
# Per MFA class: industrial energy (tce) per 10^4 yuan of GDP, first and last year.
INDUSTRY_INTENSITY = {
    "national_key_development": (0.95, 0.55),
    "provincial_key_development": (0.75, 0.42),
    "agricultural": (0.30, 0.18),
    "provincial_key_ecological": (0.25, 0.15),
    "national_key_ecological": (0.15, 0.09),
}
# Synthetic cities: energy per 10^4 yuan of GDP (tce) in the first year and its annual
# decline (ranges the draws come from).
CITY_INTENSITY = {"start": (1.3, 2.1), "decline": (0.035, 0.055)}
# Agricultural inputs: t per ha of sown area, first and last year; sown area = cropland ×
# multiple-cropping index; irrigated share of cropland (first, last year).
INPUT_RATES = {
    "fertiliser_t": (0.38, 0.45),
    "pesticide_t": (0.007, 0.008),
    "film_t": (0.006, 0.011),
    "diesel_t": (0.05, 0.075),
}
MULTIPLE_CROPPING = (1.55, 1.75)
IRRIGATED_SHARE = (0.55, 0.68)

# Per crop: sown area as a share of cropland, yield (t/ha) in the first and last year, and
# the probability that a unit grows it at all.
CROP_PROFILES = {
    "wheat": (0.80, 5.2, 6.8, 1.0),
    "maize": (0.60, 5.0, 6.8, 1.0),
    "rice": (0.08, 6.5, 7.6, 0.35),
    "pulses": (0.05, 1.6, 2.0, 0.8),
    "tubers": (0.03, 18.0, 22.0, 0.7),
    "cotton": (0.05, 1.0, 1.3, 0.5),
    "peanut": (0.08, 3.4, 4.4, 0.8),
    "rapeseed": (0.03, 2.1, 2.6, 0.4),
    "vegetables": (0.07, 40.0, 50.0, 1.0),
}


def grid_fractions(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Column fraction (0 west .. 1 east, shape (1, w)) and row fraction (0 north, (h, 1))."""
    fx = np.linspace(0.0, 1.0, shape[1], dtype=np.float32)[None, :]
    fy = np.linspace(0.0, 1.0, shape[0], dtype=np.float32)[:, None]
    return fx, fy


def smooth_noise(shape: tuple[int, int], scale_px: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian-smoothed white noise (sigma ``scale_px``), zero mean and unit variance.

    Filtered by FFT on a grid padded by 3 sigma, so opposite edges are not correlated.
    """
    pad = int(np.ceil(3 * scale_px))
    size = (fft.next_fast_len(shape[0] + pad, real=True), fft.next_fast_len(shape[1] + pad))
    white = rng.standard_normal(size)
    ky = np.fft.fftfreq(size[0])[:, None]
    kx = np.fft.rfftfreq(size[1])[None, :]
    transfer = np.exp(-2.0 * (np.pi * scale_px) ** 2 * (kx**2 + ky**2))
    field = fft.irfft2(fft.rfft2(white) * transfer, s=size)[: shape[0], : shape[1]]
    return ((field - field.mean()) / field.std()).astype(np.float32)


def make_elevation(coarse: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Elevation-like field (m): an eastern plain below ~100 m rising to western uplands
    (~700 m) with a south-western massif (~2000 m); ``coarse``/``fine`` add relief."""
    fx, fy = grid_fractions(coarse.shape)
    uplands = 1.0 / (1.0 + np.exp((fx - 0.33) / 0.06))
    massif = np.exp(-((fx - 0.15) ** 2 + (fy - 0.72) ** 2) / (2 * 0.09**2))
    relief = 700.0 + 250.0 * coarse + 120.0 * fine
    elevation = 60.0 + 40.0 * (1.0 - fx) + uplands * relief + 900.0 * massif + 8.0 * fine
    return np.maximum(elevation, 30.0).astype(np.float32)


def make_fields(
    shape: tuple[int, int],
    pixel_m: float,
    rng: np.random.Generator,
    scales_m: Mapping[str, float] = NOISE_SCALES_M,
) -> dict[str, np.ndarray]:
    """All static fields of the study grid: one unit noise field per ``scales_m`` entry plus
    ``elevation`` (m) and ``upland`` (0 on the plain .. 1 above ~850 m)."""
    fields = {name: smooth_noise(shape, scale / pixel_m, rng) for name, scale in scales_m.items()}
    fields["elevation"] = make_elevation(fields["relief_coarse"], fields["relief_fine"])
    fields["upland"] = upland_index(fields["elevation"])
    return fields


def upland_index(elevation: np.ndarray) -> np.ndarray:
    """0 below 150 m, 1 above 850 m, linear in between."""
    return np.clip((elevation - 150.0) / 700.0, 0.0, 1.0).astype(np.float32)


def base_landcover(fields: Mapping[str, np.ndarray]) -> np.ndarray:
    """Land cover before water, settlements and change: cropland where the upland index plus
    two-scale noise is low (and in small upland valley fields), else forest/shrub/grassland by
    a second score, with a few barren spots."""
    u = fields["upland"]
    natural = u + 0.28 * fields["natural_coarse"] + 0.10 * fields["natural_fine"] > 0.55
    natural &= ~((u > 0.4) & (fields["natural_fine"] < -1.5))
    vegetation = u + 0.35 * fields["vegetation_coarse"] + 0.12 * fields["vegetation_fine"]
    cover = np.full(u.shape, GRASSLAND, dtype=np.uint8)
    cover[vegetation > 0.55] = SHRUB
    cover[vegetation > 0.8] = FOREST
    cover[natural & (u > 0.4) & (fields["rock"] > 2.3)] = BARREN
    cover[~natural] = CROPLAND
    return cover


def sinuous_line(
    start: Sequence[float],
    end: Sequence[float],
    amplitude: float,
    rng: np.random.Generator,
    n_waves: int = 30,
) -> np.ndarray:
    """Densely sampled meandering line (x, y pixel coordinates) from ``start`` to ``end``.

    The straight segment plus a sideways offset: a random sine series with 1/k^1.3 amplitudes
    that vanishes at both ends, scaled so its largest excursion is ``amplitude`` pixels.
    """
    start, end = np.asarray(start, float), np.asarray(end, float)
    along = end - start
    length = float(np.hypot(*along))
    t = np.linspace(0.0, 1.0, int(8 * (length + amplitude * n_waves)) + 2)[:, None]
    k = np.arange(1, n_waves + 1)
    series = np.sin(np.pi * k * t) @ (rng.standard_normal(n_waves) * k**-1.3)
    offset = amplitude * series / np.abs(series).max()
    normal = np.array([-along[1], along[0]]) / length
    return start + t * along + offset[:, None] * normal


def bank_distance(
    shape: tuple[int, int], lines: Sequence[np.ndarray], widths: Sequence[tuple[float, float]]
) -> np.ndarray:
    """Distance (px) of every pixel to the nearest river bank, <= 0 inside a river.

    Each river's width (px) grows linearly from its first to its last point.
    """
    centre = np.zeros(shape, dtype=bool)
    half = np.zeros(shape, dtype=np.float32)
    for line, (w_start, w_end) in zip(lines, widths, strict=True):
        cols, rows = np.round(line).astype(int).T
        inside = (rows >= 0) & (rows < shape[0]) & (cols >= 0) & (cols < shape[1])
        halfwidth = np.linspace(w_start, w_end, len(line))[inside] / 2.0
        centre[rows[inside], cols[inside]] = True
        np.maximum.at(half, (rows[inside], cols[inside]), halfwidth)
    distance, (ir, ic) = ndimage.distance_transform_edt(~centre, return_indices=True)
    return (distance - half[ir, ic]).astype(np.float32)


def ellipse_mask(
    shape: tuple[int, int],
    centre: Sequence[float],
    radii: Sequence[float],
    noise: np.ndarray,
    amount: float,
) -> np.ndarray:
    """Irregular blob: pixels whose normalised elliptic distance to ``centre`` (x, y px) plus
    ``amount`` x ``noise`` is below 1."""
    rows, cols = np.ogrid[: shape[0], : shape[1]]
    r2 = ((cols - centre[0]) / radii[0]) ** 2 + ((rows - centre[1]) / radii[1]) ** 2
    return np.sqrt(r2) + amount * noise < 1.0


def peak_patch(elevation: np.ndarray, mask: np.ndarray, n_pixels: int) -> np.ndarray:
    """The connected patch of the ``n_pixels`` highest pixels of ``mask`` holding its summit."""
    values = np.where(mask, elevation, -np.inf)
    threshold = np.partition(values.ravel(), -n_pixels)[-n_pixels]
    labels, _ = ndimage.label(values >= threshold)
    return labels == labels.flat[int(np.argmax(values))]


def top_share(score: np.ndarray, eligible: np.ndarray, share: float) -> np.ndarray:
    """The ``share`` of ``eligible`` pixels with the highest ``score`` (nested as share grows)."""
    if share <= 0:
        return np.zeros(score.shape, dtype=bool)
    threshold = np.quantile(score[eligible], 1.0 - share)
    return eligible & (score > threshold)


def town_mask(
    shape: tuple[int, int],
    centres: np.ndarray,
    radii: np.ndarray,
    noise: np.ndarray,
    amount: float,
) -> np.ndarray:
    """Settlements: pixels where max over towns of 1 - distance/radius, plus ``amount`` x
    ``noise``, is positive. Larger radii give supersets, so growth is monotone."""
    score = np.full(shape, -np.inf, dtype=np.float32)
    for (x, y), radius in zip(centres, radii, strict=True):
        reach = radius * (1.0 + 5.0 * amount)
        r0, r1 = max(int(y - reach), 0), min(int(y + reach) + 1, shape[0])
        c0, c1 = max(int(x - reach), 0), min(int(x + reach) + 1, shape[1])
        rows, cols = np.ogrid[r0:r1, c0:c1]
        local = 1.0 - np.hypot(cols + 0.5 - x, rows + 0.5 - y) / radius
        np.maximum(score[r0:r1, c0:c1], local, out=score[r0:r1, c0:c1])
    return score + amount * noise > 0.0


def make_landcover(
    base: np.ndarray,
    restored: np.ndarray,
    impervious: np.ndarray,
    static: Mapping[int, np.ndarray],
) -> np.ndarray:
    """One year's land cover: ``base``, restored cropland turned to forest, the static layers
    (code -> mask: water, wetland, snow), impervious (never over a static layer or barren
    land) and finally the ``NODATA`` mask of ``static``."""
    cover = base.copy()
    cover[restored & (base == CROPLAND)] = FOREST
    fixed = np.zeros(base.shape, dtype=bool)
    for code, mask in static.items():
        if code != NODATA:
            cover[mask] = code
            fixed |= mask
    cover[impervious & ~fixed & (base != BARREN)] = IMPERVIOUS
    cover[static[NODATA]] = NODATA
    return cover


def make_region_polygon(
    bounds: Sequence[float],
    rng: np.random.Generator,
    n_harmonics: int = 4,
    wobble: float = 0.08,
    n_vertices: int = 256,
) -> shapely.Polygon:
    """A smooth irregular blob (an ellipse with random low harmonics of the radius) stretched
    to fill ``bounds`` (xmin, ymin, xmax, ymax)."""
    theta = np.linspace(0.0, 2 * np.pi, n_vertices, endpoint=False)
    k = np.arange(2, n_harmonics + 2)[:, None]
    amplitude = rng.uniform(0.4, 1.0, (n_harmonics, 1)) * wobble / (k - 1)
    phase = rng.uniform(0.0, 2 * np.pi, (n_harmonics, 1))
    radius = 1.0 + (amplitude * np.cos(k * theta + phase)).sum(axis=0)
    x, y = radius * np.cos(theta), radius * np.sin(theta)
    xmin, ymin, xmax, ymax = bounds
    x = xmin + (x - x.min()) / np.ptp(x) * (xmax - xmin)
    y = ymin + (y - y.min()) / np.ptp(y) * (ymax - ymin)
    return shapely.Polygon(np.column_stack([x, y]))


def spaced_points(
    region: shapely.Polygon,
    n: int,
    min_spacing: float,
    rng: np.random.Generator,
    max_tries: int = 200_000,
) -> np.ndarray:
    """``n`` random points inside ``region``, no two closer than ``min_spacing`` (dart throwing)."""
    xmin, ymin, xmax, ymax = region.bounds
    candidates = rng.uniform((xmin, ymin), (xmax, ymax), size=(max_tries, 2))
    candidates = candidates[shapely.contains_xy(region, candidates[:, 0], candidates[:, 1])]
    points = np.empty((0, 2))
    for candidate in candidates:
        if np.all(np.hypot(*(points - candidate).T) >= min_spacing):
            points = np.vstack([points, candidate])
            if len(points) == n:
                return points
    raise ValueError(f"only {len(points)} of {n} points fit at spacing {min_spacing}; lower it.")


def voronoi_cells(region: shapely.Polygon, points: np.ndarray) -> np.ndarray:
    """Voronoi cells of ``points`` clipped to ``region``, in the order of ``points``."""
    cells = shapely.voronoi_polygons(shapely.multipoints(points), extend_to=region, ordered=True)
    return shapely.intersection(np.asarray(cells.geoms), region)


def lloyd_relax(region: shapely.Polygon, points: np.ndarray, iterations: int) -> np.ndarray:
    """Move each point to the centroid of its clipped Voronoi cell ``iterations`` times."""
    for _ in range(iterations):
        points = shapely.get_coordinates(shapely.centroid(voronoi_cells(region, points)))
    return points


def make_units(region: shapely.Polygon, points: np.ndarray, grid_size: float) -> np.ndarray:
    """Unit polygons: the Voronoi tessellation of ``points`` clipped to ``region``, snapped to
    a ``grid_size`` grid so neighbours share identical vertices and tile the region exactly."""
    return shapely.set_precision(voronoi_cells(region, points), grid_size)


def assign_mfa(
    points: np.ndarray,
    upland: np.ndarray,
    city_xy: Sequence[float],
    counts: Mapping[str, int],
) -> np.ndarray:
    """Main functional area class per unit from its seed point and mean ``upland`` index.

    The ``counts`` national / provincial key development units are the nearest to
    ``city_xy`` (core, then ring); of the rest, the most upland are provincial key ecological
    and the very most upland of those national key ecological; all others agricultural.
    """
    classes = np.full(len(points), "agricultural", dtype=object)
    by_distance = np.argsort(np.hypot(*(points - np.asarray(city_xy)).T), kind="stable")
    n_core = counts["national_key_development"]
    n_ring = counts["provincial_key_development"]
    classes[by_distance[:n_core]] = "national_key_development"
    classes[by_distance[n_core : n_core + n_ring]] = "provincial_key_development"
    rest = by_distance[n_core + n_ring :]
    n_eco = counts["provincial_key_ecological"] + counts["national_key_ecological"]
    ecological = rest[np.argsort(-upland[rest], kind="stable")][:n_eco]
    classes[ecological] = "provincial_key_ecological"
    classes[ecological[: counts["national_key_ecological"]]] = "national_key_ecological"
    return classes


def class_counts_by_unit(cover: np.ndarray, unit_index: np.ndarray, n_units: int) -> np.ndarray:
    """Pixel counts, shape (n_units + 1, N_CODES): row 0 outside every unit, row i unit i."""
    key = unit_index.astype(np.int64) * N_CODES + cover
    return np.bincount(key.ravel(), minlength=(n_units + 1) * N_CODES).reshape(-1, N_CODES)


def _year_fraction(years: Sequence[int]) -> np.ndarray:
    """0 at the first year, 1 at the last."""
    years = np.asarray(years, dtype=float)
    return (years - years[0]) / (years[-1] - years[0])


def _between(pair: tuple[float, float], fraction: float) -> float:
    """The value ``fraction`` of the way from pair[0] (first year) to pair[1] (last year)."""
    return pair[0] + (pair[1] - pair[0]) * fraction


def population_table(
    units: pd.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pd.DataFrame:
    """Persons per unit and year: a class-dependent start value and annual growth."""
    rows = []
    for unit_id, mfa in zip(units["unit_id"], units["mfa_class"], strict=True):
        profile = MFA_PROFILES[mfa]
        start = rng.uniform(*profile["pop"])
        growth = profile["pop_growth"] + rng.normal(0.0, 0.002)
        for year in years:
            persons = round(start * (1.0 + growth) ** (year - years[0]))
            rows.append((unit_id, year, persons))
    return pd.DataFrame(rows, columns=["unit_id", "year", "population_persons"])


def gdp_table(
    population: pd.DataFrame,
    units: pd.DataFrame,
    growth: Mapping[int, float],
    rng: np.random.Generator,
) -> pd.DataFrame:
    """GDP (10^4 yuan, current prices): first-year population x GDP per person, then the
    regional annual nominal growth of each period (``growth[year]`` for the years since the
    previous one) plus the class offset and a little noise per unit and period."""
    first = population.groupby("unit_id")["population_persons"].first()
    mfa = units.set_index("unit_id")["mfa_class"]
    years = sorted(population["year"].unique())
    rows = []
    for unit_id in first.index:
        profile = MFA_PROFILES[mfa[unit_id]]
        value = first[unit_id] * rng.uniform(*profile["gdp_pc"])
        rows.append((unit_id, years[0], round(value, 1)))
        for previous, year in itertools.pairwise(years):
            rate = growth[year] + profile["gdp_offset"] + rng.normal(0.0, 0.004)
            value *= (1.0 + rate) ** (year - previous)
            rows.append((unit_id, year, round(value, 1)))
    return pd.DataFrame(rows, columns=["unit_id", "year", "gdp_10k_yuan"])


def deflator_table(inflation: Mapping[int, float], base_year: int) -> pd.DataFrame:
    """GDP deflator index (``base_year`` = 100) from annual inflation per period."""
    index, previous, rows = 100.0, base_year, [(base_year, 100.0)]
    for year in sorted(inflation):
        index *= (1.0 + inflation[year]) ** (year - previous)
        previous = year
        rows.append((year, round(index, 2)))
    return pd.DataFrame(rows, columns=["year", "gdp_deflator_index"])


def energy_table(
    emission_tc: Mapping[int, float],
    tc_per_unit: Mapping[str, float],
    rng: np.random.Generator,
    shares: Mapping[str, tuple[float, float]] = FUEL_SHARES,
    units: Mapping[str, str] = FUEL_UNITS,
) -> pd.DataFrame:
    """Regional fuel use whose carbon emission is ``emission_tc[year]`` (tC): fuel shares of the
    emission move linearly from their first- to last-year values (with a little noise) and
    each share is divided by the fuel's tC per reporting unit (``units``)."""
    years = sorted(emission_tc)
    rows = []
    for year, f in zip(years, _year_fraction(years), strict=True):
        weights = {
            fuel: (a + (b - a) * f) * rng.uniform(0.95, 1.05) for fuel, (a, b) in shares.items()
        }
        total = sum(weights.values())
        for fuel, weight in weights.items():
            amount = emission_tc[year] * weight / total / tc_per_unit[fuel]
            rows.append((year, fuel, round(amount, 2), units[fuel]))
    return pd.DataFrame(rows, columns=["year", "fuel", "amount", "unit"])


def fuel_emission(energy: pd.DataFrame, tc_per_unit: Mapping[str, float]) -> pd.Series:
    """Carbon emission (tC) per year of an energy table."""
    tc = energy["amount"] * energy["fuel"].map(tc_per_unit)
    return tc.groupby(energy["year"]).sum()


def crop_yield_table(cropland_ha: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Crop output (t) per unit and year = cropland (ha) x sown share x yield per ha (rising
    linearly over the years) x small noise; each unit keeps its crops and shares all years."""
    years = sorted(cropland_ha["year"].unique())
    fraction = dict(zip(years, _year_fraction(years), strict=True))
    area = cropland_ha.set_index(["unit_id", "year"])["cropland_ha"]
    rows = []
    for unit_id in sorted(cropland_ha["unit_id"].unique()):
        for crop, (share, y_first, y_last, grown) in CROP_PROFILES.items():
            unit_share = share * rng.uniform(0.85, 1.15)
            if rng.uniform() >= grown:
                continue
            for year in years:
                per_ha = y_first + (y_last - y_first) * fraction[year]
                output = area[unit_id, year] * unit_share * per_ha * rng.normal(1.0, 0.03)
                rows.append((unit_id, year, crop, round(output, 1)))
    return pd.DataFrame(rows, columns=["unit_id", "year", "crop", "yield_t"])


def engel_table(
    units: pd.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pd.DataFrame:
    """Engel coefficients (rural above urban, both falling) and urbanisation (class-dependent,
    rising), moving linearly between random first- and last-year values with small noise."""
    fraction = _year_fraction(years)
    rows = []
    for unit_id, mfa in zip(units["unit_id"], units["mfa_class"], strict=True):
        rural = np.array([rng.uniform(0.50, 0.55), rng.uniform(0.29, 0.33)])
        urban = rural - rng.uniform(0.02, 0.04, 2)
        rate = np.asarray(MFA_PROFILES[mfa]["urban"]) + rng.uniform(-0.03, 0.03)
        for year, f in zip(years, fraction, strict=True):
            values = [v[0] + (v[1] - v[0]) * f + rng.normal(0.0, 0.004) for v in (urban, rural)]
            rows.append(
                (unit_id, year, *np.round(values, 4), round(rate[0] + (rate[1] - rate[0]) * f, 4))
            )
    return pd.DataFrame(
        rows, columns=["unit_id", "year", "engel_urban", "engel_rural", "urbanization_rate"]
    )


def city_ids(seeds: np.ndarray) -> np.ndarray:
    """Four synthetic cities: the quadrants of the unit seeds around their median point,
    numbered SYNC1 (north-west), SYNC2 (north-east), SYNC3 (south-west), SYNC4."""
    east = seeds[:, 0] > np.median(seeds[:, 0])
    south = seeds[:, 1] <= np.median(seeds[:, 1])
    return np.array([f"SYNC{1 + e + 2 * s}" for e, s in zip(east, south, strict=True)])


def city_intensity_table(
    units: pd.DataFrame, years: Sequence[int], rng: np.random.Generator
) -> pd.DataFrame:
    """Energy per 10^4 yuan of GDP per city and year: a random first-year value falling by a
    random per-city annual rate."""
    rows = []
    for city in sorted(units["city_id"].unique()):
        start = rng.uniform(*CITY_INTENSITY["start"])
        decline = rng.uniform(*CITY_INTENSITY["decline"])
        for year in years:
            rows.append((city, year, round(start * (1 - decline) ** (year - years[0]), 4)))
    return pd.DataFrame(rows, columns=["city_id", "year", "energy_intensity_tce_per_10k_yuan"])


def industrial_energy_table(
    gdp: pd.DataFrame, units: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Industrial energy (tce) per unit and year = GDP × the class's industrial intensity
    (moving linearly over the years) × a per-unit factor and a little noise."""
    mfa = units.set_index("unit_id")["mfa_class"]
    years = sorted(gdp["year"].unique())
    fraction = dict(zip(years, _year_fraction(years), strict=True))
    factor = {u: rng.uniform(0.8, 1.25) for u in sorted(gdp["unit_id"].unique())}
    rows = []
    for unit_id, year, value in gdp[["unit_id", "year", "gdp_10k_yuan"]].itertuples(index=False):
        per_gdp = _between(INDUSTRY_INTENSITY[mfa[unit_id]], fraction[year]) * factor[unit_id]
        rows.append((unit_id, year, round(value * per_gdp * rng.normal(1.0, 0.03), 1)))
    return pd.DataFrame(rows, columns=["unit_id", "year", "industrial_energy_tce"])


def agricultural_inputs_table(cropland_ha: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Agricultural inputs per unit and year from cropland (ha): sown area = cropland ×
    multiple-cropping index, inputs = sown area × rate per ha, irrigated area = cropland ×
    share, each moving linearly over the years, with a per-unit factor and a little noise."""
    years = sorted(cropland_ha["year"].unique())
    fraction = dict(zip(years, _year_fraction(years), strict=True))
    rows = []
    for unit_id, unit_rows in cropland_ha.groupby("unit_id", sort=True):
        factor = rng.uniform(0.85, 1.15)
        for year, cropland in unit_rows[["year", "cropland_ha"]].itertuples(index=False):
            f = fraction[year]
            sown = cropland * _between(MULTIPLE_CROPPING, f) * rng.normal(1.0, 0.02)
            inputs = [
                round(sown * _between(rate, f) * factor * rng.normal(1.0, 0.03), 1)
                for rate in INPUT_RATES.values()
            ]
            irrigated = cropland * min(_between(IRRIGATED_SHARE, f) * factor, 0.95)
            rows.append((unit_id, year, *inputs, round(sown, 1), round(irrigated, 1)))
    columns = [*INPUT_RATES, "sown_area_ha", "irrigated_area_ha"]
    return pd.DataFrame(rows, columns=["unit_id", "year", *columns])


STATISTICS_SORT_KEYS = {
    "gdp_deflator": ["year"],
    "city_energy_intensity": ["city_id", "year"],
    "energy": ["year", "fuel"],
    "crop_yield": ["unit_id", "year", "crop"],
}  # others: unit_id, year


def statistics_tables(
    units: pd.DataFrame,
    population: pd.DataFrame,
    cropland: pd.DataFrame,
    economy: Mapping[str, Mapping[int, float]],
    fuel_factors: Mapping[str, float],
    rng: Mapping[str, np.random.Generator],
) -> dict[str, pd.DataFrame]:
    """Every statistics table from the units (unit_id, mfa_class, city_id), population and
    cropland (unit_id, year, cropland_ha): GDP grows by
    ``economy['gdp_growth']``, the deflator by ``economy['inflation']``, and the region's
    construction emission is ``economy['emission_intensity']`` × GDP. Rows sorted."""
    years = sorted(population["year"].unique())
    gdp = gdp_table(population, units, economy["gdp_growth"], rng["stats"])
    total_gdp = gdp.groupby("year")["gdp_10k_yuan"].sum()
    emission = {year: economy["emission_intensity"][year] * total_gdp[year] for year in years}
    tables = {
        "gdp": gdp,
        "gdp_deflator": deflator_table(economy["inflation"], years[0]),
        "population": population,
        "energy": energy_table(emission, fuel_factors, rng["energy"]),
        "crop_yield": crop_yield_table(cropland, rng["crops"]),
        "engel": engel_table(units, years, rng["engel"]),
        "city_energy_intensity": city_intensity_table(units, years, rng["cities"]),
        "industrial_energy": industrial_energy_table(gdp, units, rng["industry"]),
        "agricultural_inputs": agricultural_inputs_table(cropland, rng["agriculture"]),
    }
    return {
        name: df.sort_values(STATISTICS_SORT_KEYS.get(name, ["unit_id", "year"])).reset_index(
            drop=True
        )
        for name, df in tables.items()
    }


def cropland_table(
    counts: Sequence[np.ndarray], unit_ids: Sequence[str], years: Sequence[int], ha_per_pixel: float
) -> pd.DataFrame:
    """Cropland area (ha) per unit and year from per-year pixel counts indexed
    [unit index + 1, land-cover code] (row 0 is outside every unit)."""
    return pd.DataFrame(
        [
            (unit_id, year, counts_year[i + 1, CROPLAND] * ha_per_pixel)
            for year, counts_year in zip(years, counts, strict=True)
            for i, unit_id in enumerate(unit_ids)
        ],
        columns=["unit_id", "year", "cropland_ha"],
    )
