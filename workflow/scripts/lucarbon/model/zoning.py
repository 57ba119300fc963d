"""Compensation zoning schemes: which units pay, which receive, and how strongly.

Every scheme zones the compensation value the figures draw (the modified value when a
modification is configured, else the plain value, ΔC × price); see docs/method.md §6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lucarbon.core.classify import fisher_jenks

BASIC_ZONES = ("payment", "balanced", "receiving")
GRADED_ZONES = (
    "strong_payment",
    "weak_payment",
    "balanced",
    "weak_receiving",
    "strong_receiving",
)
SCHEMES = ("natural_breaks", "sign", "fair_share_band", "sd_band")


@dataclass(frozen=True)
class Zoning:
    """A zoning scheme and its parameters (config ``compensation.zoning``)."""

    scheme: str = "natural_breaks"
    tolerance: float = 1e-9  # balanced: |V| ≤ tolerance × max |V| of the year
    fair_share_band: float = 0.1  # fair_share_band: balanced if |ΔC| ≤ this × |T|
    sd_fraction: float = 0.5  # sd_band: balanced if |V| ≤ this × SD of V


def zone_names(zones) -> tuple[str, ...]:
    """The zones of the scheme that produced ``zones`` (graded or payment/balanced/receiving)."""
    return GRADED_ZONES if set(zones) - set(BASIC_ZONES) else BASIC_ZONES


def by_band(value: pd.Series, band: pd.Series) -> np.ndarray:
    """payment above +band, receiving below −band, balanced in between."""
    return np.select([value > band, value < -band], ["payment", "receiving"], "balanced")


def year_max_abs(value: pd.Series, year: pd.Series) -> pd.Series:
    """The largest |value| of each row's year (the scale of the round-off tolerance)."""
    return value.abs().groupby(year).transform("max")


def graded(value: pd.Series, year: pd.Series, tolerance: float) -> np.ndarray:
    """Sign first (balanced only within the tolerance), then per year and side the Fisher-Jenks
    natural breaks of |V| into two classes: the upper class strong, the lower weak."""
    sign = by_band(value, tolerance * year_max_abs(value, year))
    out = sign.astype(object)
    magnitudes, years = value.abs().to_numpy(dtype=float), year.to_numpy()
    for side in ("payment", "receiving"):
        on_side = sign == side
        for one_year in np.unique(years[on_side]):
            rows = np.flatnonzero(on_side & (years == one_year))
            magnitude = magnitudes[rows]
            strong = np.ones(rows.size, dtype=bool)
            if np.unique(magnitude).size > 1:  # the upper of FisherJenks(k=2)'s classes
                strong = magnitude > fisher_jenks(magnitude, 2)[0]
            out[rows] = np.where(strong, f"strong_{side}", f"weak_{side}")
    return out


def zone(table: pd.DataFrame, value_column: str, zoning: Zoning) -> np.ndarray:
    """The zone of every row of ``table`` (unit_id, year, delta_c_tC, fair_share_tC and
    ``value_column``) under ``zoning``."""
    value, year = table[value_column], table["year"]
    if zoning.scheme == "natural_breaks":
        return graded(value, year, zoning.tolerance)
    if zoning.scheme == "sign":
        return by_band(value, zoning.tolerance * year_max_abs(value, year))
    if zoning.scheme == "fair_share_band":
        # |ΔC| against the unit's own fair share; the value is ΔC × a positive factor, so
        # testing ΔC gives the zones of the value drawn.
        return by_band(table["delta_c_tC"], zoning.fair_share_band * table["fair_share_tC"].abs())
    if zoning.scheme == "sd_band":
        return by_band(value, zoning.sd_fraction * value.groupby(year).transform("std", ddof=0))
    raise ValueError(f"unknown zoning scheme {zoning.scheme!r}")
