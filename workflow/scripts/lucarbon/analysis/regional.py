"""Regional differences, distribution dynamics and development-strategy zoning of the units.

- Theil T index of an indicator y_i = X_i / W_i (e.g. emission per GDP), weighted by W:
  T = Σ_i s_i ln(s_i / v_i), s_i = X_i / X, v_i = W_i / W (Theil 1967), decomposed exactly
  into between and within MFA classes (Shorrocks 1980): T = T_between + T_within,
  T_between = Σ_g s_g ln(s_g / v_g), T_within = Σ_g s_g T_g.
- Gaussian kernel density of the units' values per year on one grid for all years, bandwidth by
  Silverman's rule of thumb h = 0.9 min(σ, IQR / 1.34) n^(−1/5) (Silverman 1986, eq. 3.31).
- Strategy zoning: each unit-year's compensation zone × ECC/ESC zone × MFA class mapped to a
  development-strategy label by the first matching row of a label table.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from lucarbon.core.io import InputError, read_table

# Denominators of an indicator: the result column (first one present) and its unit.
DENOMINATORS = {
    "gdp": (("gdp_constant_10k_yuan", "gdp_10k_yuan"), "10k_yuan"),
    "population": (("population_persons",), "person"),
    "land_area": (("land_area_ha",), "ha"),
}
SILVERMAN_FACTOR = 0.9
IQR_PER_SD = 1.34  # interquartile range of a normal distribution in standard deviations
GRID_MARGIN_BANDWIDTHS = 3.0
LABEL_COLUMNS = (
    "compensation_zone",
    "ecc_esc_zone",
    "mfa_class",
    "strategy",
    "name_en",
    "name_zh",
    "colour",
    "source",
    "confidence",
)
KEYS = ("compensation_zone", "ecc_esc_zone", "mfa_class")


def indicator(budget: pd.DataFrame, numerator: str, denominator: str, key: str) -> pd.DataFrame:
    """unit_id, year, mfa_class, x (the quantity, t C), w (the denominator, or 1 for 'none')
    and value = x / w per unit and year; ``attrs``: its unit (e.g. tC_per_10k_yuan) and its
    name (variable, e.g. emission_tC_per_10k_yuan)."""
    frame = budget[["unit_id", "year", "mfa_class"]].assign(x=budget[f"{numerator}_tC"])
    unit = "tC"
    if denominator == "none":
        frame["w"] = 1.0
    else:
        columns, per = DENOMINATORS[denominator]
        column = next((c for c in columns if c in budget), None)
        if column is None:
            raise InputError(
                f"config key {key}.denominator: {denominator!r} needs {columns[-1]}, "
                "which the budget table lacks (statistics not configured)."
            )
        frame["w"] = budget[column].to_numpy(dtype=float)
        unit = f"tC_per_{per}"
        bad = frame[~(frame["w"] > 0)]
        if len(bad):
            row = bad.iloc[0]
            raise InputError(
                f"config key {key}.denominator: {column} is {row['w']} for unit "
                f"{row['unit_id']} in {row['year']}; it must be positive."
            )
    frame["value"] = frame["x"] / frame["w"]
    frame.attrs.update(unit=unit, variable=f"{numerator}_{unit}")
    return frame


def theil_t(x: np.ndarray, w: np.ndarray) -> float:
    """Theil T index Σ s ln(s / v) of x's shares s against w's shares v (0 ln 0 = 0)."""
    from scipy.special import xlogy  # here: the other rules of this module need no scipy

    s, v = x / x.sum(), w / w.sum()
    return float(np.sum(xlogy(s, s) - xlogy(s, v)))


def theil_decomposition(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per year: the total Theil index, its between- and within-class parts and each class's
    own index and contribution s_g T_g (``frame`` from ``indicator``; x ≥ 0, w > 0)."""
    negative = frame[frame["x"] < 0]
    if len(negative):
        row = negative.iloc[0]
        raise InputError(
            f"config key {key}.numerator: the Theil index needs values ≥ 0, but unit "
            f"{row['unit_id']} has {row['x']:g} in {row['year']}; choose emission or absorption."
        )
    rows = []
    for year, rows_of_year in frame.groupby("year"):
        x, w = rows_of_year["x"].to_numpy(float), rows_of_year["w"].to_numpy(float)
        total = theil_t(x, w)
        groups = rows_of_year.groupby("mfa_class")
        xg, wg = groups["x"].sum(), groups["w"].sum()
        between = theil_t(xg.to_numpy(), wg.to_numpy())
        parts = []
        for mfa_class, members in groups:
            share = members["x"].sum() / x.sum()
            if share == 0:  # no quantity in the class: its index is undefined, its weight 0
                parts.append((year, "class", mfa_class, np.nan, 0.0))
                continue
            own = theil_t(members["x"].to_numpy(float), members["w"].to_numpy(float))
            parts.append((year, "class", mfa_class, own, share * own))
        within = sum(p[-1] for p in parts)
        rows += [
            (year, "total", "", total, total),
            (year, "between", "", between, between),
            (year, "within", "", within, within),
            *parts,
        ]
    out = pd.DataFrame(rows, columns=["year", "part", "mfa_class", "theil_index", "contribution"])
    totals = out.loc[out["part"] == "total"].set_index("year")["contribution"]
    out["share_of_total"] = out["contribution"] / out["year"].map(totals).replace(0, np.nan)
    return out.assign(variable=frame.attrs["variable"])[["year", "variable", *out.columns[1:]]]


