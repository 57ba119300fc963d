"""Any number of years. SYNTHETIC years added to the demo (tools/make_demo_data.py --extend):
a sixth schedules only its own raster jobs and the cross-year jobs; with nine, every table
has every year and every figure one panel, bar, point or line per year (one matrix per
period), checked on the figure objects the rules' plotting functions return for the run's
tables (of six and of nine years). Layout functions are checked for a CLCD-like 37 years."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sys
import time
from pathlib import Path

import matplotlib.colors
import matplotlib.patches
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

from lucarbon.analysis.regional import read_strategy_labels
from lucarbon.analysis.spatial import LISA_CLASSES
from lucarbon.core.io import read_table
from lucarbon.figures.carbon import carbon_by_landuse, mfa_comparison, quantity_maps
from lucarbon.figures.landuse import landuse_composition, landuse_transitions
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.regional import development_zoning, kernel_density, regional_difference
from lucarbon.figures.spatial import (
    class_maps,
    gravity_centres,
    moran_over_years,
    variable_year_grid,
)
from lucarbon.figures.style import start, year_ticks
from lucarbon.figures.zoning import ecc_esc_scatter, zoning_by_mfa
from lucarbon.model.reporting import read_result
from lucarbon.raster.landuse import read_landuse_types
from test_workflow import CROSS_YEAR, FIGURES, PER_YEAR
from workflow_helpers import edit_config, scheduled_jobs, snakemake

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import make_demo_data

SIXTH, LATER = 2025, [2030, 2035, 2040]
DEMO = Path("data/demo")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
STYLE = {"language": "en"}
TRIGGERS = ("mtime", "input", "code", "software-env")  # all but params


def extend_demo(workdir: Path, years: list[int]) -> list[int]:
    """Add SYNTHETIC ``years`` to the demo data and the config of a project copy."""
    make_demo_data.main(["--out", str(workdir / DEMO), "--extend", *map(str, years)])
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    edit_config(workdir, years=config["years"] + years)
    return config["years"] + years


@pytest.mark.workflow
def test_a_sixth_year_schedules_only_its_raster_jobs_and_the_cross_year_jobs(project):
    """On the finished demo run (restored afterwards, bytes and times): the new year's
    raster, its registry row and its statistics rows, as a user adds them, schedule that
    year's raster jobs, the transitions from the last year, and the cross-year jobs: no
    job of an earlier year (a per-year rule that read the list of years, or a registry or
    statistics file, would rerun them all)."""
    workdir = project["dir"]
    kept = [workdir / "config.yaml", workdir / DEMO / "registry_synthetic.csv"]
    kept += sorted((workdir / DEMO / "stats").glob("*.csv"))
    backup = {path: (path.read_bytes(), path.stat()) for path in kept}
    try:
        extend_demo(workdir, [SIXTH])
        jobs = scheduled_jobs(workdir)
    finally:
        for path, (data, stat) in backup.items():
            path.write_bytes(data)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        (workdir / DEMO / f"landcover/landcover_synthetic_{SIXTH}.tif").unlink(missing_ok=True)
    last = project["years"][-1]
    rules = {job.partition("[")[0] for job in jobs}
    assert rules == PER_YEAR | {"landuse_transitions"} | CROSS_YEAR
    for job in jobs:  # per-year jobs (any further wildcards, e.g. tiles) of the new year only
        wildcards = dict(re.findall(r"(\w+)=([^,\]]+)", job))
        if job.partition("[")[0] in CROSS_YEAR:
            assert wildcards == {}, job
        elif "year" in wildcards:
            assert wildcards["year"] == str(SIXTH), job
        else:
            assert (wildcards["year_from"], wildcards["year_to"]) == (str(last), str(SIXTH)), job
    assert {path: path.stat().st_mtime_ns for path in kept} == {
        path: stat.st_mtime_ns for path, (_, stat) in backup.items()
    }


@pytest.fixture(scope="module")
def nine(project, tmp_path_factory):
    """A copy of the finished demo run with four SYNTHETIC years more, its figures and
    tables made (not the report: it does not depend on the number of years beyond what the
    tables show; the figures are one job, so the sensitivity analysis runs too). Params do
    not trigger reruns in the copy (the download params hold absolute file URLs, which
    moved)."""
    workdir = tmp_path_factory.mktemp("nine") / "demo"
    shutil.copytree(project["dir"], workdir, symlinks=True)
    resources = workdir / "resources" / "demo"
    before = {p: p.stat().st_mtime_ns for p in resources.rglob("*") if p.is_file()}
    years = extend_demo(workdir, [SIXTH, *LATER])
    extended = time.time_ns()
    figures = [f"results/demo/figures/{name}.png" for name in FIGURES]
    snakemake(workdir, *figures, "--rerun-triggers", *TRIGGERS)
    return {
        "dir": workdir,
        "out": workdir / "results/demo",
        "years": years,
        "before": before,
        "extended": extended,
    }


def table(run, name, years=None):
    frame = read_result(run["out"] / "tables" / f"{name}.csv", values="reported")
    if years is None:
        return frame
    column = "year" if "year" in frame else "year_to"
    return frame[frame[column].isin(years)].reset_index(drop=True)


@pytest.mark.workflow
def test_the_new_years_ran_their_raster_jobs_and_no_earlier_year_reran(nine):
    old = set(map(str, nine["years"][:5]))
    after = {p: p.stat().st_mtime_ns for p in (nine["dir"] / "resources/demo").rglob("*")}
    earlier = [p for p in nine["before"] if set(YEAR.findall(p.name)) <= old]
    assert [p.name for p in earlier if after[p] != nine["before"][p]] == []
    for year in (SIXTH, *LATER):
        assert any(str(year) in p.name for p in after if p not in nine["before"]), year


@pytest.mark.workflow
def test_every_table_has_every_year_and_period(nine):
    years, units = nine["years"], 36
    periods = list(itertools.pairwise(years))
    assert sorted(table(nine, "landuse_area")["year"].unique()) == years
    transitions = table(nine, "landuse_transitions")
    pairs = zip(transitions["year_from"], transitions["year_to"], strict=True)
    assert sorted(set(pairs)) == periods
    for name, rows in {
        "carbon_budget": units,
        "compensation": units,
        "development_zoning": units,
        "mfa_summary": 6,  # five classes and the study area
        "spatial_autocorrelation": 4,
        "gravity_centres": 2,
        "kernel_density": 200,
    }.items():
        frame = table(nine, name)
        assert frame.groupby("year").size().to_dict() == dict.fromkeys(years, rows), name
    theil = table(nine, "regional_difference")
    assert sorted(theil["year"].unique()) == years


@pytest.mark.workflow
def test_every_figure_is_redrawn_with_the_new_years(nine):
    for name in FIGURES:
        for extension in ("png", "pdf"):
            path = nine["out"] / "figures" / f"{name}.{extension}"
            assert path.stat().st_mtime_ns >= nine["extended"], path.name


def titles(fig) -> list[str]:
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def tick_labels(ax) -> list[str]:
    return [tick.get_text() for tick in ax.get_xticklabels()]


def distinct(colours) -> bool:
    rgba = [tuple(matplotlib.colors.to_rgba(c)) for c in colours]
    return len(set(rgba)) == len(rgba)


@pytest.mark.workflow
@pytest.mark.parametrize("count", [6, 9])
def test_every_figure_lays_out_each_year(nine, count):
    """The plotting functions of the figures rule, on the run's tables of ``count`` years."""
    years = nine["years"][:count]
    shown = [str(y) for y in years]
    data = nine["dir"] / "data"
    types = read_landuse_types(data / "landuse_types.csv")
    classes = read_table(data / "mfa_classes.csv", ("mfa_class", "order", "name_en"))
    units = read_map_units(nine["dir"] / "resources/demo/units.gpkg")
    budget, comp = table(nine, "carbon_budget", years), table(nine, "compensation", years)

    fig = landuse_composition(
        table(nine, "landuse_area", years), types, start(STYLE, landuse=types)
    )
    left, right = fig.axes[:2]
    assert tick_labels(left) == shown and tick_labels(right) == shown[1:]
    fig = landuse_transitions(
        table(nine, "landuse_transitions", years), types, start(STYLE, landuse=types)
    )
    assert titles(fig) == [f"{a} → {b}" for a, b in itertools.pairwise(years)]
    fig = carbon_by_landuse(
        table(nine, "carbon_by_landuse", years), types, start(STYLE, landuse=types)
    )
    net = fig.axes[0].lines[0]
    assert len(net.get_xdata()) == count and tick_labels(fig.axes[0]) == shown

    fig = quantity_maps(units, budget, "net_emission_tC", start(STYLE), 6, "fisher_jenks")
    assert titles(fig) == shown
    fig = mfa_comparison(table(nine, "mfa_summary", years), classes, start(STYLE, mfa=classes))
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert legend == shown
    bars = [p for p in fig.axes[0].patches if isinstance(p, matplotlib.patches.Rectangle)]
    assert len(bars) == len(classes) * count
    assert distinct(bars[i * len(classes)].get_facecolor() for i in range(count))
    fig = ecc_esc_scatter(budget, classes, 1.0, start(STYLE, mfa=classes))
    assert titles(fig) == shown
    fig = zoning_by_mfa(comp, budget, classes, start(STYLE, mfa=classes))
    assert sorted(titles(fig)) == sorted(shown * 2)
    assert sum(bool(ax.get_xlabel()) for ax in fig.axes) == min(count, 5)

    moran = table(nine, "spatial_autocorrelation", years)
    fig = moran_over_years(moran, 0.05, 999, start(STYLE))
    assert [len(line.get_xdata()) for line in fig.axes[0].lines[:4]] == [count] * 4
    assert tick_labels(fig.axes[0]) == shown
    lisa = table(nine, "lisa", years)
    fig = class_maps(units, lisa, "cluster", list(LISA_CLASSES), "LISA", start(STYLE))
    assert titles(fig) == shown
    assert len([ax for ax in fig.axes if ax.collections]) == 4 * count
    fig = gravity_centres(units, table(nine, "gravity_centres", years), start(STYLE))
    ellipses = [
        sum(isinstance(p, matplotlib.patches.Ellipse) for p in ax.patches) for ax in fig.axes
    ]
    assert ellipses[:2] == [count, count]

    fig = regional_difference(table(nine, "regional_difference", years), "x", start(STYLE))
    assert len(fig.axes[0].patches) == 2 * count and tick_labels(fig.axes[0]) == shown
    fig = kernel_density(table(nine, "kernel_density", years), "x", start(STYLE))
    lines = fig.axes[0].lines
    assert [line.get_label() for line in lines] == shown
    assert distinct(line.get_color() for line in lines)
    strategies = read_strategy_labels(data / "analysis/strategy_labels.csv")
    zoning = pd.read_csv(nine["out"] / "tables/development_zoning.csv", dtype={"unit_id": str})
    fig = development_zoning(units, zoning[zoning["year"].isin(years)], strategies, start(STYLE))
    assert titles(fig) == shown
    plt.close("all")


