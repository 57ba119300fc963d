"""Classes of value maps: breaks computed from the data of all years at once (so every
panel of a figure shares them), rounded to two significant digits, with a ColorBrewer
sequential or diverging colour per class."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap

COLOURMAPS = {
    "emission_tC": "YlOrBr",
    "absorption_tC": "YlGn",
    "net_emission_tC": "PuOr_r",
    "emission_intensity_gdp_tC_per_10k_yuan": "PuRd",
    "emission_intensity_area_tC_per_ha": "PuRd",
    "value_yuan": "RdBu_r",
    "value_modified_yuan": "RdBu_r",
}
DIVERGING = {"net_emission_tC", "value_yuan", "value_modified_yuan"}
MINUS = "\u2212"  # the minus sign of printed numbers


def round_sig(x: float, digits: int = 2, how=round) -> float:
    """``x`` rounded to ``digits`` significant digits by ``how`` (round, math.floor, math.ceil)."""
    if x == 0 or not math.isfinite(x):
        return x
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(x))))
    return how(x * scale) / scale


def sequential_breaks(values: np.ndarray, n_classes: int) -> np.ndarray:
    """Quantile class breaks of all values, rounded to 2 significant digits; the lowest
    rounded down and the highest up so that every value falls in a class."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    inner = np.quantile(values, np.linspace(0, 1, n_classes + 1)[1:-1])
    low, high = round_sig(values.min(), how=math.floor), round_sig(values.max(), how=math.ceil)
    breaks = sorted({low, high, *(round_sig(q) for q in inner if low < round_sig(q) < high)})
    if len(breaks) == 1:  # all values equal: one class around them
        breaks.append(breaks[0] + max(abs(breaks[0]), 1.0))
    return np.array(breaks)


def diverging_breaks(values: np.ndarray, n_classes: int) -> np.ndarray:
    """Breaks at 0 and at quantiles of the negative and of the positive values (half the
    classes on each side), rounded to 2 significant digits, the extremes rounded outwards."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    inner = np.linspace(0, 1, math.ceil(n_classes / 2) + 1)[1:-1]
    breaks = {0.0}
    for part, extreme in ((values[values < 0], math.floor), (values[values > 0], math.ceil)):
        if part.size:
            end = round_sig(part.min() if extreme is math.floor else part.max(), how=extreme)
            rounded = (round_sig(q) for q in np.quantile(part, inner))
            breaks |= {end, *(b for b in rounded if 0 < b / end < 1)}
    if len(breaks) == 1:  # all values 0
        breaks.add(1.0)
    return np.array(sorted(breaks))


def diverging_colormap(breaks: np.ndarray, name: str) -> ListedColormap:
    """One colour per class from ``name``: the lower half for classes below 0, the upper half
    above 0, pale next to 0, so the sign shows even where one side has few classes."""
    base = colormaps[name]
    centres = (breaks[:-1] + breaks[1:]) / 2
    n_neg, n_pos = int((centres < 0).sum()), int((centres >= 0).sum())
    colours = [base(x) for x in np.linspace(0.0, 0.42, n_neg)]
    colours += [base(x) for x in np.linspace(0.58, 1.0, n_pos)]
    return ListedColormap(colours)


def classed_colours(column: str, values: np.ndarray, n_classes: int):
    """Breaks, colour map and norm for mapping ``column``: diverging around 0 for signed
    quantities, sequential quantiles for the others."""
    name = COLOURMAPS.get(column, "viridis")
    if column in DIVERGING:
        breaks = diverging_breaks(values, n_classes)
        cmap = diverging_colormap(breaks, name)
    else:
        breaks = sequential_breaks(values, n_classes)
        cmap = ListedColormap(colormaps[name](np.linspace(0.15, 1.0, len(breaks) - 1)))
    return breaks, cmap, BoundaryNorm(breaks, cmap.N, clip=True)  # top break in top class


def format_break(value: float) -> str:
    """A class break as printed on legends: thousands separated, no trailing zeros, a minus
    sign (U+2212) rather than a hyphen."""
    return f"{value:,.10g}".replace("-", MINUS)
