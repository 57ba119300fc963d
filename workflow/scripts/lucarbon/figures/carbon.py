"""Carbon budget figures: emission and absorption by land-use type over the years, maps of
the unit quantities per year, and the comparison of main functional area classes."""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lucarbon.core.conversions import T_PER_10K_T
from lucarbon.figures.breaks import classed_colours
from lucarbon.figures.labels import Labels
from lucarbon.figures.maps import (
    COLOURBAR_WIDTH_IN,
    classed_legend,
    decorate,
    draw_values,
    map_grid,
)
from lucarbon.figures.style import (
    bar_offsets,
    landuse_colours,
    stacked_bars,
    year_axis_width,
    year_colours,
    year_ticks,
)
from lucarbon.model.variables import QUANTITIES

# what a negative value means, for signed quantities
SIGN_NOTES = {
    "net_emission_tC": "net_sink",
    "value_yuan": "receives",
    "value_modified_yuan": "receives",
}
HEADROOM = 1.12  # y-axis room above the highest bar for the peak label
LEGEND_IN = 2.0
MFA_PANEL_IN = 5.0  # least width of each MFA panel
MFA_BAR_IN = 0.05  # least width of one bar (class × year) of the MFA panels
LEGEND_ROWS = 20  # entries per legend column


def quantity_label(column: str, labels: Labels) -> str:
    """'Name' over '(unit)' for a legend, with the sign convention of signed quantities."""
    note = SIGN_NOTES.get(column)
    unit = labels(QUANTITIES[column].unit) + (f"; {labels(note)}" if note else "")
    return f"{labels(column)}\n({unit})"


def carbon_by_landuse(components: pd.DataFrame, types: pd.DataFrame, labels: Labels) -> plt.Figure:
    """Stacked bars per year: emission of each land-use type above 0, absorption below 0
    (10⁴ t C), the net emission as a line, the year of peak total emission marked."""
    order = types["landuse"].tolist()
    colours = landuse_colours(order)
    totals = components.groupby(["year", "landuse"])[["emission_tC", "absorption_tC"]].sum()
    totals = totals / T_PER_10K_T
    emission = totals["emission_tC"].unstack().reindex(columns=order, fill_value=0.0).fillna(0)
    absorption = -totals["absorption_tC"].unstack().reindex(columns=order, fill_value=0.0)
    absorption = absorption.fillna(0)
    years = emission.index.to_numpy()
    x = np.arange(len(years))
    fig, ax = plt.subplots(
        figsize=(year_axis_width(len(years), 6.5) + LEGEND_IN, 5), layout="constrained"
    )
    names = {landuse: labels.name("landuse", landuse) for landuse in order}
    for stack in (emission, absorption):
        stacked_bars(ax, x, stack, colours, names)
    net = emission.sum(axis=1) + absorption.sum(axis=1)
    ax.plot(x, net, "-o", color="black", lw=1.8, label=labels("net_line"))
    total = emission.sum(axis=1)
    peak = int(total.to_numpy().argmax())
    ax.annotate(
        labels("peak", year=years[peak]),
        xy=(peak, total.iloc[peak]),
        xytext=(0, 10),
        textcoords="offset points",
        ha="center",
        arrowprops={"arrowstyle": "-|>", "color": "black"},
    )
    ax.set_ylim(top=total.max() * HEADROOM)
    ax.axhline(0, color="0.3", lw=0.8)
    year_ticks(ax, x, years)
    ax.set_xlabel(labels("year"))
    ax.set_ylabel(labels("carbon_axis"))
    ax.set_title(labels("carbon_by_landuse"))
    handles = dict(zip(*ax.get_legend_handles_labels()[::-1], strict=True))  # one per name
    shown = [name for name in [*names.values(), labels("net_line")] if name in handles]
    fig.legend([handles[n] for n in shown], shown, loc="outside right center", frameon=False)
    return fig


def quantity_maps(
    units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    column: str,
    labels: Labels,
    n_classes: int,
    scheme: str,
) -> plt.Figure:
    """Small multiples of ``column`` per unit, one map per year, with class breaks (by
    ``scheme``, lucarbon.figures.breaks) computed from all years so that colours compare
    across years."""
    quantity = QUANTITIES[column]
    values = table[column] / quantity.scale
    breaks, cmap, norm = classed_colours(column, values.to_numpy(), n_classes, scheme)
    years = sorted(table["year"].unique())
    fig, axes = map_grid(units, len(years), legend_width=COLOURBAR_WIDTH_IN)
    for ax, year in zip(axes, years, strict=True):
        rows = table["year"] == year
        draw_values(
            ax, units, values[rows].set_axis(table.loc[rows, "unit_id"]), cmap, norm, str(year)
        )
    decorate(axes[0], units)
    classed_legend(fig, axes, breaks, cmap, norm, quantity_label(column, labels))
    fig.suptitle(labels(column))
    return fig


def mfa_comparison(summary: pd.DataFrame, classes: pd.DataFrame, labels: Labels) -> plt.Figure:
    """Grouped bars per MFA class and year: emission intensity (ratio of sums) and mean net
    emission per unit."""
    classes = classes.sort_values("order")
    years = sorted(summary["year"].unique())
    panels = [
        (
            "emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan",
            "intensity_ratio",
            "unit_tC_per_10k_yuan",
            1.0,
        ),
        ("net_emission_mean_of_units_tC", "mean_net", "unit_10k_tC_per_unit", 1 / T_PER_10K_T),
    ]
    panel = max(MFA_PANEL_IN, MFA_BAR_IN * len(classes) * len(years))
    fig, axes = plt.subplots(1, 2, figsize=(2 * panel + LEGEND_IN, 4.8), layout="constrained")
    offsets, width = bar_offsets(len(years))
    colours = year_colours(years)
    x = np.arange(len(classes))
    names = [labels.name("mfa", c) for c in classes["mfa_class"]]
    for ax, (column, title, unit, scale) in zip(axes, panels, strict=True):
        for j, year in enumerate(years):
            rows = summary[summary["year"] == year].set_index("mfa_class")
            values = rows[column].reindex(classes["mfa_class"]) * scale
            ax.bar(x + offsets[j], values, width, label=str(year), color=colours[year])
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_xticks(x, names, rotation=20, ha="right", fontsize=8)
        ax.set_ylabel(labels(unit))
        ax.set_title(labels(title))
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        title=labels("year"),
        loc="outside right center",
        frameon=False,
        ncols=math.ceil(len(years) / LEGEND_ROWS),
    )
    fig.suptitle(labels("mfa_title"))
    return fig
