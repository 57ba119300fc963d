"""Figures of regional differences: Theil index between and within MFA classes per year,
kernel densities of the units' values per year, and the development-strategy zoning maps."""

from __future__ import annotations

import math

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lucarbon.figures.labels import Labels
from lucarbon.figures.maps import category_legend, decorate, draw_categories, map_grid
from lucarbon.figures.style import OKABE_ITO, year_axis_width, year_colours, year_ticks

LEGEND_ROWS = 20  # years per legend column


def indicator_label(numerator: str, denominator: str, labels: Labels) -> str:
    """'Carbon emission per GDP' (单位GDP碳排放) from the config's numerator and denominator."""
    return labels(f"indicator_{denominator}", quantity=labels(f"{numerator}_tC"))


def regional_difference(table: pd.DataFrame, indicator: str, labels: Labels) -> plt.Figure:
    """Per year, the Theil index stacked as its between- and within-class parts."""
    parts = table[table["part"].isin(["between", "within"])]
    wide = parts.pivot(index="year", columns="part", values="theil_index")
    fig, ax = plt.subplots(figsize=(year_axis_width(len(wide), 7.0) + 1.0, 5), layout="constrained")
    x = np.arange(len(wide))
    ax.bar(x, wide["between"], 0.6, label=labels("between_classes"), color=OKABE_ITO[3])
    ax.bar(
        x,
        wide["within"],
        0.6,
        bottom=wide["between"],
        label=labels("within_classes"),
        color=OKABE_ITO[6],
    )
    year_ticks(ax, x, wide.index)
    ax.set_xlabel(labels("year"))
    ax.set_ylabel(labels("theil_index"))
    ax.set_title(labels("theil_title", indicator=indicator))
    ax.legend()
    return fig


def kernel_density(table: pd.DataFrame, indicator: str, labels: Labels) -> plt.Figure:
    """One density curve per year on the common grid, coloured in year order."""
    value = next(c for c in table.columns if c.startswith("value_"))
    unit = labels(f"unit_{value.removeprefix('value_')}")
    density = next(c for c in table.columns if c.startswith("density_"))
    fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
    colours = year_colours(sorted(table["year"].unique()))
    for year, rows in table.groupby("year"):
        ax.plot(rows[value], rows[density], color=colours[year], lw=1.5, label=str(year))
    ax.set_xlabel(f"{indicator} ({unit})")
    ax.set_ylabel(labels("density"))
    ax.set_title(labels("kernel_density_title", indicator=indicator))
    ax.legend(title=labels("year"), ncols=math.ceil(table["year"].nunique() / LEGEND_ROWS))
    return fig


def development_zoning(
    units: gpd.GeoDataFrame, zoning: pd.DataFrame, strategies: pd.DataFrame, labels: Labels
) -> plt.Figure:
    """Small multiples of the development-strategy label per year; colours and names from
    the strategy label table."""
    table = strategies.drop_duplicates("strategy")
    colours = dict(zip(table["strategy"], table["colour"], strict=True))
    column = "name_zh" if labels.language == "zh" else "name_en"
    names = dict(zip(table["strategy"], table[column], strict=True))
    years = sorted(zoning["year"].unique())
    fig, axes = map_grid(units, len(years))
    for ax, year in zip(axes, years, strict=True):
        rows = zoning[zoning["year"] == year].set_index("unit_id")["strategy"]
        draw_categories(ax, units, rows, colours, str(year))
    decorate(axes[0], units)
    shown = [s for s in table["strategy"] if s in set(zoning["strategy"])]
    category_legend(fig, shown, colours, names.get)
    fig.suptitle(labels("development_zoning"))
    return fig
