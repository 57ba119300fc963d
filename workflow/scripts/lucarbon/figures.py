"""Figures drawn from result tables alone: maps with shared class breaks, time series, MFA bars.

Colour maps are colour-blind safe (PuOr diverging, Okabe-Ito qualitative); every map has a
legend with units, a scale bar and a north arrow; outputs are byte-deterministic.
"""

from __future__ import annotations

import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap

from .conversions import T_PER_10K_T
from .io import atomic_path

OKABE_ITO = ["#E69F00", "#009E73", "#56B4E9", "#0072B2", "#D55E00", "#CC79A7", "#F0E442"]


def diverging_breaks(values: np.ndarray, n_per_side: int = 4) -> np.ndarray:
    """Class breaks shared by every panel: 0, quantiles of the negative and of the positive
    values rounded to 2 significant digits, and the extremes rounded outwards."""
    values = np.asarray(values, dtype=float)
    inner = np.linspace(0, 1, n_per_side + 1)[1:-1]
    breaks = {0.0}
    for part in (values[values < 0], values[values > 0]):
        if part.size:
            breaks.update(_round_sig(q) for q in np.quantile(part, inner))
            breaks.add(_round_sig(part.max() if part[0] > 0 else part.min(), outward=True))
    return np.array(sorted(breaks))


def _round_sig(x: float, digits: int = 2, outward: bool = False) -> float:
    """Round to ``digits`` significant digits; ``outward`` rounds away from zero."""
    if x == 0:
        return 0.0
    scale = 10.0 ** (digits - 1 - math.floor(math.log10(abs(x))))
    if outward:
        return math.copysign(math.ceil(abs(x) * scale) / scale, x)
    return round(x * scale) / scale


def diverging_colormap(breaks: np.ndarray, name: str = "PuOr_r") -> ListedColormap:
    """One colour per class: purples below 0, oranges above, pale near 0."""
    base = plt.get_cmap(name)
    centers = (breaks[:-1] + breaks[1:]) / 2
    n_neg, n_pos = int((centers < 0).sum()), int((centers >= 0).sum())
    colours = [base(x) for x in np.linspace(0.0, 0.42, n_neg)]
    colours += [base(x) for x in np.linspace(0.58, 1.0, n_pos)]
    return ListedColormap(colours)


def add_north_arrow(ax: plt.Axes) -> None:
    """A small 'N' arrow in the upper-right corner (maps are in a north-up projected CRS)."""
    ax.annotate(
        "N",
        xy=(0.93, 0.95),
        xytext=(0.93, 0.82),
        xycoords="axes fraction",
        ha="center",
        fontsize=9,
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.2},
    )