TYPES = pd.DataFrame(
    {"landuse": ["arable", "forest"], "name_en": ["Arable", "Forest"], "name_zh": ["耕地", "林地"]}
)
CLASSES = pd.DataFrame(
    {
        "mfa_class": ["dev", "eco"],
        "order": [1, 2],
        "name_en": ["Development", "Ecological"],
        "name_zh": ["开发", "生态"],
    }
)


def test_variable_year_grid_wraps_each_variable_in_rows_of_at_most_five():
    assert variable_year_grid(4, 5) == (4, 5, [(v, y) for v in range(4) for y in range(5)])
    rows, columns, cells = variable_year_grid(4, 9)
    assert (rows, columns) == (8, 5)
    assert cells[:10] == [(0, y) for y in range(5)] + [(1, y) for y in range(4)] + [(2, 0)]
    rows, columns, cells = variable_year_grid(2, 37)
    assert (rows, columns) == (16, 5) and len(set(cells)) == 74


@pytest.mark.parametrize("count", [2, 37])
def test_time_axes_widen_and_turn_their_labels_for_many_years(count):
    """CLCD has 37 years (1985, 1990-2022): the composition and carbon charts widen, their
    year labels turn vertical; the zone counts wrap into pairs of rows."""
    years = list(range(1985, 1985 + count))
    labels = start(STYLE, landuse=TYPES, mfa=CLASSES)
    areas = pd.DataFrame(
        [(y, t, 100.0 + i) for i, y in enumerate(years) for t in TYPES["landuse"]],
        columns=["year", "landuse", "area_ha"],
    ).assign(unit_id="U1")
    fig = landuse_composition(areas, TYPES, labels)
    width = fig.get_size_inches()[0]
    assert (width > 20) == (count > 20)
    rotation = {label.get_rotation() for label in fig.axes[0].get_xticklabels()}
    assert rotation == ({90.0} if count > 12 else {0.0})
    budget = pd.DataFrame(
        [
            (u, y, c, "low_carbon_maintenance")
            for y in years
            for u, c in (("A", "dev"), ("B", "eco"))
        ],
        columns=["unit_id", "year", "mfa_class", "ecc_esc_zone"],
    )
    comp = budget[["unit_id", "year"]].assign(zone="payment")
    fig = zoning_by_mfa(comp, budget, CLASSES, labels)
    assert len(titles(fig)) == 2 * count
    assert fig.get_size_inches()[1] == pytest.approx(5.2 * -(-count // 5))
    plt.close("all")


def test_year_ticks_label_every_year():
    fig, ax = plt.subplots()
    year_ticks(ax, [0, 1, 2], [2000, 2005, 2010])
    assert tick_labels(ax) == ["2000", "2005", "2010"]
    plt.close(fig)
