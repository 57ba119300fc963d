"""Maps of the study units: small multiples sized to the shape of the study area, classed and
categorical fills with their legends, a scale bar and a north arrow.

Maps are drawn in metres: in the study CRS when it is projected, else in a local Lambert
azimuthal equal-area CRS centred on the units (lucarbon.core.crs.metric_crs, the CRS of the gravity
centres), so that the scale bar is true and the shape undistorted in any study CRS."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm, Colormap
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry.polygon import orient

from lucarbon.core.crs import in_metres
from lucarbon.figures.breaks import format_break

PANEL_WIDTH_IN = 2.7
MAX_COLUMNS = 5
LEGEND_WIDTH_IN = 2.0  # a legend of named categories
COLOURBAR_WIDTH_IN = 1.3
TITLE_HEIGHT_IN = 0.35
PAD = 0.03  # share of the larger extent left around the units
OUTLINE_TOLERANCE_IN = 1 / 1200  # outlines drawn within this much (on paper) of the true ones
EDGE = {"edgecolor": "0.45", "linewidth": 0.25}
MISSING = {"facecolor": "white", "hatch": "////", "edgecolor": "0.6", "linewidth": 0.25}


def map_grid(
    units: gpd.GeoDataFrame,
    n_panels: int,
    ncols: int | None = None,
    legend_width: float = LEGEND_WIDTH_IN,
) -> tuple[plt.Figure, list[plt.Axes]]:
    """A figure of ``n_panels`` map axes (at most MAX_COLUMNS a row unless ``ncols`` is
    given) whose size follows the study area's aspect ratio, with ``legend_width`` inches
    for the legend."""
    ncols = ncols or min(n_panels, MAX_COLUMNS)
    nrows = math.ceil(n_panels / ncols)
    xmin, ymin, xmax, ymax = _extent(planar(units))
    panel_height = PANEL_WIDTH_IN * (ymax - ymin) / (xmax - xmin)
    fig = plt.figure(
        figsize=(
            ncols * PANEL_WIDTH_IN + legend_width,
            nrows * (panel_height + TITLE_HEIGHT_IN) + TITLE_HEIGHT_IN,
        ),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n_panels:]:
        ax.remove()
    return fig, list(axes[:n_panels])


def planar(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The units in the metric CRS maps are drawn in (as they are when without a CRS)."""
    return units if units.crs is None else in_metres(units)


