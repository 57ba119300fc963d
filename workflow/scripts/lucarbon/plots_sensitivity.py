"""Sensitivity figure: how often the conclusions survive other coefficient values."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import OKABE_ITO
from .labels import Labels

ZONE_STABILITY_BINS = 10


def sensitivity_stability(
    stability: pd.DataFrame, oat: pd.DataFrame, zones: pd.DataFrame, labels: Labels
) -> plt.Figure:
    """Share of Monte Carlo draws keeping each conclusion; one-at-a-time effect of each
    parameter on the total net emission; distribution of the units' zone stability."""
    fig, axes = plt.subplots(
        1, 3, figsize=(16, 5.5), gridspec_kw={"width_ratios": [1.2, 1, 0.8]}, layout="constrained"
    )
    kept = stability.iloc[::-1]
    axes[0].barh(kept["conclusion"], kept["share_of_draws_kept"] * 100, color=OKABE_ITO[3])
    axes[0].set_xlim(0, 100)
    axes[0].set_xlabel(labels("sensitivity_kept_axis"))
    axes[0].tick_params(axis="y", labelsize=7)
    axes[0].set_title(labels("sensitivity_kept"))
    wide = oat.pivot(index="parameter", columns="level", values="net_emission_change_pct")
    wide = wide.reindex(wide.abs().max(axis=1).sort_values().index)
    y = np.arange(len(wide))
    axes[1].barh(y - 0.2, wide["low"], 0.4, label=labels("low_value"), color=OKABE_ITO[6])
    axes[1].barh(y + 0.2, wide["high"], 0.4, label=labels("high_value"), color=OKABE_ITO[4])
    axes[1].set_yticks(y, wide.index, fontsize=7)
    axes[1].axvline(0, color="0.4", lw=0.8)
    axes[1].set_xlabel(labels("oat_axis"))
    axes[1].set_title(labels("oat"))
    axes[1].legend(fontsize=8)
    columns = {"share_same_zone": "compensation_zone", "share_same_ecc_esc_zone": "ecc_esc_zone"}
    axes[2].hist(
        [zones[c] for c in columns],
        bins=np.linspace(0, 1, ZONE_STABILITY_BINS + 1),
        label=[labels(name) for name in columns.values()],
        color=OKABE_ITO[:2],
    )
    axes[2].set_xlabel(labels("zone_stability_axis"))
    axes[2].set_ylabel(labels("unit_years"))
    axes[2].set_title(labels("zone_stability"))
    axes[2].legend(fontsize=8)
    return fig
