"""Land-use figures: composition per year and transition matrices between consecutive years."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.patches import Patch

from lucarbon.core.conversions import M2_PER_HA
from lucarbon.figures.labels import Labels
from lucarbon.figures.style import (
    bar_offsets,
    landuse_colours,
    stacked_bars,
    year_axis_width,
    year_ticks,
)

HA_PER_KM2 = 1e6 / M2_PER_HA
MATRICES_PER_ROW = 4
COMPOSITION_PANEL_IN = 4.5  # least width of each composition panel; wider for many years
LEGEND_IN = 2.0


def landuse_composition(areas: pd.DataFrame, types: pd.DataFrame, labels: Labels) -> plt.Figure:
    """Stacked bars of the study area by land-use type per year (km²), and each type's
    change since the first year (km²), which the stacked bars are too coarse to show."""
    order = types["landuse"].tolist()
    colours = landuse_colours(order)
    wide = (
        areas.pivot_table(index="year", columns="landuse", values="area_ha", aggfunc="sum")
        .reindex(columns=order, fill_value=0.0)
        .fillna(0.0)
        / HA_PER_KM2
    )
    years = wide.index.to_numpy()
    x = np.arange(len(years))
    width = 2 * year_axis_width(len(years), COMPOSITION_PANEL_IN) + LEGEND_IN
    fig, (left, right) = plt.subplots(1, 2, figsize=(width, 4.6), layout="constrained")
    names = {landuse: labels.name("landuse", landuse) for landuse in order}
    stacked_bars(left, x, wide, colours, names)
    year_ticks(left, x, years)
    left.set_ylabel(f"{labels('area')} ({labels('unit_km2')})")
    left.set_title(labels("landuse_composition"))
    change = (wide - wide.iloc[0]).iloc[1:]
    offsets, width = bar_offsets(len(order))
    for offset, landuse in zip(offsets, order, strict=True):
        right.bar(x[1:] + offset, change[landuse], width, color=colours[landuse])
    right.axhline(0, color="0.4", lw=0.8)
    year_ticks(right, x[1:], years[1:])
    right.set_ylabel(f"{labels('area')} ({labels('unit_km2')})")
    right.set_title(labels("change_since", year=years[0]))
    handles = [Patch(color=colours[t], label=names[t]) for t in order]
    fig.legend(handles=handles, loc="outside right center", frameon=False)
    return fig


def landuse_transitions(
    transitions: pd.DataFrame, types: pd.DataFrame, labels: Labels
) -> plt.Figure:
    """One from → to matrix (km², summed over units) per period. Off-diagonal cells (area
    that changed type) share one colour scale across periods; the diagonal (unchanged area)
    is grey, every cell is labelled with its area."""
    order = types["landuse"].tolist()
    names = [labels.name("landuse", t) for t in order]
    periods = sorted(set(zip(transitions["year_from"], transitions["year_to"], strict=True)))
    matrices = {
        period: rows.pivot_table(
            index="landuse_from", columns="landuse_to", values="area_ha", aggfunc="sum"
        )
        .reindex(index=order, columns=order)
        .fillna(0.0)
        .to_numpy()
        / HA_PER_KM2
        for period, rows in transitions.groupby(["year_from", "year_to"])
    }
    off = ~np.eye(len(order), dtype=bool)
    norm = Normalize(0, max(m[off].max() for m in matrices.values()) or 1.0)
    ncols = min(len(periods), MATRICES_PER_ROW)
    nrows = math.ceil(len(periods) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.4 * ncols + 1.2, 3.8 * nrows + 0.8),
        squeeze=False,
        layout="constrained",
        sharex=True,
        sharey=True,
    )
    cmap = plt.get_cmap("YlOrRd")
    for ax, period in zip(axes.flat, periods, strict=False):
        matrix = matrices[period]
        ax.imshow(np.where(off, matrix, np.nan), cmap=cmap, norm=norm)
        ax.imshow(np.where(off, np.nan, 1.0), cmap="Greys", vmin=0, vmax=4)
        for (i, j), value in np.ndenumerate(matrix):
            dark = off[i, j] and norm(value) > 0.6
            ax.text(
                j,
                i,
                _area_text(value),
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "black",
            )
        ax.set_title(f"{period[0]} → {period[1]}", fontsize=10)
        ax.set_xticks(range(len(order)), names, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(order)), names, fontsize=8)
    used = axes.flat[: len(periods)]
    for ax in axes.flat[len(periods) :]:
        ax.remove()  # an incomplete last row: no empty panels, and none passed to the colorbar
    for ax in axes[:, 0]:
        ax.set_ylabel(labels("from"))
    for column in range(ncols):  # the lowest panel drawn in each column
        axes[(len(periods) - 1 - column) // ncols, column].set_xlabel(labels("to"))
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=list(used), shrink=0.8)
    bar.set_label(f"{labels('area')} ({labels('unit_km2')}); {labels('unchanged')}")
    fig.suptitle(labels("landuse_transitions"))
    return fig


def _area_text(km2: float) -> str:
    """A cell's area, short enough for a matrix cell: '1,754', '21.4', '0.69', or blank."""
    if not km2:
        return ""
    return f"{km2:,.0f}" if km2 >= 100 else f"{km2:.3g}"
