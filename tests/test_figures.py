"""Figure helpers whose output can be checked without looking at pixels: class breaks, names
in both languages, Chinese glyphs, unit outlines with holes, scale bars, byte-identical files."""

import itertools
import os
import warnings

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, box

from lucarbon.figures.breaks import SCHEMES, classed_colours, diverging_breaks, sequential_breaks
from lucarbon.figures.labels import Labels
from lucarbon.figures.maps import PAD, add_scale_bar, decorate, draw_units, unit_paths
from lucarbon.figures.style import save_figure, start
from lucarbon.figures.zoning import compensation_standard


@pytest.mark.parametrize("scheme", SCHEMES)
def test_diverging_breaks_include_zero_cover_the_data_and_are_rounded(scheme):
    values = np.array([-0.687, -0.3, -0.1, 0.05, 1.2, 5.4, 12.3, 23.0, 328.2])
    breaks = diverging_breaks(values, 8, scheme)
    assert 0.0 in breaks
    # -0.687 rounded down to 2 significant digits, 328.2 rounded up
    assert breaks[0] == -0.69 and breaks[-1] == 330
    assert np.all(np.diff(breaks) > 0)
    assert len(breaks) - 1 <= 8


def test_sequential_breaks_are_rounded_quantiles_of_all_values():
    # 1..100 in 5 classes: quantiles 20.8, 40.6, 60.4, 80.2 → 21, 41, 60, 80; ends 1 and 100.
    breaks = sequential_breaks(np.arange(1, 101), 5, "quantiles")
    assert breaks.tolist() == [1, 21, 41, 60, 80, 100]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_constant_values_still_get_one_class(scheme):
    assert len(sequential_breaks(np.full(4, 3.0), 5, scheme)) == 2


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("column", ["net_emission_tC", "emission_tC"])
def test_one_colour_per_class(column, scheme):
    values = np.array([-5.0, -1.0, 0.5, 2.0, 8.0, 40.0]) if "net" in column else np.arange(9.0)
    breaks, cmap, norm = classed_colours(column, values, 6, scheme)
    assert cmap.N == len(breaks) - 1 == norm.Ncmap
    assert norm(values.min()) == 0 and norm(values.max()) == cmap.N - 1


def test_only_positive_values_give_only_warm_classes():
    values = np.array([1.0, 2.0, 3.0, 40.0])
    breaks, cmap, _ = classed_colours("net_emission_tC", values, 8, "fisher_jenks")
    assert breaks[0] == 0.0
    red, _, blue, _ = cmap(0)
    assert red > blue  # PuOr_r: oranges above 0


TYPES = pd.DataFrame(
    {
        "landuse": ["arable", "forest"],
        "name_en": ["Arable land", "Forest"],
        "name_zh": ["耕地", None],
    }
)
UNITS = pd.DataFrame(
    {"unit_id": ["U1", "U2"], "name": ["Alpha", "Beta"], "name_zh": ["甲县", "乙县"]}
)


def test_names_follow_the_language_and_fall_back_to_english():
    zh = Labels("zh", landuse=TYPES, units=UNITS)
    assert zh.name("landuse", "arable") == "耕地"
    assert zh.name("landuse", "forest") == "Forest"  # no Chinese name given
    assert zh.name("unit", "U2") == "乙县"
    assert zh("payment") == "支付区"
    en = Labels("en", landuse=TYPES, units=UNITS)
    assert en.name("unit", "U2") == "Beta"
    assert en("peak", year=2015) == "emission peak 2015"
    with pytest.raises(ValueError, match="language"):
        Labels("fr")


def compensation_figure(language: str) -> plt.Figure:
    labels = start({"language": language}, units=UNITS)
    table = pd.DataFrame(
        {
            "unit_id": ["U1", "U2"],
            "year": [2020, 2020],
            "value_yuan": [-3e6, 5e6],
            "zone": ["receiving", "payment"],
        }
    )
    return compensation_standard(table, "value_yuan", labels)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_chinese_text_renders_without_missing_glyphs(tmp_path, language):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = compensation_figure(language)
        save_figure(fig, [tmp_path / "f.png", tmp_path / "f.pdf", tmp_path / "f.svg"], 80, "注")
    glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert glyphs == []
    assert (tmp_path / "f.png").stat().st_size > 5000


def test_saved_files_are_byte_identical(tmp_path):
    for run in ("a", "b"):
        paths = [tmp_path / f"{run}.{ext}" for ext in ("png", "pdf", "svg")]
        save_figure(compensation_figure("zh"), paths, 80, "note")
    for ext in ("png", "pdf", "svg"):
        a, b = (tmp_path / f"{run}.{ext}" for run in ("a", "b"))
        assert a.read_bytes() == b.read_bytes(), ext
    assert b"CreationDate" not in (tmp_path / "a.pdf").read_bytes()


