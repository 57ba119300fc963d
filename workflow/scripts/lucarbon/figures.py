"""What every figure shares: fonts (Chinese included), colour-blind-safe palettes (Okabe-Ito
and ColorBrewer) and byte-deterministic saving with the footnote."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pylopdf_fonts_zh_cn
from matplotlib import font_manager

from .io import atomic_path
from .labels import Labels

OKABE_ITO = [
    "#E69F00",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#999999",
]
# Okabe-Ito without yellow and grey, for lines and markers on white
LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
CATEGORY_COLOURS = {
    # ECC/ESC zones
    "low_carbon_maintenance": "#009E73",
    "economic_development": "#E69F00",
    "carbon_sink_function": "#56B4E9",
    "high_carbon_optimisation": "#D55E00",
    # compensation zones
    "payment": "#D55E00",
    "balanced": "#D9D9D9",
    "receiving": "#0072B2",
    # graded compensation zones (ColorBrewer RdBu, 4 classes, and the balanced grey)
    "strong_payment": "#CA0020",
    "weak_payment": "#F4A582",
    "weak_receiving": "#92C5DE",
    "strong_receiving": "#0571B0",
    # LISA clusters (GeoDa's colours, from ColorBrewer RdYlBu)
    "HH": "#D7191C",
    "LL": "#2C7BB6",
    "HL": "#FDAE61",
    "LH": "#ABD9E9",
    "not_significant": "#EEEEEE",
    "no_neighbours": "#FFFFFF",
    # Gi* hot and cold spots (ColorBrewer RdBu)
    "hot_99": "#B2182B",
    "hot_95": "#EF8A62",
    "hot_90": "#FDDBC7",
    "cold_90": "#D1E5F0",
    "cold_95": "#67A9CF",
    "cold_99": "#2166AC",
}
SAVE_METADATA = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "svg": {"Date": None},
}
NOTE_SIZE = 7


def _register_cjk_font() -> str:
    """Make Noto Sans SC (shipped by a pinned PyPI package) known to matplotlib."""
    path = str(pylopdf_fonts_zh_cn.sans_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


CJK_FONT = _register_cjk_font()
plt.rcParams["svg.hashsalt"] = "lucarbon"  # fixed ids in SVG files
# Print-ready: fonts embedded as TrueType (Type 42), not Type 3, which journals reject;
# minus signs (U+2212), not hyphens, on axes.
plt.rcParams["pdf.fonttype"] = 42
plt.rcParams["ps.fonttype"] = 42
plt.rcParams["axes.unicode_minus"] = True
# Type 42 subsetting logs every embedded glyph name at INFO: keep the job logs readable.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def apply_style(language: str) -> None:
    """Font order for ``language``: Chinese text in Noto Sans SC, the rest in DejaVu Sans
    (each falls back to the other for glyphs it lacks, e.g. ⁴ or 县)."""
    fonts = ["DejaVu Sans", CJK_FONT] if language == "en" else [CJK_FONT, "DejaVu Sans"]
    plt.rcParams["font.family"] = fonts


def start(style: Mapping, **names) -> Labels:
    """Set the fonts for the config's ``figures.language``; its labels, with the names of
    land-use types, MFA classes or units from the tables given (see Labels)."""
    apply_style(style["language"])
    return Labels(style["language"], carbon_unit=style.get("carbon_unit", "tC"), **names)


def bar_offsets(n: int, group_width: float = 0.8) -> tuple[np.ndarray, float]:
    """x offsets and width of ``n`` bars side by side, centred on their group's tick."""
    width = group_width / n
    return (np.arange(n) - (n - 1) / 2) * width, width


def stacked_bars(
    ax: plt.Axes, x: np.ndarray, parts, colours: Mapping[str, str], names: Mapping[str, str]
) -> None:
    """One bar per x stacked from 0 by the columns of the DataFrame ``parts`` (columns that
    are zero throughout are left out, so the legend lists only what is drawn)."""
    base = np.zeros(len(parts))
    for column in parts:
        if parts[column].any():
            ax.bar(
                x,
                parts[column],
                0.7,
                bottom=base,
                color=colours[column],
                edgecolor="white",
                linewidth=0.4,
                label=names[column],
            )
            base += parts[column].to_numpy()


def landuse_colours(landuse: list[str]) -> dict[str, str]:
    """A fixed colour per land-use type, by the order of the land-use table."""
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(landuse)}


def save_figure(fig: plt.Figure, paths: list[str | os.PathLike], dpi: int, note: str) -> None:
    """Write ``fig`` to each path (format from the suffix) atomically, with the footnote below
    the figure and without dates or software versions, so reruns are byte-identical."""
    if note:
        fig.text(0.0, 0.0, note, fontsize=NOTE_SIZE, color="0.35", ha="left", va="top")
    for path in paths:
        fmt = os.path.splitext(path)[1].lstrip(".")
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, format=fmt, bbox_inches="tight", metadata=SAVE_METADATA[fmt])
    plt.close(fig)


def save_figures(figures: Mapping[str, plt.Figure], output, style: Mapping) -> None:
    """Save each named figure to the rule outputs ``<name>`` (PNG) and ``<name>_print``."""
    for name, fig in figures.items():
        paths = [getattr(output, name), getattr(output, f"{name}_print")]
        save_figure(fig, paths, style["dpi"], style["note"])