def map_units(units: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The units as maps draw them: in metres (``planar``), each outline simplified
    (Douglas-Peucker) to within OUTLINE_TOLERANCE_IN of a panel, 1/4 pixel at 300 dpi:
    invisible, and for Henan's 123 county outlines 5× fewer vertices to draw and to write
    into every panel of a PDF (the bulk of a map figure's time)."""
    units = planar(units)
    xmin, _, xmax, _ = _extent(units)
    tolerance = (xmax - xmin) / PANEL_WIDTH_IN * OUTLINE_TOLERANCE_IN
    simplified = shapely.simplify(units.geometry.values, tolerance, preserve_topology=True)
    return units.set_geometry(gpd.GeoSeries(simplified, index=units.index, crs=units.crs))


def read_map_units(path) -> gpd.GeoDataFrame:
    """The unit polygons of ``path`` as maps draw them (``map_units``)."""
    return map_units(gpd.read_file(path))


def _extent(units: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = units.total_bounds
    pad = PAD * max(xmax - xmin, ymax - ymin)
    return xmin - pad, ymin - pad, xmax + pad, ymax + pad


def _frame(ax: plt.Axes, units: gpd.GeoDataFrame, title: str) -> None:
    xmin, ymin, xmax, ymax = _extent(units)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # At the top of the axes, where matplotlib's automatic placement puts it over an axis
    # without ticks, but without that placement: it measures every tick label of the hidden
    # axes again at each draw (a fifth of a map figure's time).
    ax.set_title(title, fontsize=10, y=1.0)


def unit_paths(units: gpd.GeoDataFrame) -> list[MplPath]:
    """One matplotlib path per unit (all its polygons, holes included), in table order."""
    paths = []
    for geometry in units.geometry:
        polygons = [orient(p) for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
        rings = [ring for p in polygons for ring in (p.exterior, *p.interiors)]
        paths.append(
            MplPath.make_compound_path(
                *(MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in rings)
            )
        )
    return paths


def draw_units(ax: plt.Axes, units: gpd.GeoDataFrame, colours: list, title: str) -> None:
    """Fill each unit with its colour (one per row of ``units``); a missing colour (None) is
    white and hatched. Drawn as one collection: much faster than GeoDataFrame.plot, which
    redraws the whole figure for every panel."""
    units = planar(units)
    paths = unit_paths(units)
    filled = [(path, c) for path, c in zip(paths, colours, strict=True) if c is not None]
    missing = [PathPatch(path) for path, c in zip(paths, colours, strict=True) if c is None]
    if filled:
        patches, faces = zip(*filled, strict=True)
        ax.add_collection(
            PatchCollection([PathPatch(p) for p in patches], facecolors=faces, **EDGE)
        )
    if missing:
        ax.add_collection(PatchCollection(missing, **MISSING))
    _frame(ax, units, title)


def draw_values(
    ax: plt.Axes,
    units: gpd.GeoDataFrame,
    values: pd.Series,
    cmap: Colormap,
    norm: BoundaryNorm,
    title: str,
) -> None:
    """Fill each unit by its class of ``values`` (indexed by unit_id); hatched if missing."""
    mapped = units["unit_id"].map(values).to_numpy(dtype=float)
    colours = [cmap(norm(v)) if np.isfinite(v) else None for v in mapped]
    draw_units(ax, units, colours, title)


def draw_categories(
    ax: plt.Axes,
    units: gpd.GeoDataFrame,
    categories: pd.Series,
    colours: Mapping[str, str],
    title: str,
) -> None:
    """Fill each unit with the colour of its category (``categories`` indexed by unit_id)."""
    fill = units["unit_id"].map(categories).map(colours)
    draw_units(ax, units, [c if isinstance(c, str) else None for c in fill], title)


def classed_legend(
    fig: plt.Figure, axes: list[plt.Axes], breaks: np.ndarray, cmap, norm, label: str
) -> None:
    """A colour bar with one equal-height box per class, labelled at the class breaks."""
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=axes, shrink=0.9, spacing="uniform", ticks=breaks)
    bar.ax.set_yticklabels([format_break(b) for b in breaks], fontsize=8)
    bar.set_label(label)


def category_legend(
    fig: plt.Figure,
    categories: Iterable[str],
    colours: Mapping[str, str],
    label: Callable[[str], str],
    title: str = "",
) -> None:
    """A legend box at the right of the figure, one patch per category."""
    handles = [
        Patch(facecolor=colours[c], label=label(c), edgecolor=EDGE["edgecolor"], linewidth=0.5)
        for c in categories
    ]
    fig.legend(handles=handles, loc="outside right center", title=title, frameon=False, fontsize=8)


# Where the north arrow and the scale bar go, in axes fractions of a map panel: each in the
# corner of its side (top for the arrow, bottom for the bar) that the units cover least,
# outlined in white (a halo) where units are under it, so that they read on any fill without a
# box hiding the units. MARGIN is their distance from the frame; the boxes are what each
# covers, label included (8-point text fits them on panels from about 1.3 inches high).
DECORATION_MARGIN = 0.03
ARROW_LENGTH = 0.14  # from the tip to the middle of the "N"
ARROW_BOX = (0.10, ARROW_LENGTH + 0.08)  # width, height of the arrow and its "N"
BAR_BOX_HEIGHT = 0.12  # the bar, its label above it; its width follows the bar's length
HALO_WIDTH_PT = 2.0  # how much wider the white outline is than the stroke (1 pt a side)
# Another corner is taken only if the units cover this much less of it: equal covers that
# differ in the last bits of floating point keep the preferred corner.
COVER_MARGIN = 0.02
DECORATION_ZORDER = 3


def corner_box(corner: str, size: tuple[float, float]) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1, axes fractions) of ``size`` in ``corner`` ("upper right",
    "lower left", ...) of an axes, DECORATION_MARGIN / 2 from its frame."""
    edge = DECORATION_MARGIN / 2
    x0 = 1 - edge - size[0] if corner.endswith("right") else edge
    y0 = 1 - edge - size[1] if corner.startswith("upper") else edge
    return x0, y0, x0 + size[0], y0 + size[1]


def covered_share(ax: plt.Axes, units: gpd.GeoDataFrame, box: tuple[float, ...]) -> float:
    """The share of ``box`` (axes fractions of a map panel) that the units cover (a unit
    without geometry covers nothing)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    xmin, xmax = x0 + box[0] * (x1 - x0), x0 + box[2] * (x1 - x0)
    ymin, ymax = y0 + box[1] * (y1 - y0), y0 + box[3] * (y1 - y0)
    inside = shapely.clip_by_rect(units.geometry.values, xmin, ymin, xmax, ymax)
    return float(np.nansum(shapely.area(inside)) / ((xmax - xmin) * (ymax - ymin)))


def place(
    ax: plt.Axes, units: gpd.GeoDataFrame, corners: tuple[str, str], size
) -> tuple[str, bool]:
    """The first of ``corners`` that the units cover least (within COVER_MARGIN) for a box of
    ``size``, and whether units are under it there."""
    cover = {c: covered_share(ax, units, corner_box(c, size)) for c in corners}
    least = min(cover.values())
    corner = next(c for c in corners if cover[c] <= least + COVER_MARGIN)
    return corner, cover[corner] > 0


def halo(width_pt: float, **stroke) -> list[patheffects.AbstractPathEffect]:
    """A white outline HALO_WIDTH_PT wider than a stroke of ``width_pt``, drawn under it."""
    return [
        patheffects.withStroke(linewidth=width_pt + HALO_WIDTH_PT, foreground="white", **stroke),
    ]


def add_north_arrow(ax: plt.Axes, corner: str = "upper right", haloed: bool = False) -> None:
    """A small 'N' arrow in an upper corner of the panel (maps are north-up at their
    centre), outlined in white if ``haloed``."""
    x0, _, x1, y1 = corner_box(corner, ARROW_BOX)
    x, top = (x0 + x1) / 2, y1 - DECORATION_MARGIN / 2
    arrow = ax.annotate(
        "N",
        xy=(x, top),
        xytext=(x, top - ARROW_LENGTH),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=8,
        arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0},
        zorder=DECORATION_ZORDER,
    )
    if haloed:
        arrow.set_path_effects(halo(0))
        arrow.arrow_patch.set_path_effects(halo(1.0))


def scale_bar_km(ax: plt.Axes) -> float:
    """A round length (1, 2 or 5 × 10ⁿ km), at most a quarter of the map's width."""
    x0, x1 = ax.get_xlim()
    target_km = (x1 - x0) / 4 / 1000
    length_km = 10 ** math.floor(math.log10(target_km))
    return length_km * max(m for m in (1, 2, 5) if m * length_km <= target_km)


def add_scale_bar(ax: plt.Axes, corner: str = "lower left", haloed: bool = False) -> None:
    """A scale bar of ``scale_bar_km`` in a lower corner of a map drawn in metres (as
    ``draw_units`` draws), outlined in white if ``haloed``."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length_m = scale_bar_km(ax) * 1000
    margin = DECORATION_MARGIN * (x1 - x0)
    x = x0 + margin if corner.endswith("left") else x1 - margin - length_m
    y = y0 + DECORATION_MARGIN * (y1 - y0)
    ax.plot(
        [x, x + length_m],
        [y, y],
        color="black",
        lw=2,
        solid_capstyle="butt",
        zorder=DECORATION_ZORDER,
        # the bar's ends are cut square: its outline projects beyond them
        path_effects=halo(2, capstyle="projecting") if haloed else None,
    )
    ax.text(
        x + length_m / 2,
        y + 0.02 * (y1 - y0),
        f"{length_m / 1000:g} km",
        ha="center",
        fontsize=8,
        zorder=DECORATION_ZORDER,
        path_effects=halo(0) if haloed else None,
    )


def decorate(ax: plt.Axes, units: gpd.GeoDataFrame) -> None:
    """Scale bar and north arrow on the first panel of a set of small multiples (``units``
    as drawn there), each in the corner of its side where it hides the fewest units."""
    units = planar(units)
    x0, x1 = ax.get_xlim()
    bar_width = scale_bar_km(ax) * 1000 / (x1 - x0) + DECORATION_MARGIN
    add_scale_bar(ax, *place(ax, units, ("lower left", "lower right"), (bar_width, BAR_BOX_HEIGHT)))
    add_north_arrow(ax, *place(ax, units, ("upper right", "upper left"), ARROW_BOX))
