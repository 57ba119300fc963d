"""Classes of value maps: breaks computed from the data of all years at once (so every
panel of a figure shares them) as mapclassify computes them (lucarbon.core.classify, bit for bit),
rounded to two significant digits, with a ColorBrewer sequential or diverging colour per class.

Schemes (config ``figures.class_scheme``): ``fisher_jenks``, Fisher-Jenks natural breaks
(mapclassify.FisherJenks; classes follow the gaps of the data, so a few high values get a
class of their own instead of widening the top class until later years saturate it), or
``quantiles`` (mapclassify.Quantiles; equal numbers of values per class)."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap

from lucarbon.core.classify import fisher_jenks, quantiles

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
SCHEMES = ("fisher_jenks", "quantiles")
# Fisher-Jenks costs O(k n²) (seconds for a few thousand values without numba): larger sets
# are classified by this many of their quantiles, evenly spaced (min and max included), a
# deterministic sample of the distribution (mapclassify.FisherJenksSampled draws at random).
MAX_FISHER_JENKS_VALUES = 500


def round_sig(x: float, digits: int = 2, how=round) -> float:
    """``x`` rounded to ``digits`` significant digits by ``how`` (round, math.floor, math.ceil)."""
    if x == 0 or not math.isfinite(x):
        return x
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(x))))
    return how(x * scale) / scale


def inner_breaks(values: np.ndarray, n_classes: int, scheme: str) -> np.ndarray:
    """The breaks between at most ``n_classes`` classes of ``values`` (finite, at least one)
    by ``scheme`` (see the module docstring), unrounded: the classes' upper bounds but the
    last."""
    k = min(n_classes, np.unique(values).size)
    if k < 2:
        return np.array([])
    if scheme == "quantiles":
        return quantiles(values, k)[:-1]  # mapclassify.Quantiles, see lucarbon.core.classify
    if scheme != "fisher_jenks":
        raise ValueError(f"class scheme {scheme!r} is not one of {SCHEMES}")
    if values.size > MAX_FISHER_JENKS_VALUES:
        values = np.quantile(values, np.linspace(0, 1, MAX_FISHER_JENKS_VALUES))
    return fisher_jenks(values, k)[:-1]  # mapclassify.FisherJenks


def finite(values: np.ndarray) -> np.ndarray:
    """The finite values, as floats (missing values are left out of the classes)."""
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def sequential_breaks(values: np.ndarray, n_classes: int, scheme: str) -> np.ndarray:
    """Class breaks of all values by ``scheme``, rounded to 2 significant digits; the lowest
    rounded down and the highest up so that every value falls in a class."""
    values = finite(values)
    low, high = round_sig(values.min(), how=math.floor), round_sig(values.max(), how=math.ceil)
    rounded = (round_sig(b) for b in inner_breaks(values, n_classes, scheme))
    breaks = sorted({low, high, *(b for b in rounded if low < b < high)})
    if len(breaks) == 1:  # all values equal: one class around them
        breaks.append(breaks[0] + max(abs(breaks[0]), 1.0))
    return np.array(breaks)


def diverging_breaks(values: np.ndarray, n_classes: int, scheme: str) -> np.ndarray:
    """Breaks at 0 and between classes of the negative and of the positive values by
    ``scheme`` (half the classes on each side), rounded to 2 significant digits, the
    extremes rounded outwards."""
    values = finite(values)
    side_classes = math.ceil(n_classes / 2)
    breaks = {0.0}
    for part, extreme in ((values[values < 0], math.floor), (values[values > 0], math.ceil)):
        if part.size:
            end = round_sig(part.min() if extreme is math.floor else part.max(), how=extreme)
            rounded = (round_sig(b) for b in inner_breaks(part, side_classes, scheme))
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


def classed_colours(column: str, values: np.ndarray, n_classes: int, scheme: str):
    """Breaks (by ``scheme``), colour map and norm for mapping ``column``: diverging around 0
    for signed quantities, sequential for the others."""
    name = COLOURMAPS.get(column, "viridis")
    if column in DIVERGING:
        breaks = diverging_breaks(values, n_classes, scheme)
        cmap = diverging_colormap(breaks, name)
    else:
        breaks = sequential_breaks(values, n_classes, scheme)
        cmap = ListedColormap(colormaps[name](np.linspace(0.15, 1.0, len(breaks) - 1)))
    return breaks, cmap, BoundaryNorm(breaks, cmap.N, clip=True)  # top break in top class


def format_break(value: float) -> str:
    """A class break as printed on legends: thousands separated, no trailing zeros, a minus
    sign (U+2212) rather than a hyphen."""
    return f"{value:,.10g}".replace("-", MINUS)
