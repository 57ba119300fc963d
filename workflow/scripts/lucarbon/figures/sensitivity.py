"""Sensitivity figure: how often the conclusions survive other coefficient values and the
alternatives of the study's structural choices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from lucarbon.figures.labels import Labels
from lucarbon.figures.style import OKABE_ITO

ZONE_STABILITY_BINS = 10
# Conclusions shown per structural choice (columns of the matrix panel).
MATRIX_CONCLUSIONS = (
    "peak_year",
    "intensity_ranking",
    "net_ranking",
    "compensation_zone_all_unit_years",
    "ecc_esc_zone_all_unit_years",
)
MONTE_CARLO = "coefficient_ranges"
LIGHT_CELLS = (0.2, 0.8)  # shares whose RdYlBu colour is light enough for black text


def table_names(table: pd.DataFrame, key: str, labels: Labels) -> dict[str, str]:
    """Key → the name a reader understands, from the table's name_en/name_zh columns."""
    column = "name_zh" if labels.language == "zh" else "name_en"
    return dict(zip(table[key], table[column], strict=True))


def conclusion_label(conclusion: str, labels: Labels) -> str:
    """'intensity_rank:<class>' → 'Rank by intensity: <class name>'; others by their key."""
    kind, _, mfa_class = conclusion.partition(":")
    if mfa_class:
        return labels(kind, name=labels.name("mfa", mfa_class))
    return labels(conclusion)


def sensitivity_stability(
    stability: pd.DataFrame,
    oat: pd.DataFrame,
    zones: pd.DataFrame,
    ranges: pd.DataFrame,
    choices: pd.DataFrame,
    labels: Labels,
) -> plt.Figure:
    """Share of Monte Carlo draws keeping each conclusion; one-at-a-time effect of each
    parameter on the total net emission; share of each structural choice's alternatives
    keeping the main conclusions; distribution of the units' zone stability."""
    fig, axes = plt.subplots(2, 2, figsize=(16, 11), layout="constrained")
    _monte_carlo_panel(axes[0, 0], stability[stability["choice"] == MONTE_CARLO], labels)
    _oat_panel(axes[0, 1], oat, table_names(ranges, "parameter", labels), labels)
    structural = stability[stability["analysis"] == "structural"]
    _choices_panel(axes[1, 0], structural, table_names(choices, "choice", labels), labels)
    _zones_panel(axes[1, 1], zones, labels)
    return fig


def _monte_carlo_panel(ax: plt.Axes, stability: pd.DataFrame, labels: Labels) -> None:
    kept = stability.iloc[::-1]
    names = [conclusion_label(c, labels) for c in kept["conclusion"]]
    ax.barh(names, kept["share_kept"] * 100, color=OKABE_ITO[3])
    ax.set_xlim(0, 100)
    ax.set_xlabel(labels("sensitivity_kept_axis"))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(labels("sensitivity_kept"))


def _oat_panel(ax: plt.Axes, oat: pd.DataFrame, names: dict[str, str], labels: Labels) -> None:
    wide = oat.pivot(index="parameter", columns="level", values="net_emission_change_pct")
    wide = wide.reindex(wide.abs().max(axis=1).sort_values().index)
    y = np.arange(len(wide))
    ax.barh(y - 0.2, wide["low"], 0.4, label=labels("low_value"), color=OKABE_ITO[6])
    ax.barh(y + 0.2, wide["high"], 0.4, label=labels("high_value"), color=OKABE_ITO[4])
    ax.set_yticks(y, [names.get(p, p) for p in wide.index], fontsize=8)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_xlabel(labels("oat_axis"))
    ax.set_title(labels("oat"))
    ax.legend(fontsize=8)


def _choices_panel(
    ax: plt.Axes, structural: pd.DataFrame, names: dict[str, str], labels: Labels
) -> None:
    """Matrix choice × conclusion of the share of alternatives keeping it (grey: none ran)."""
    order = list(dict.fromkeys(structural["choice"]))
    wide = structural.pivot(index="choice", columns="conclusion", values="share_kept")
    wide = wide.reindex(index=order, columns=list(MATRIX_CONCLUSIONS))
    runs = structural.groupby("choice")["runs"].first().reindex(order)
    cmap = plt.get_cmap("RdYlBu").copy()
    cmap.set_bad("0.85")
    image = ax.imshow(np.ma.masked_invalid(wide.to_numpy(float) * 100), cmap=cmap, vmin=0, vmax=100)
    for (row, col), value in np.ndenumerate(wide.to_numpy(float)):
        text = labels("not_run") if np.isnan(value) else f"{value * 100:.0f}"
        dark = not np.isnan(value) and not LIGHT_CELLS[0] <= value <= LIGHT_CELLS[1]
        ax.text(
            col, row, text, ha="center", va="center", fontsize=8, color="white" if dark else "black"
        )
    ax.set_xticks(
        range(len(MATRIX_CONCLUSIONS)),
        [labels(c) for c in MATRIX_CONCLUSIONS],
        rotation=25,
        ha="right",
        fontsize=8,
    )
    ax.set_yticks(
        range(len(order)),
        [labels("choice_runs", name=names.get(c, c), runs=runs[c]) for c in order],
        fontsize=8,
    )
    ax.set_title(labels("structural_choices"))
    ax.figure.colorbar(image, ax=ax, label=labels("alternatives_kept_axis"), shrink=0.8)


def _zones_panel(ax: plt.Axes, zones: pd.DataFrame, labels: Labels) -> None:
    columns = {"share_same_zone": "compensation_zone", "share_same_ecc_esc_zone": "ecc_esc_zone"}
    ax.hist(
        [zones[c] for c in columns],
        bins=np.linspace(0, 1, ZONE_STABILITY_BINS + 1),
        label=[labels(name) for name in columns.values()],
        color=OKABE_ITO[:2],
    )
    ax.set_xlabel(labels("zone_stability_axis"))
    ax.set_ylabel(labels("unit_years"))
    ax.set_title(labels("zone_stability"))
    ax.legend(fontsize=8)