def add_scale_bar(ax: plt.Axes) -> None:
    """A scale bar of a round length (km) in the lower-left corner of a metre-based map."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target_km = (x1 - x0) / 4 / 1000
    length_km = 10 ** math.floor(math.log10(target_km))
    length_km *= max(m for m in (1, 2, 5) if m * length_km <= target_km)
    x, y = x0 + 0.05 * (x1 - x0), y0 + 0.05 * (y1 - y0)
    ax.plot([x, x + length_km * 1000], [y, y], color="black", lw=2.5, solid_capstyle="butt")
    ax.text(x + length_km * 500, y + 0.02 * (y1 - y0), f"{length_km:g} km", ha="center", fontsize=7)


def save_figure(fig: plt.Figure, path: str | os.PathLike, dpi: int, note: str) -> None:
    """Add the footnote and write the PNG atomically with fixed metadata (byte-identical)."""
    if note:
        fig.text(0.01, 0.005, note, fontsize=7, color="0.35", ha="left", va="bottom")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, format="png", metadata={"Software": None})
    plt.close(fig)


def net_emission_maps(units, budget: pd.DataFrame, years: list[int]) -> plt.Figure:
    """Small multiples of net emission per unit, one panel per year, shared class breaks."""
    values = budget["net_emission_tC"].to_numpy() / T_PER_10K_T
    breaks = diverging_breaks(values)
    cmap = diverging_colormap(breaks)
    norm = BoundaryNorm(breaks, cmap.N)
    ncols = min(3, len(years))
    nrows = math.ceil(len(years) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.8 * nrows), squeeze=False)
    for ax, year in zip(axes.flat, years, strict=False):
        data = units.merge(budget[budget["year"] == year], on="unit_id")
        data.assign(v=data["net_emission_tC"] / T_PER_10K_T).plot(
            column="v", cmap=cmap, norm=norm, ax=ax, edgecolor="white", linewidth=0.3
        )
        ax.set_title(str(year))
        ax.set_axis_off()
        add_scale_bar(ax)
        add_north_arrow(ax)
    for ax in axes.flat[len(years) :]:
        ax.set_axis_off()
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=axes, shrink=0.8, spacing="uniform", ticks=breaks)
    bar.ax.set_yticklabels([f"{b:g}" for b in breaks])
    bar.set_label("Net carbon emission (10⁴ t C; < 0 = net sink)")
    fig.suptitle("Net carbon emission per unit")
    return fig


def carbon_by_landuse(components: pd.DataFrame, types: pd.DataFrame) -> plt.Figure:
    """Emissions (up) and absorption (down) by land-use type over the years, peak marked."""
    totals = components.groupby(["year", "landuse"])[["emission_tC", "absorption_tC"]].sum()
    totals = totals / T_PER_10K_T
    years = sorted(components["year"].unique())
    fig, ax = plt.subplots(figsize=(8, 5))
    for i, (landuse, label) in enumerate(zip(types["landuse"], types["name_en"], strict=True)):
        if landuse not in totals.index.get_level_values("landuse"):
            continue
        series = totals.xs(landuse, level="landuse").reindex(years, fill_value=0)
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        if series["emission_tC"].any():
            ax.plot(years, series["emission_tC"], "-o", color=colour, label=f"{label} (emission)")
        if series["absorption_tC"].any():
            ax.plot(
                years, -series["absorption_tC"], "--s", color=colour, label=f"{label} (absorption)"
            )
    total = totals.groupby("year").sum()
    peak = int(total["emission_tC"].idxmax())
    ax.plot(years, total["emission_tC"], "-", color="black", lw=2, label="Total emission")
    ax.plot(years, -total["absorption_tC"], ":", color="black", lw=2, label="Total absorption")
    ax.annotate(
        f"peak {peak}",
        xy=(peak, total.loc[peak, "emission_tC"]),
        xytext=(0, 8),
        textcoords="offset points",
        ha="center",
    )
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xticks(years)
    ax.set_xlabel("Year")
    ax.set_ylabel("Carbon (10⁴ t C); emission > 0, absorption < 0")
    ax.set_title("Carbon emission and absorption by land-use type")
    ax.legend(fontsize=7, ncol=2, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def mfa_comparison(summary: pd.DataFrame, classes: pd.DataFrame) -> plt.Figure:
    """Grouped bars per MFA class and year: emission intensity and mean net emission per unit."""
    classes = classes.sort_values("order")
    years = sorted(summary["year"].unique())
    panels = [
        ("emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan", "t C per 10⁴ yuan", 1.0),
        ("net_emission_mean_of_units_tC", "10⁴ t C per unit", 1 / T_PER_10K_T),
    ]
    titles = ["Emission intensity (ratio of sums)", "Mean net emission per unit"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    width = 0.8 / len(years)
    x = np.arange(len(classes))
    for ax, (column, unit, scale), title in zip(axes, panels, titles, strict=True):
        for j, year in enumerate(years):
            rows = summary[summary["year"] == year].set_index("mfa_class")
            values = rows[column].reindex(classes["mfa_class"]) * scale
            colour = plt.get_cmap("viridis")(j / max(len(years) - 1, 1))
            ax.bar(
                x + (j - (len(years) - 1) / 2) * width, values, width, label=str(year), color=colour
            )
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_xticks(x, classes["name_en"], rotation=20, ha="right", fontsize=8)
        ax.set_ylabel(unit)
        ax.set_title(title)
    axes[1].legend(title="Year", fontsize=8)
    fig.suptitle("Main functional area classes")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def sensitivity_stability(stability: pd.DataFrame, oat: pd.DataFrame, zones: pd.DataFrame):
    """Share of Monte Carlo draws keeping each conclusion; OAT effect of each parameter on the
    total net emission; distribution of units' zone stability."""
    fig, axes = plt.subplots(
        1, 3, figsize=(16, 5.5), gridspec_kw={"width_ratios": [1.2, 1, 0.8]}, layout="constrained"
    )
    kept = stability.iloc[::-1]
    axes[0].barh(kept["conclusion"], kept["share_of_draws_kept"] * 100, color=OKABE_ITO[3])
    axes[0].set_xlim(0, 100)
    axes[0].set_xlabel("Monte Carlo draws keeping the baseline conclusion (%)")
    axes[0].tick_params(axis="y", labelsize=7)
    axes[0].set_title("Stability of conclusions")
    wide = oat.pivot(index="parameter", columns="level", values="net_emission_change_pct")
    wide = wide.reindex(wide.abs().max(axis=1).sort_values().index)
    y = np.arange(len(wide))
    axes[1].barh(y - 0.2, wide["low"], 0.4, label="low value", color=OKABE_ITO[2])
    axes[1].barh(y + 0.2, wide["high"], 0.4, label="high value", color=OKABE_ITO[4])
    axes[1].set_yticks(y, wide.index, fontsize=7)
    axes[1].axvline(0, color="0.4", lw=0.8)
    axes[1].set_xlabel("Change of total net emission (%)")
    axes[1].set_title("One at a time")
    axes[1].legend(fontsize=8)
    bins = np.linspace(0, 1, 11)
    for column, label, colour in (
        ("share_same_zone", "compensation zone", OKABE_ITO[0]),
        ("share_same_ecc_esc_zone", "ECC/ESC zone", OKABE_ITO[1]),
    ):
        axes[2].hist(zones[column], bins=bins, alpha=0.7, label=label, color=colour)
    axes[2].set_xlabel("Share of draws keeping the unit's zone")
    axes[2].set_ylabel("Unit-years")
    axes[2].set_title("Zone stability per unit and year")
    axes[2].legend(fontsize=8)
    return fig
