"""Zoning figures: ECC/ESC scatter and zoning maps, compensation value and zoning maps, the
compensation standard per unit, and zones counted by main functional area class."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from lucarbon.figures.breaks import format_break, round_sig
from lucarbon.figures.carbon import quantity_label
from lucarbon.figures.labels import Labels
from lucarbon.figures.maps import category_legend, decorate, draw_categories, map_grid
from lucarbon.figures.style import CATEGORY_COLOURS, LINE_COLOURS, bar_columns
from lucarbon.model.budget import ZONES as ECC_ESC_ZONES
from lucarbon.model.variables import QUANTITIES
from lucarbon.model.zoning import zone_names

# where each quadrant's zone is named: (ECC ≥ θ, ESC ≥ θ) → corner, in axes fractions
QUADRANT_CORNERS = {
    (True, True): (0.98, 0.98),
    (True, False): (0.98, 0.02),
    (False, True): (0.02, 0.98),
    (False, False): (0.02, 0.02),
}
SCATTER_PANELS_PER_ROW = 3
LOG_MARGIN = 1.5  # axis limits: the extreme values × or ÷ this
BAR_HEIGHT_IN = 0.15  # per unit of the compensation standard (7-point names)
BAR_COLUMN_WIDTH_IN = 3.0  # names and bars of one column
BAR_EDGE = {"edgecolor": "0.3", "linewidth": 0.3}
ZONING_YEARS_PER_ROW = 5  # zone counts by MFA class: years a row


def zone_maps(
    units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    column: str,
    zones: Iterable[str],
    title: str,
    labels: Labels,
) -> plt.Figure:
    """Small multiples of a zone column per year, with a legend of the zones."""
    years = sorted(table["year"].unique())
    fig, axes = map_grid(units, len(years))
    for ax, year in zip(axes, years, strict=True):
        rows = table[table["year"] == year].set_index("unit_id")[column]
        draw_categories(ax, units, rows, CATEGORY_COLOURS, str(year))
    decorate(axes[0], units)
    category_legend(fig, zones, CATEGORY_COLOURS, labels)
    fig.suptitle(title)
    return fig


def ecc_esc_scatter(
    budget: pd.DataFrame, classes: pd.DataFrame, threshold: float, labels: Labels
) -> plt.Figure:
    """ECC against ESC per unit (log axes, one panel per year), the threshold lines, the four
    zones named in their quadrants, points coloured by MFA class."""
    years = sorted(budget["year"].unique())
    ncols = min(len(years), SCATTER_PANELS_PER_ROW)
    nrows = -(-len(years) // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.2 * ncols + 2.2, 3.3 * nrows + 0.6),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    positive = budget[["ecc", "esc"]].where(budget[["ecc", "esc"]] > 0)
    low, high = positive.min().min() / LOG_MARGIN, positive.max().max() * LOG_MARGIN
    order = classes.sort_values("order")["mfa_class"].tolist()
    colours = {c: LINE_COLOURS[i % len(LINE_COLOURS)] for i, c in enumerate(order)}
    for ax, year in zip(axes.flat, years, strict=False):
        rows = budget[budget["year"] == year]
        ax.scatter(
            rows["ecc"],
            rows["esc"],
            s=14,
            c=rows["mfa_class"].map(colours),
            edgecolor="0.2",
            linewidth=0.3,
            zorder=3,
        )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        ax.axvline(threshold, color="0.3", lw=0.8, ls="--")
        ax.axhline(threshold, color="0.3", lw=0.8, ls="--")
        for (ecc_high, esc_high), (cx, cy) in QUADRANT_CORNERS.items():
            zone = ECC_ESC_ZONES[(ecc_high, esc_high)]
            ax.text(
                cx,
                cy,
                labels(zone),
                transform=ax.transAxes,
                fontsize=6.5,
                ha="right" if ecc_high else "left",
                va="top" if esc_high else "bottom",
                color="0.25",
            )
        ax.set_title(str(year), fontsize=10)
    for ax in axes.flat[len(years) :]:
        ax.remove()
    fig.supxlabel(labels("ecc"), fontsize=10)
    fig.supylabel(labels("esc"), fontsize=10)
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            color=colours[c],
            markeredgecolor="0.2",
            label=labels.name("mfa", c),
        )
        for c in order
    ]
    fig.legend(
        handles=handles,
        loc="outside right center",
        frameon=False,
        fontsize=8,
        title=labels("mfa_title"),
    )
    fig.suptitle(labels("ecc_esc_title", threshold=threshold))
    return fig


def compensation_standard(compensation: pd.DataFrame, column: str, labels: Labels) -> plt.Figure:
    """Compensation value of every unit in the last year, largest first, coloured by its zone
    (the zones are those of this same value, see lucarbon.model.zoning), named; on one page at any
    number of units: in columns sharing the value axis, and beyond their room the largest
    payers and receivers with the units between them summarised in one row, their count and
    range (lucarbon.figures.style.bar_columns)."""
    year = compensation["year"].max()
    rows = compensation[compensation["year"] == year].sort_values(column, ascending=False)
    values = (rows[column] / QUANTITIES[column].scale).to_numpy()
    colours = rows["zone"].map(CATEGORY_COLOURS).to_numpy()
    names = [labels.name("unit", u) for u in rows["unit_id"]]
    columns = bar_columns(len(rows))
    shown = {p for column_positions in columns for p in column_positions}
    between = values[[p for p in range(len(rows)) if p not in shown]]
    height = max(map(len, columns))
    fig, axes = plt.subplots(
        1,
        len(columns),
        figsize=(BAR_COLUMN_WIDTH_IN * len(columns) + 1.8, BAR_HEIGHT_IN * height + 1.2),
        sharex=True,
        squeeze=False,
        layout="constrained",
    )
    for ax, positions in zip(axes[0], columns, strict=True):
        y = {p: height - 1 - i for i, p in enumerate(positions)}  # top down, tops aligned
        drawn = [p for p in reversed(positions) if p is not None]  # smallest value first
        ax.barh([y[p] for p in drawn], values[drawn], color=colours[drawn], **BAR_EDGE)
        if None in y:
            ax.plot([between.min(), between.max()], [y[None]] * 2, color="0.55", lw=2.5)
        ticks = [
            names[p]
            if p is not None
            else labels(
                "units_between",
                count=len(between),
                low=format_break(round_sig(between.min())),
                high=format_break(round_sig(between.max())),
            )
            for p in positions
        ]
        ax.set_yticks(list(y.values()), ticks, fontsize=7)
        ax.set_ylim(-0.7, height - 0.3)
        ax.axvline(0, color="0.3", lw=0.8)
    fig.supxlabel(quantity_label(column, labels), fontsize=10)
    fig.suptitle(labels("compensation_standard", year=year))
    category_legend(fig, zone_names(compensation["zone"]), CATEGORY_COLOURS, labels)
    return fig


def zoning_by_mfa(
    compensation: pd.DataFrame, budget: pd.DataFrame, classes: pd.DataFrame, labels: Labels
) -> plt.Figure:
    """Number of units in each zone per MFA class and year: compensation zones (top row)
    and ECC/ESC zones (bottom row), stacked horizontal bars; more than ZONING_YEARS_PER_ROW
    years continue in further pairs of rows."""
    order = classes.sort_values("order")["mfa_class"].tolist()
    years = sorted(budget["year"].unique())
    zoned = budget[["unit_id", "year", "mfa_class", "ecc_esc_zone"]].merge(
        compensation[["unit_id", "year", "zone"]], on=["unit_id", "year"]
    )
    rows = [
        ("zone", zone_names(compensation["zone"]), "compensation_zone"),
        ("ecc_esc_zone", tuple(ECC_ESC_ZONES.values()), "ecc_esc_zone"),
    ]
    ncols = min(len(years), ZONING_YEARS_PER_ROW)
    blocks = -(-len(years) // ncols)
    fig, grid = plt.subplots(
        len(rows) * blocks,
        ncols,
        figsize=(2.3 * ncols + 3.6, 5.2 * blocks),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    y = np.arange(len(order))
    class_names = [labels.name("mfa", c) for c in order]
    for k, (column, zones, title) in enumerate(rows):
        for i, year in enumerate(years):
            ax = grid[i // ncols * len(rows) + k, i % ncols]
            counts = (
                zoned[zoned["year"] == year]
                .groupby(["mfa_class", column])
                .size()
                .unstack(fill_value=0)
                .reindex(index=order, columns=list(zones), fill_value=0)
            )
            left = np.zeros(len(order))
            for zone in zones:
                ax.barh(
                    y,
                    counts[zone],
                    left=left,
                    color=CATEGORY_COLOURS[zone],
                    edgecolor="0.3",
                    linewidth=0.3,
                    label=labels(zone),
                )
                left += counts[zone].to_numpy()
            ax.set_title(str(year), fontsize=10)
        for block in range(blocks):
            grid[block * len(rows) + k, 0].set_yticks(y, class_names, fontsize=8)
        grid[k, -1].legend(
            loc="center left",
            bbox_to_anchor=(1.02, 0.5),
            frameon=False,
            fontsize=8,
            title=labels(title),
        )
    for i in range(len(years), blocks * ncols):  # the rest of the last pair of rows
        for k in range(len(rows)):
            grid[(blocks - 1) * len(rows) + k, i % ncols].remove()
    grid[0, 0].invert_yaxis()  # shared by all panels: first class on top
    for col in range(ncols):  # the lowest panel drawn in each column
        last = (len(years) - 1 - col) // ncols * len(rows) + len(rows) - 1
        grid[last, col].set_xlabel(labels("units_count"))
        grid[last, col].xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(labels("zoning_by_mfa"))
    return fig
