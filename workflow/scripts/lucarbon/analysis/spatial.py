"""Spatial autocorrelation of unit values with PySAL: global Moran's I, local Moran (LISA)
clusters and Getis-Ord Gi* hot and cold spots, with seeded permutation pseudo p-values.

Weights are queen (or rook) contiguity of the unit polygons, row-standardised. A unit
without neighbours (an island) gets no local statistic: its class is ``no_neighbours``.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import warnings
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from libpysal.weights import W

log = logging.getLogger(__name__)

# esda's quadrant codes of Moran_Local.q
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
LISA_CLASSES = ("HH", "LL", "HL", "LH", "not_significant", "no_neighbours")
NOT_SIGNIFICANT, NO_NEIGHBOURS = "not_significant", "no_neighbours"


@functools.cache
def pysal() -> tuple[ModuleType, ModuleType]:
    """esda and libpysal.weights, imported on first use (2 CPU-s: not for the figure rules,
    which need only the class names) as if numba were not installed. With numba, esda
    compiles its permutation inference in every process at the first call (no cache: 17-20
    CPU-s, against 0.01 s for the numpy path on a county study) and draws other
    permutations, so the seeded pseudo p-values would depend on whether numba happens to be
    installed."""
    saved = sys.modules.get("numba")
    sys.modules["numba"] = None  # makes `import numba` raise ImportError
    try:
        import esda
        from libpysal import weights
    finally:
        if saved is None:
            del sys.modules["numba"]
        else:
            sys.modules["numba"] = saved
    return esda, weights


def contiguity_weights(units: gpd.GeoDataFrame, contiguity: str) -> W:
    """Binary queen or rook contiguity between unit polygons, ids = unit_id in table order."""
    _, weights = pysal()
    builder = {"queen": weights.Queen, "rook": weights.Rook}[contiguity]
    with warnings.catch_warnings():  # islands are reported below, once
        warnings.simplefilter("ignore", UserWarning)
        w = builder.from_dataframe(units, ids=units["unit_id"].tolist(), use_index=False)
    if w.islands:
        log.warning("units without %s neighbours (no local statistics): %s", contiguity, w.islands)
    return w


def row_standardised(w: W) -> W:
    """A row-standardised copy of ``w`` (islands keep an empty row)."""
    _, weights = pysal()
    out = weights.W(w.neighbors, w.weights, id_order=w.id_order, silence_warnings=True)
    out.transform = "r"
    return out


def with_self(w: W) -> W:
    """``w`` with each unit its own neighbour (weight 1): the neighbourhood of Gi*."""
    neighbours = {i: [i, *w.neighbors[i]] for i in w.id_order}
    _, weights = pysal()
    return weights.W(neighbours, id_order=w.id_order, silence_warnings=True)


def hotspot_classes(levels: Sequence[float]) -> list[str]:
    """Hot/cold spot class names for the confidence levels, hottest first, coldest last."""
    names = [f"{100 * level:.0f}" for level in sorted(levels, reverse=True)]
    return [*(f"hot_{n}" for n in names), NOT_SIGNIFICANT, *(f"cold_{n}" for n in names[::-1])]


@contextlib.contextmanager
def _quiet_esda() -> Iterator[ModuleType]:
    """Silence what esda says on every call, which is not news: that the default alternative
    of its conditional permutations will change in a later release (esda 2.9 is pinned: p_sim
    is its folded one-sided pseudo p), and the 0/0 of islands (their statistics are blanked).
    Yields esda."""
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.filterwarnings("ignore", "The alternative hypothesis", DeprecationWarning)
        yield pysal()[0]


def global_moran(y: np.ndarray, w: W, permutations: int, seed: int) -> dict:
    """Moran's I with its expectation, the z-score against the permutation distribution and
    the pseudo p-value (esda draws from numpy's global generator, seeded here)."""
    np.random.seed(seed)
    with _quiet_esda() as esda:
        moran = esda.Moran(y, row_standardised(w), permutations=permutations)
    return {"moran_I": moran.I, "expected_I": moran.EI, "z": moran.z_sim, "p_sim": moran.p_sim}


def local_moran(y: np.ndarray, w: W, permutations: int, seed: int, alpha: float) -> pd.DataFrame:
    """Local Moran's I per unit, its quadrant (HH, LH, LL, HL), pseudo p-value and cluster:
    the quadrant where p ≤ ``alpha``, else not significant; islands have none."""
    with _quiet_esda() as esda:
        lisa = esda.Moran_Local(
            y, row_standardised(w), permutations=permutations, seed=seed, n_jobs=1
        )
    out = pd.DataFrame(
        {
            "unit_id": w.id_order,
            "local_I": lisa.Is,
            "quadrant": [QUADRANTS[q] for q in lisa.q],
            "p_sim": lisa.p_sim,
        }
    )
    out["cluster"] = np.where(out["p_sim"] <= alpha, out["quadrant"], NOT_SIGNIFICANT)
    return _mask_islands(out, w, ["local_I", "quadrant", "p_sim"])


def getis_ord(
    y: np.ndarray, w: W, permutations: int, seed: int, levels: Sequence[float]
) -> pd.DataFrame:
    """Getis-Ord Gi* per unit (the unit in its own neighbourhood, row-standardised), its
    z-score, pseudo p-value and class: hot or cold spot at the highest confidence level
    reached (p ≤ 1 − level), else not significant.

    esda's G is Σ_j w_ij y_j / Σ_j y_j, whose z-score changes sign with Σ y (e.g. net
    emissions summing to less than 0): z is multiplied by sign(Σ y) so that z > 0 always
    means high values cluster around the unit.
    """
    with _quiet_esda() as esda:
        g = esda.G_Local(
            y,
            with_self(w),
            transform="R",
            permutations=permutations,
            star=True,
            seed=seed,
            n_jobs=1,
        )
    z = g.Zs * np.sign(y.sum())
    out = pd.DataFrame({"unit_id": w.id_order, "gi_star": g.Gs, "z": z, "p_sim": g.p_sim})
    out["hotspot"] = NOT_SIGNIFICANT
    for level in sorted(levels):  # the highest level reached wins
        name = f"{100 * level:.0f}"
        reached = out["p_sim"] <= 1 - level
        out.loc[reached & (z > 0), "hotspot"] = f"hot_{name}"
        out.loc[reached & (z < 0), "hotspot"] = f"cold_{name}"
    return _mask_islands(out, w, ["gi_star", "z", "p_sim"], "hotspot")


def _mask_islands(
    table: pd.DataFrame, w: W, columns: list[str], label: str = "cluster"
) -> pd.DataFrame:
    """Blank the statistics of units without neighbours and class them ``no_neighbours``."""
    island = table["unit_id"].isin(w.islands)
    table[columns] = table[columns].astype(object).where(~island, None)
    table.loc[island, label] = NO_NEIGHBOURS
    return table


def autocorrelation(
    budget: pd.DataFrame, w: W, variables: Sequence[str], settings: Mapping
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Global Moran, LISA and Gi* tables for each variable and year of ``budget``.

    ``settings`` is the config's ``spatial`` section: permutations, seed, significance
    (of LISA clusters) and confidence_levels (of hot and cold spots). A variable that does
    not vary across units in a year has no statistic (logged and left out).
    """
    perms, seed = settings["permutations"], settings["seed"]
    global_rows, lisa, hot = [], [], []
    for variable in variables:
        for year, rows in budget.groupby("year", sort=True):
            y = rows.set_index("unit_id")[variable].reindex(w.id_order).to_numpy(dtype=float)
            if np.isnan(y).any() or np.ptp(y) == 0:
                log.warning(
                    "%s in %s: missing or constant across units, no statistic", variable, year
                )
                continue
            keys = {"variable": variable, "year": year}
            global_rows.append(keys | global_moran(y, w, perms, seed))
            local = local_moran(y, w, perms, seed, settings["significance"])
            lisa.append(local.assign(**keys, value=y))
            hot.append(getis_ord(y, w, perms, seed, settings["confidence_levels"]).assign(**keys))
    keys = ["unit_id", "year", "variable"]
    lisa_table = pd.concat(lisa)[[*keys, "value", "local_I", "quadrant", "p_sim", "cluster"]]
    hot_table = pd.concat(hot)[[*keys, "gi_star", "z", "p_sim", "hotspot"]]
    return (
        pd.DataFrame(global_rows)[["variable", "year", "moran_I", "expected_I", "z", "p_sim"]],
        lisa_table.reset_index(drop=True),
        hot_table.reset_index(drop=True),
    )