def silverman_bandwidth(values: np.ndarray) -> float:
    """h = 0.9 min(σ, IQR / 1.34) n^(−1/5), σ the sample standard deviation (σ alone when
    the IQR is 0); 0 when all values are equal."""
    sd = float(np.std(values, ddof=1))
    q75, q25 = np.percentile(values, [75, 25])
    spread = min(sd, (q75 - q25) / IQR_PER_SD) if q75 > q25 else sd
    return SILVERMAN_FACTOR * spread * len(values) ** (-1 / 5)


def gaussian_density(values: np.ndarray, grid: np.ndarray, bandwidth: float) -> np.ndarray:
    """(1 / (n h)) Σ_i φ((grid − v_i) / h), φ the standard normal density."""
    z = (grid[:, None] - values[None, :]) / bandwidth
    return np.exp(-0.5 * z**2).sum(axis=1) / (len(values) * bandwidth * np.sqrt(2 * np.pi))


def kernel_densities(frame: pd.DataFrame, grid_points: int) -> tuple[pd.DataFrame, list[int]]:
    """Density of the units' values per year on one grid (the range of all years' values
    widened by 3 of the largest bandwidth); the years left out (fewer than two distinct
    values: no bandwidth)."""
    years = {year: rows["value"].to_numpy(float) for year, rows in frame.groupby("year")}
    bandwidths = {
        year: silverman_bandwidth(v) for year, v in years.items() if len(np.unique(v)) > 1
    }
    skipped = sorted(set(years) - set(bandwidths))
    if not bandwidths:
        return pd.DataFrame(), skipped
    margin = GRID_MARGIN_BANDWIDTHS * max(bandwidths.values())
    values = np.concatenate(list(years.values()))
    grid = np.linspace(values.min() - margin, values.max() + margin, grid_points)
    unit = frame.attrs["unit"]
    tables = [
        pd.DataFrame(
            {
                "year": year,
                "variable": frame.attrs["variable"],
                f"value_{unit}": grid,
                f"density_per_{unit}": gaussian_density(years[year], grid, h),
                f"bandwidth_{unit}": h,
                "units": len(years[year]),
            }
        )
        for year, h in bandwidths.items()
    ]
    return pd.concat(tables, ignore_index=True), skipped


def read_strategy_labels(path: str | os.PathLike) -> pd.DataFrame:
    """The strategy label table (first matching row wins; '*' matches anything, 'a|b' either)."""
    return read_table(path, LABEL_COLUMNS, dtypes=str)


def _matches(pattern: str, value) -> bool:
    return pattern == "*" or str(value) in pattern.split("|")


def strategy_zoning(
    budget: pd.DataFrame, compensation: pd.DataFrame, labels: pd.DataFrame, path: str
) -> pd.DataFrame:
    """Per unit and year: compensation zone, ECC/ESC zone, MFA class and the strategy of the
    first row of ``labels`` matching all three."""
    zones = budget[["unit_id", "year", "mfa_class", "ecc_esc_zone"]].merge(
        compensation[["unit_id", "year", "zone"]].rename(columns={"zone": "compensation_zone"}),
        on=["unit_id", "year"],
    )
    rules = list(labels[[*KEYS, "strategy"]].itertuples(index=False))
    strategies = []
    for row in zones[list(KEYS)].itertuples(index=False):
        found = next((r.strategy for r in rules if all(map(_matches, r[: len(KEYS)], row))), None)
        if found is None:
            combination = ", ".join(f"{k} {v!r}" for k, v in zip(KEYS, row, strict=True))
            raise InputError(f"{path}: no row matches {combination}; add one (or a '*' row).")
        strategies.append(found)
    names = labels.drop_duplicates("strategy").set_index("strategy")
    out = zones.assign(strategy=strategies)
    out["strategy_name_en"] = out["strategy"].map(names["name_en"])
    out["strategy_name_zh"] = out["strategy"].map(names["name_zh"])
    columns = ["unit_id", "year", *KEYS, "strategy", "strategy_name_en", "strategy_name_zh"]
    return out[columns].sort_values(["unit_id", "year"]).reset_index(drop=True)
