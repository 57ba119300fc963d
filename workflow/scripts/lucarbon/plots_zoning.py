"""Zoning figures: ECC/ESC scatter and zoning maps, compensation value and zoning maps, the
compensation standard per unit, and zones counted by main functional area class."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from .budget import ZONES as ECC_ESC_ZONES
from .figures import CATEGORY_COLOURS, LINE_COLOURS
from .labels import Labels
from .maps import category_legend, decorate, draw_categories, map_grid
from .plots_carbon import quantity_label
from .variables import QUANTITIES
from .zoning import zone_names

# where each quadrant's zone is named: (ECC ≥ θ, ESC ≥ θ) → corner, in axes fractions
QUADRANT_CORNERS = {
    (True, True): (0.98, 0.98),
    (True, False): (0.98, 0.02),
    (False, True): (0.02, 0.98),
    (False, False): (0.02, 0.02),
}
SCATTER_PANELS_PER_ROW = 3
LOG_MARGIN = 1.5  # axis limits: the extreme values × or ÷ this


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
    decorate(axes[0])
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
    """Compensation value of every unit in the last year, sorted, coloured by its zone (the
    zones are those of this same value, see lucarbon.zoning), named."""
    year = compensation["year"].max()
    rows = compensation[compensation["year"] == year].sort_values(column)
    values = rows[column] / QUANTITIES[column].scale
    names = [labels.name("unit", u) for u in rows["unit_id"]]
    fig, ax = plt.subplots(figsize=(7.5, 0.16 * len(rows) + 1.4), layout="constrained")
    ax.barh(
        np.arange(len(rows)),
        values,
        color=rows["zone"].map(CATEGORY_COLOURS),
        edgecolor="0.3",
        linewidth=0.3,
    )
    ax.set_yticks(np.arange(len(rows)), names, fontsize=7)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel(quantity_label(column, labels))
    ax.set_title(labels("compensation_standard", year=year))
    category_legend(fig, zone_names(compensation["zone"]), CATEGORY_COLOURS, labels)
    return fig


def zoning_by_mfa(
    compensation: pd.DataFrame, budget: pd.DataFrame, classes: pd.DataFrame, labels: Labels
) -> plt.Figure:
    """Number of units in each zone per MFA class and year: compensation zones (top row)
    and ECC/ESC zones (bottom row), stacked horizontal bars."""
    order = classes.sort_values("order")["mfa_class"].tolist()
    years = sorted(budget["year"].unique())
    zoned = budget[["unit_id", "year", "mfa_class", "ecc_esc_zone"]].merge(
        compensation[["unit_id", "year", "zone"]], on=["unit_id", "year"]
    )
    rows = [
        ("zone", zone_names(compensation["zone"]), "compensation_zone"),
        ("ecc_esc_zone", tuple(ECC_ESC_ZONES.values()), "ecc_esc_zone"),
    ]
    fig, axes = plt.subplots(
        len(rows),
        len(years),
        figsize=(2.3 * len(years) + 3.6, 5.2),
        sharex=True,
        sharey=True,
        squeeze=False,
        layout="constrained",
    )
    y = np.arange(len(order))
    for (column, zones, title), row_axes in zip(rows, axes, strict=True):
        for ax, year in zip(row_axes, years, strict=True):
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
        row_axes[0].set_yticks(y, [labels.name("mfa", c) for c in order], fontsize=8)
        row_axes[-1].legend(
            loc="center left",
            bbox_to_anchor=(1.02, 0.5),
            frameon=False,
            fontsize=8,
            title=labels(title),
        )
    axes[0, 0].invert_yaxis()  # shared by all panels: first class on top
    for ax in axes[-1]:
        ax.set_xlabel(labels("units_count"))
    fig.suptitle(labels("zoning_by_mfa"))
    return fig
