"""Spatial-statistics figures: global Moran's I over the years, LISA cluster and Gi* hot-spot
maps (variables × years), centres of gravity with their standard deviational ellipses."""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse

from lucarbon.figures.labels import Labels
from lucarbon.figures.maps import (
    MAX_COLUMNS,
    category_legend,
    decorate,
    draw_categories,
    draw_units,
    map_grid,
)
from lucarbon.figures.style import CATEGORY_COLOURS, LINE_COLOURS, year_colours, year_ticks

M_PER_KM = 1000.0
BASE_FILL = "0.93"
MARKERS = "os^D"
ROW_LABEL = {"rotation": 90, "ha": "right", "va": "center", "fontsize": 9}


def moran_over_years(
    moran: pd.DataFrame, alpha: float, permutations: int, labels: Labels
) -> plt.Figure:
    """Moran's I per variable and year (filled where the pseudo p ≤ ``alpha``), with its
    expectation under no autocorrelation; and the pseudo p-values against ``alpha``."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
    variables = list(dict.fromkeys(moran["variable"]))
    for i, variable in enumerate(variables):
        rows = moran[moran["variable"] == variable]
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        significant = rows["p_sim"] <= alpha
        left.plot(rows["year"], rows["moran_I"], "-", color=colour, label=labels(variable))
        for ax, column in ((left, "moran_I"), (right, "p_sim")):
            ax.scatter(
                rows["year"],
                rows[column],
                s=36,
                zorder=3,
                edgecolor=colour,
                facecolor=np.where(significant, colour, "white"),
            )
        right.plot(rows["year"], rows["p_sim"], "-", color=colour)
    left.plot(
        moran["year"].drop_duplicates(),
        moran.drop_duplicates("year")["expected_I"],
        ":",
        color="0.3",
        label="E[I]",
    )
    left.axhline(0, color="0.6", lw=0.8)
    left.set_ylabel(labels("moran_i"))
    left.set_title(f"{labels('moran_title')} ({labels('significant', alpha=alpha)})")
    right.set_yscale("log")
    right.axhline(alpha, color="0.3", lw=0.8, ls="--")
    right.text(
        right.get_xlim()[0],
        alpha,
        " " + labels("significance", alpha=alpha),
        va="bottom",
        fontsize=8,
    )
    right.set_ylabel(labels("p_sim", permutations=permutations))
    years = sorted(moran["year"].unique())
    for ax in (left, right):
        year_ticks(ax, years, years)
        ax.set_xlabel(labels("year"))
    fig.legend(*left.get_legend_handles_labels(), loc="outside right center", frameon=False)
    return fig


def class_maps(
    units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    column: str,
    classes: list[str],
    title: str,
    labels: Labels,
) -> plt.Figure:
    """One map per variable and year of a class column of ``table``: a block of rows per
    variable, its years left to right in rows of at most MAX_COLUMNS (variable_year_grid)."""
    variables = list(dict.fromkeys(table["variable"]))
    years = sorted(table["year"].unique())
    nrows, ncols, cells = variable_year_grid(len(variables), len(years))
    fig, grid = map_grid(units, nrows * ncols, ncols=ncols)
    used = [grid[row * ncols + col] for row, col in cells]
    for ax in set(grid) - set(used):
        ax.remove()  # the rest of a variable's last row
    panels = iter(used)
    for i, variable in enumerate(variables):
        for j, year in enumerate(years):
            ax = next(panels)
            rows = table[(table["variable"] == variable) & (table["year"] == year)]
            draw_categories(
                ax,
                units,
                rows.set_index("unit_id")[column],
                CATEGORY_COLOURS,
                str(year) if i == 0 else "",  # the first block names the years
            )
            if j % ncols == 0:
                ax.text(-0.04, 0.5, labels(variable), transform=ax.transAxes, **ROW_LABEL)
    decorate(used[0], units)
    present = [c for c in classes if c in set(table[column])]
    category_legend(fig, present, CATEGORY_COLOURS, labels)
    fig.suptitle(title)
    return fig


def variable_year_grid(
    n_variables: int, n_years: int, max_columns: int = MAX_COLUMNS
) -> tuple[int, int, list[tuple[int, int]]]:
    """Rows, columns and the (row, column) of each variable's panel of each year (variable
    by variable, year by year): every variable a block of rows, its years left to right in
    at most ``max_columns`` columns."""
    ncols = min(n_years, max_columns)
    block = math.ceil(n_years / ncols)
    cells = [
        (v * block + y // ncols, y % ncols) for v in range(n_variables) for y in range(n_years)
    ]
    return n_variables * block, ncols, cells


def gravity_centres(units: gpd.GeoDataFrame, centres: pd.DataFrame, labels: Labels) -> plt.Figure:
    """Per variable, the units with each year's standard deviational ellipse and centre; a
    last panel zooms on the centres' paths (km)."""
    variables = list(dict.fromkeys(centres["variable"]))
    years = sorted(centres["year"].unique())
    year_colour = year_colours(years)
    fig, axes = map_grid(units, len(variables) + 1)
    for ax, variable in zip(axes, variables, strict=False):
        draw_units(ax, units, [BASE_FILL] * len(units), labels(variable))
        rows = centres[centres["variable"] == variable]
        for row in rows.itertuples():
            ax.add_patch(
                Ellipse(
                    (row.x_m, row.y_m),
                    2 * row.sd_major_m,
                    2 * row.sd_minor_m,
                    angle=90 - row.rotation_deg_from_north,
                    fill=False,
                    edgecolor=year_colour[row.year],
                    lw=1.2,
                )
            )
        ax.plot(rows["x_m"], rows["y_m"], "-", color="0.2", lw=0.8)
        ax.scatter(rows["x_m"], rows["y_m"], s=12, c=rows["year"].map(year_colour), zorder=3)
    decorate(axes[0], units)
    zoom = axes[-1]
    for i, variable in enumerate(variables):
        rows = centres[centres["variable"] == variable]
        x, y = rows["x_m"] / M_PER_KM, rows["y_m"] / M_PER_KM
        zoom.plot(x, y, "-", color=LINE_COLOURS[i], lw=1, marker=MARKERS[i % len(MARKERS)], ms=0)
        zoom.scatter(
            x,
            y,
            c=rows["year"].map(year_colour),
            marker=MARKERS[i % len(MARKERS)],
            s=28,
            edgecolor=LINE_COLOURS[i],
            zorder=3,
        )
    zoom.set_aspect("equal", adjustable="datalim")
    zoom.margins(0.25)
    zoom.set_xlabel(labels("easting"), fontsize=8)
    zoom.set_ylabel(labels("northing"), fontsize=8)
    zoom.tick_params(labelsize=7)
    zoom.set_title(labels("gravity_shift"), fontsize=10)
    handles = [Line2D([], [], ls="", marker="o", color=year_colour[y], label=str(y)) for y in years]
    handles += [
        Line2D(
            [],
            [],
            color=LINE_COLOURS[i],
            marker=MARKERS[i % len(MARKERS)],
            mfc="white",
            label=labels(v),
        )
        for i, v in enumerate(variables)
    ]
    fig.legend(handles=handles, loc="outside right center", frameon=False, fontsize=8)
    fig.suptitle(labels("gravity_title"))
    return fig
