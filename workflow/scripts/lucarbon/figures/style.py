"""What every figure shares: fonts (Chinese included), colour-blind-safe palettes (Okabe-Ito
and ColorBrewer) and byte-deterministic saving with the footnote."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pylopdf_fonts_zh_cn
from fontTools import subset as font_subset
from matplotlib import font_manager

from lucarbon.core.io import atomic_path
from lucarbon.figures.labels import Labels

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
# The colours of each map legend of categories (zones, clusters, classes), one palette each;
# tests/test_colours.py checks that the colours of a palette differ enough (CIEDE2000), also
# under simulated colour blindness. A category shared by palettes has one colour.
PALETTES = {
    # ECC/ESC zones, Okabe-Ito; the zones the development-strategy labels share
    # (data/analysis/strategy_labels.csv) have the same colours there.
    "ecc_esc_zone": {
        "low_carbon_maintenance": "#56B4E9",
        "economic_development": "#F0E442",
        "carbon_sink_function": "#009E73",
        "high_carbon_optimisation": "#D55E00",
    },
    # compensation zones: Okabe-Ito vermilion and blue, the balanced grey of ColorBrewer RdBu
    "compensation_zone": {"payment": "#D55E00", "balanced": "#F7F7F7", "receiving": "#0072B2"},
    # graded compensation zones: ColorBrewer RdBu, 5 classes
    "graded_compensation_zone": {
        "strong_payment": "#CA0020",
        "weak_payment": "#F4A582",
        "balanced": "#F7F7F7",
        "weak_receiving": "#92C5DE",
        "strong_receiving": "#0571B0",
    },
    # LISA clusters: HH, LL and HL from ColorBrewer RdYlBu; LH, not significant and no
    # neighbours ("Isolated") are GeoDa's (libgeoda UniLocalMoran), as RdYlBu's pale blue
    # is too close to the grey of not significant
    "lisa_cluster": {
        "HH": "#D7191C",
        "LL": "#2C7BB6",
        "HL": "#FDAE61",
        "LH": "#A7ADF9",
        "not_significant": "#EEEEEE",
        "no_neighbours": "#999999",
    },
    # Gi* hot and cold spots, ordered: ColorBrewer RdBu, 9 classes, without its two palest,
    # which are too close to the grey of not significant
    "hotspot_class": {
        "hot_99": "#B2182B",
        "hot_95": "#D6604D",
        "hot_90": "#F4A582",
        "not_significant": "#EEEEEE",
        "cold_90": "#92C5DE",
        "cold_95": "#4393C3",
        "cold_99": "#2166AC",
    },
}
CATEGORY_COLOURS = {c: colour for palette in PALETTES.values() for c, colour in palette.items()}
SAVE_METADATA = {
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "svg": {"Date": None},
}
# Writer options by format: PNGs at zlib level 3, not Pillow's 6 (lossless; about 3 %
# larger, their encoding a third faster).
SAVE_OPTIONS = {"png": {"pil_kwargs": {"compress_level": 3}}}
NOTE_SIZE = 7
YEAR_WIDTH_IN = 0.45  # per year group of a time axis (figures widen beyond their least width)
YEARS_UPRIGHT = 12  # more year labels than this are turned vertical
# Per-unit bar charts on one page (bar_columns): at most this many bars a column, 0.15 inch
# each (7-point names), and columns side by side: 45 × 0.15 in + title and axis ≈ 8 in high.
BARS_PER_COLUMN = 45
MAX_BAR_COLUMNS = 3


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
# A PDF embeds a subset of each font it uses. Reading the OpenType layout tables (glyph
# substitution and positioning) was most of the time of writing a small PDF, yet a PDF has no
# use for them (its text is laid out already): the subsets leave them out. fontTools has no
# public setting for this; its default table list is what every subset starts from.
LAYOUT_TABLES = ["GSUB", "GPOS", "GDEF"]
font_subset.Options._drop_tables_default = [
    *font_subset.Options._drop_tables_default,
    *LAYOUT_TABLES,
]
# Stream compression (zlib) level of PDFs, lossless: 3 instead of matplotlib's 6 makes a map
# PDF about 7 % larger and its writing about a third faster (zlib was the bulk of it).
plt.rcParams["pdf.compression"] = 3


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


def bar_columns(
    n: int, rows: int = BARS_PER_COLUMN, max_columns: int = MAX_BAR_COLUMNS
) -> list[list[int | None]]:
    """Where ``n`` sorted bars (one per unit) go on one page: columns, read left to right, of
    at most ``rows`` positions 0..n-1, as few columns as needed (at most ``max_columns``),
    balanced. More than ``rows × max_columns`` bars do not fit: the first and the last are
    kept and the ones between them are one summary row, ``None``."""
    room = rows * max_columns
    if n <= room:
        shown = list(range(n))
    else:
        head = room // 2  # the summary row takes one place of the room
        shown = [*range(head), None, *range(n - (room - 1 - head), n)]
    per_column = math.ceil(len(shown) / math.ceil(len(shown) / rows))
    return [shown[i : i + per_column] for i in range(0, len(shown), per_column)]


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


def year_colours(years) -> dict:
    """One colour per year along viridis, first year dark, last year light: distinct and in
    order for any number of years (a fixed list of line colours would repeat)."""
    years = list(years)
    cmap = plt.get_cmap("viridis")
    return {year: cmap(i / max(len(years) - 1, 1)) for i, year in enumerate(years)}


def year_axis_width(n_years: int, least: float) -> float:
    """Inches for an axis of ``n_years`` year groups: ``least``, or YEAR_WIDTH_IN a year."""
    return max(least, YEAR_WIDTH_IN * n_years)


def year_ticks(ax: plt.Axes, positions, years) -> None:
    """A tick and label at each year's position; upright labels for up to YEARS_UPRIGHT
    years, turned vertical beyond, so that they never overlap."""
    years = [str(year) for year in years]
    ax.set_xticks(positions, years, rotation=0 if len(years) <= YEARS_UPRIGHT else 90)


def landuse_colours(landuse: list[str]) -> dict[str, str]:
    """A fixed colour per land-use type, by the order of the land-use table."""
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(landuse)}


def save_figure(fig: plt.Figure, paths: list[str | os.PathLike], dpi: int, note: str) -> None:
    """Write ``fig`` to each path (format from the suffix) atomically, with the footnote below
    the figure and without dates or software versions, so reruns are byte-identical."""
    if note:
        fig.text(0.0, 0.0, note, fontsize=NOTE_SIZE, color="0.35", ha="left", va="top")
    # Lay out and measure once at the PNG's dpi, then keep that layout for every format:
    # bbox_inches="tight" would draw each file twice, each time solving the layout again.
    # The layout engine alone, not a draw without rendering: the same layout (same bytes),
    # without walking every artist once more.
    fig.set_dpi(dpi)
    if fig.get_layout_engine() is not None:
        fig.get_layout_engine().execute(fig)
    bbox = fig.get_tightbbox().padded(plt.rcParams["savefig.pad_inches"])
    fig.set_layout_engine("none")
    for path in paths:
        fmt = os.path.splitext(path)[1].lstrip(".")
        with atomic_path(path) as tmp:
            fig.savefig(
                tmp,
                dpi=dpi,
                format=fmt,
                bbox_inches=bbox,
                metadata=SAVE_METADATA[fmt],
                **SAVE_OPTIONS.get(fmt, {}),
            )
    plt.close(fig)


def footnote(note: str | Mapping[str, str], language: str) -> str:
    """The footnote (config ``figures.note``) in the figure ``language``: one text as it is,
    or that language's text of a mapping ``{en: ..., zh: ...}`` (English if it has none)."""
    return note if isinstance(note, str) else note.get(language, note["en"])


def save_figures(figures: Mapping[str, plt.Figure], output, style: Mapping) -> None:
    """Save each named figure to the rule outputs ``<name>`` (PNG) and ``<name>_print``, with
    the footnote in the figure language."""
    note = footnote(style["note"], style["language"])
    for name, fig in figures.items():
        paths = [getattr(output, name), getattr(output, f"{name}_print")]
        save_figure(fig, paths, style["dpi"], note)