def signed_area(ring: np.ndarray) -> float:
    """Shoelace formula: > 0 for a counter-clockwise ring."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(x @ np.roll(y, -1) - y @ np.roll(x, -1))


def test_unit_outlines_keep_holes_and_all_parts():
    # A hole is drawn as a hole (non-zero fill) when it turns the other way round.
    hole = box(4, 4, 6, 6).exterior.coords
    ring = Polygon(box(0, 0, 10, 10).exterior.coords, [hole])
    two = MultiPolygon([box(20, 0, 21, 1), box(30, 0, 31, 1)])
    paths = unit_paths(gpd.GeoDataFrame({"unit_id": ["a", "b"]}, geometry=[ring, two]))
    areas = [signed_area(r) for r in paths[0].to_polygons(closed_only=False)]
    assert areas == [pytest.approx(100), pytest.approx(-4)]
    assert [signed_area(r) for r in paths[1].to_polygons()] == [pytest.approx(1)] * 2


@pytest.mark.parametrize(("width_km", "bar_km"), [(64, 10), (100, 20), (700, 100), (9, 2)])
def test_scale_bar_is_a_round_length_within_a_quarter_of_the_width(width_km, bar_km):
    fig, ax = plt.subplots()
    ax.set_xlim(0, width_km * 1000)
    ax.set_ylim(0, 1000)
    add_scale_bar(ax)
    line = ax.lines[0].get_xdata()
    assert line[1] - line[0] == bar_km * 1000
    assert ax.texts[0].get_text() == f"{bar_km} km"
    plt.close(fig)


def test_maps_of_geographic_units_are_drawn_in_metres_with_a_true_scale_bar():
    # Units spanning 0.6° of longitude at 34° N (EPSG:4326): the map's width is their
    # geodesic width plus the padding on both sides, so the scale bar's metres are true.
    units = gpd.GeoDataFrame(
        {"unit_id": ["a", "b"]},
        geometry=[box(113.0, 34.0, 113.3, 34.2), box(113.3, 34.0, 113.6, 34.2)],
        crs="EPSG:4326",
    )
    fig, ax = plt.subplots()
    draw_units(ax, units, ["red", "blue"], "")
    add_scale_bar(ax)
    width_m = Geod(ellps="WGS84").inv(113.0, 34.1, 113.6, 34.1)[2]
    x0, x1 = ax.get_xlim()
    assert x1 - x0 == pytest.approx(width_m * (1 + 2 * PAD), rel=2e-3)
    line = ax.lines[0].get_xdata()
    assert ax.texts[0].get_text() == "10 km" and line[1] - line[0] == 10_000
    plt.close(fig)


def decorations(units: gpd.GeoDataFrame) -> tuple[tuple, tuple, dict[str, bool]]:
    """Where ``decorate`` puts the north arrow's tip and the scale bar's middle (in data
    coordinates) on a panel of ``units``, and which of the two it outlines in white."""
    fig, ax = plt.subplots()
    draw_units(ax, units, ["red"] * len(units), "")
    decorate(ax, units)
    arrow_label, bar_label = ax.texts[-1], ax.texts[0]
    arrow = ax.transData.inverted().transform(ax.transAxes.transform(arrow_label.xy))
    bar = ax.lines[0].get_xydata().mean(axis=0)
    haloed = {
        "arrow": bool(arrow_label.get_path_effects()),
        "bar": bool(bar_label.get_path_effects()) and bool(ax.lines[0].get_path_effects()),
    }
    plt.close(fig)
    return tuple(arrow), tuple(bar), haloed


def test_north_arrow_and_scale_bar_go_to_the_corners_free_of_units():
    # An L of three 10 km squares: the upper-right quarter of the extent is empty, so the
    # arrow goes there, without a halo; both lower corners are covered alike, so the bar takes
    # the preferred one, the lower left, outlined in white.
    squares = [box(0, 0, 1e4, 1e4), box(1e4, 0, 2e4, 1e4), box(0, 1e4, 1e4, 2e4)]
    arrow, bar, haloed = decorations(gpd.GeoDataFrame({"unit_id": list("abc")}, geometry=squares))
    assert arrow[0] > 1.5e4 and arrow[1] > 1.5e4
    assert bar[0] < 1e4 and bar[1] < 1e3
    assert haloed == {"arrow": False, "bar": True}
    # The L mirrored: the free corner is the upper left.
    mirrored = [box(0, 0, 1e4, 1e4), box(1e4, 0, 2e4, 1e4), box(1e4, 1e4, 2e4, 2e4)]
    arrow, bar, haloed = decorations(gpd.GeoDataFrame({"unit_id": list("abc")}, geometry=mirrored))
    assert arrow[0] < 0.5e4 and arrow[1] > 1.5e4
    assert bar[0] < 1e4
    assert haloed == {"arrow": False, "bar": True}


def test_the_scale_bar_goes_right_when_only_the_lower_right_corner_is_free():
    # A Γ: two squares on top, one below on the left.
    squares = [box(0, 1e4, 1e4, 2e4), box(1e4, 1e4, 2e4, 2e4), box(0, 0, 1e4, 1e4)]
    arrow, bar, haloed = decorations(gpd.GeoDataFrame({"unit_id": list("abc")}, geometry=squares))
    assert bar[0] > 1e4 and bar[1] < 1e3
    assert arrow[0] > 1.5e4  # both upper corners covered alike: the preferred one
    assert haloed == {"arrow": True, "bar": False}


def test_corners_covered_alike_keep_the_preferred_ones():
    # A 100 x 200 km rectangle: its corners are covered alike but for floating-point noise.
    arrow, bar, _ = decorations(
        gpd.GeoDataFrame({"unit_id": ["a"]}, geometry=[box(0, 0, 1e5, 2e5)])
    )
    assert bar[0] < 0.5e5 and arrow[0] > 0.5e5


def test_decorations_on_a_panel_full_of_units_are_outlined_in_white():
    # One square fills the panel (but for the padding): every corner is covered.
    _, _, haloed = decorations(gpd.GeoDataFrame({"unit_id": ["a"]}, geometry=[box(0, 0, 1e4, 1e4)]))
    assert haloed == {"arrow": True, "bar": True}


@pytest.mark.parametrize("n_years", [2, 5, 6, 9])
def test_transition_matrices_lay_out_for_any_number_of_periods(n_years):
    """One matrix per period in rows of at most four, no empty panels left, the colour bar
    beside the drawn ones and the 'to' label under the lowest panel of every column (a
    sixth year used to crash: removed panels were passed to the colour bar)."""
    from lucarbon.figures.landuse import MATRICES_PER_ROW, landuse_transitions

    years = list(range(2000, 2000 + 5 * n_years, 5))
    rows = [
        (a, b, lu_from, lu_to, 100.0 + i)
        for i, (a, b) in enumerate(itertools.pairwise(years))
        for lu_from in TYPES["landuse"]
        for lu_to in TYPES["landuse"]
    ]
    transitions = pd.DataFrame(
        rows, columns=["year_from", "year_to", "landuse_from", "landuse_to", "area_ha"]
    ).assign(unit_id="U1")
    labels = Labels("en", landuse=TYPES, units=UNITS)
    fig = landuse_transitions(transitions, TYPES.assign(code=[1, 2]), labels)
    periods = n_years - 1
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == periods
    assert len(fig.axes) == periods + 1  # and the colour bar
    columns = min(periods, MATRICES_PER_ROW)
    labelled = [ax for ax in panels if ax.get_xlabel()]
    assert len(labelled) == columns
    plt.close(fig)


def test_each_drawing_process_reads_a_result_table_once_and_hands_out_copies(monkeypatch, tmp_path):
    """Six sets that all use the budget, drawn in two forked processes: every set ran, each
    process read the table at most once, and a set changing its copy changes no other's."""
    from types import SimpleNamespace

    from lucarbon.figures import sets

    def read_result(path, values):
        with open(tmp_path / f"reads_{os.getpid()}", "a") as log:
            log.write(f"{path}\n")
        return pd.DataFrame({"x": [1.0]})

    def uses_budget(name):
        def draw(d):
            table = d.result("budget")
            (tmp_path / f"{name}_saw").write_text(str(table["x"].tolist()))
            table["x"] = -1.0  # must not reach the next set of this process
            return {}

        return draw

    names = [f"set{i}" for i in range(6)]
    monkeypatch.setattr(sets, "read_result", read_result)
    monkeypatch.setattr(sets, "SETS", {name: uses_budget(name) for name in names})
    monkeypatch.setattr(sets, "save_figures", lambda figures, output, style: None)
    inputs, params = SimpleNamespace(budget="budget.csv"), SimpleNamespace(style={})
    drawing = sets.Drawing(inputs, params, None, None, None, None)
    sets.draw_in_processes(drawing, None, names, processes=2)
    assert [(tmp_path / f"{n}_saw").read_text() for n in names] == ["[1.0]"] * 6
    reads = [p.read_text().split() for p in tmp_path.glob("reads_*")]
    assert 1 <= len(reads) <= 2 and all(r == ["budget.csv"] for r in reads)
