"""End to end on the demo: contract files, independent checks of areas and budget, and
incremental reruns (a new year; a changed coefficient). One workflow run is shared."""

from __future__ import annotations

import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import rasterio.features
import rasterio.windows
import yaml
from rasterstats import zonal_stats

from lucarbon.model.zoning import GRADED_ZONES
from pdf_fonts import font_subtypes
from workflow_helpers import edit_config, scheduled_jobs, snakemake

pytestmark = pytest.mark.workflow

CONTRACT = [
    "tables/landuse_area.csv",
    "tables/landuse_transitions.csv",
    "tables/carbon_budget.csv",
    "tables/compensation.csv",
    "tables/mfa_summary.csv",
]
PER_YEAR = {
    "download_landcover",
    "check_landcover",
    "reclassify",
    "landuse_area",
}
FIGURE_JOBS = {"figures"}  # every figure in one job (workflow/rules/figures.smk)
DOWNSTREAM_OF_BUDGET = {
    "carbon_budget",
    "compensation",
    "mfa_summary",
    "sensitivity",
    "spatial_statistics",
    "regional_difference",
    "kernel_density",
    "development_zoning",
} | FIGURE_JOBS
CROSS_YEAR = DOWNSTREAM_OF_BUDGET | {
    "collect_landuse_area",
    "collect_nodata_inside_units",
    "collect_landuse_transitions",
}
FIGURES = [
    "landuse_composition",
    "landuse_transitions",
    "carbon_by_landuse",
    "net_emission_maps",
    "emission_maps",
    "absorption_maps",
    "emission_intensity_maps",
    "mfa_comparison",
    "ecc_esc_scatter",
    "ecc_esc_zoning_maps",
    "compensation_value_maps",
    "compensation_zoning_maps",
    "compensation_standard",
    "zoning_by_mfa",
    "moran_global",
    "lisa_maps",
    "hotspot_maps",
    "gravity_centres",
    "sensitivity_stability",
    "regional_difference",
    "kernel_density",
    "development_zoning",
]
SPATIAL_TABLES = ["spatial_autocorrelation", "lisa", "hotspots", "gravity_centres"]
MISSING_GLYPH = ("missing from font", "Glyph")


def table(project, name):
    return pd.read_csv(project["out"] / "tables" / f"{name}.csv", dtype={"unit_id": str})


def test_contract_files_exist(project):
    for name in CONTRACT:
        assert (project["out"] / name).stat().st_size > 0, name


def test_every_figure_is_drawn_as_png_and_pdf(project):
    for name in FIGURES:
        for extension, least in (("png", 30_000), ("pdf", 10_000)):
            path = project["out"] / "figures" / f"{name}.{extension}"
            assert path.stat().st_size > least, path.name


def test_figure_pdfs_embed_no_type3_font(project):
    """Print-ready: every PDF embeds its fonts as TrueType (Type 42), none as Type 3."""
    pdfs = sorted((project["out"] / "figures").glob("*.pdf"))
    assert len(pdfs) == len(FIGURES)
    assert {pdf.name: font_subtypes(pdf) & {"Type3"} for pdf in pdfs} == {
        pdf.name: set() for pdf in pdfs
    }


def glyph_warnings(out) -> list[str]:
    """Lines of the figure rule logs that report a character no font could draw."""
    return [
        line
        for log in sorted((out / "logs").glob("figures.log"))
        for line in log.read_text().splitlines()
        if any(word in line for word in MISSING_GLYPH)
    ]


def test_figures_render_without_missing_glyphs(project):
    logs = sorted((project["out"] / "logs").glob("figures.log"))
    assert len(logs) == len(FIGURE_JOBS)
    assert glyph_warnings(project["out"]) == []


def test_spatial_tables_cover_every_unit_variable_and_year(project):
    units, years = 36, len(project["years"])
    moran = table(project, "spatial_autocorrelation")
    assert len(moran) == 4 * years
    assert set(moran["variable"]) == {
        "net_emission_tC",
        "emission_tC",
        "absorption_tC",
        "emission_intensity_gdp_tC_per_10k_yuan",
    }
    assert moran["p_sim"].between(0.001, 1).all()
    for name in ("lisa", "hotspots"):
        local = table(project, name)
        assert len(local) == 4 * years * units, name
    centres = table(project, "gravity_centres")
    assert len(centres) == 2 * years
    units_gdf = gpd.read_file(project["dir"] / "resources/demo/units.gpkg")
    xmin, ymin, xmax, ymax = units_gdf.total_bounds
    assert centres["x_m"].between(xmin, xmax).all() and centres["y_m"].between(ymin, ymax).all()


def test_report_has_every_figure_and_table(project):
    report = project["dir"] / "report.html"
    snakemake(project["dir"], "--report", str(report))
    html = report.read_text()
    for name in FIGURES:
        assert f"{name}.png" in html, name
    tables = [path.name for path in (project["out"] / "tables").glob("*.*")]
    # CSV tables (sensitivity_choices, regional_difference, kernel_density and
    # development_zoning added in issue 9) and the provenance of budget and compensation
    assert len(tables) == 19 + 2
    for name in tables:
        assert name in html, name
    # every entry is listed by its label (workflow/report/labels.yaml), not its path
    labels = yaml.safe_load((project["dir"] / "workflow/report/labels.yaml").read_text())
    assert html.count('"labels": {"figure": ') == len(FIGURES)
    for name in FIGURES:
        assert f'"labels": {{"figure": "{labels["figures"][name]}"}}' in html, name


def test_adding_a_year_schedules_only_that_year_and_cross_year_jobs(project):
    new, last = project["years"][-1], project["years"][-2]
    expected = {f"{rule}[year={new}]" for rule in PER_YEAR - {"reclassify"}}
    expected.add(f"reclassify[tile=0_0, year={new}]")  # the one tile of the study window
    expected.add(f"landuse_transitions[year_from={last}, year_to={new}]")
    assert project["added"] == expected | CROSS_YEAR


def dry_run_with(project, **changes) -> set[str]:
    """Jobs a dry run schedules after changing the config (restored afterwards)."""
    path = project["dir"] / "config.yaml"
    original = path.read_text()
    try:
        edit_config(project["dir"], **changes)
        return scheduled_jobs(project["dir"])
    finally:
        path.write_text(original)


def test_changing_a_coefficient_reruns_budget_and_downstream_only(project):
    jobs = dry_run_with(project, coefficients__overrides={"forest": -0.6})
    assert jobs == DOWNSTREAM_OF_BUDGET


def test_switching_the_construction_mode_reruns_budget_and_downstream_only(project):
    jobs = dry_run_with(
        project, construction__mode="coefficient", coefficients__overrides={"construction": 40.0}
    )
    assert jobs == DOWNSTREAM_OF_BUDGET


def test_switching_the_price_reruns_only_what_uses_it(project):
    jobs = dry_run_with(project, compensation__price="china_ets_first_trade")
    assert jobs == {
        "compensation",
        "mfa_summary",
        "sensitivity",
        "development_zoning",
        "figures",
    }


def test_changing_a_figure_style_reruns_only_figure_jobs(project):
    assert dry_run_with(project, figures__dpi=100) == FIGURE_JOBS


def test_changing_a_spatial_setting_reruns_spatial_jobs_only(project):
    jobs = dry_run_with(project, spatial__permutations=499)
    assert jobs == {"spatial_statistics", "figures"}


def test_chinese_labels_render_without_missing_glyphs(project, tmp_path):
    """A copy of the finished run, switched to Chinese: the figure jobs rerun, and every
    character (unit, class and land-use names included) has a glyph. (Only mtimes trigger
    reruns in the copy: the download params hold absolute file URLs, which moved.)"""
    workdir = tmp_path / "zh"
    shutil.copytree(project["dir"], workdir, symlinks=True)
    edit_config(workdir, figures__language="zh")
    args = ("--rerun-triggers", "mtime", "--forcerun", *sorted(FIGURE_JOBS))
    assert scheduled_jobs(workdir, *args) == FIGURE_JOBS
    snakemake(workdir, *args)
    out = workdir / "results" / "demo"
    assert glyph_warnings(out) == []
    assert all("Type3" not in font_subtypes(pdf) for pdf in (out / "figures").glob("*.pdf"))
    english = (project["out"] / "figures" / "compensation_standard.png").read_bytes()
    assert (out / "figures" / "compensation_standard.png").read_bytes() != english


def test_nothing_left_to_do_after_a_complete_run(project):
    assert scheduled_jobs(project["dir"]) == set()


def test_nodata_table_has_every_unit_year_and_the_demo_no_holes(project):
    holes = table(project, "nodata_inside_units")
    assert len(holes) == 36 * len(project["years"])
    assert (holes["nodata_ha"] == 0).all() and (holes["nodata_share"] == 0).all()
    areas = table(project, "landuse_area").groupby(["unit_id", "year"])["area_ha"].sum()
    unit_area = holes.set_index(["unit_id", "year"])["unit_area_ha"]
    np.testing.assert_allclose(unit_area.sort_index(), areas.sort_index(), rtol=1e-12)


def test_areas_equal_rasterstats_counts_times_pixel_area(project):
    units = gpd.read_file(project["dir"] / "resources/demo/units.gpkg")
    areas = table(project, "landuse_area")
    landuse = pd.read_csv(project["dir"] / "data/landuse_types.csv")
    code_of = dict(zip(landuse["landuse"], landuse["code"], strict=True))
    # CLCD code -> land-use code by hand (data/reclass/clcd_to_landuse.csv).
    clcd_to_landuse = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 6, 7: 6, 8: 5, 9: 4}
    for year in (project["years"][0], project["years"][-1]):
        raster = project["dir"] / f"resources/demo/landcover/raw_{year}.tif"
        stats = zonal_stats(units, str(raster), categorical=True, nodata=0)
        for unit_id, raw_counts in zip(units["unit_id"], stats, strict=True):
            counts = {}
            for code, n in raw_counts.items():
                counts[clcd_to_landuse[code]] = counts.get(clcd_to_landuse[code], 0) + n
            rows = areas[(areas["unit_id"] == unit_id) & (areas["year"] == year)]
            for name, area in zip(rows["landuse"], rows["area_ha"], strict=True):
                expected = counts.get(code_of[name], 0) * 0.09
                assert area == pytest.approx(expected, rel=1e-12, abs=0), (unit_id, name)


def test_unit_class_areas_add_up_to_unit_and_study_area(project):
    units = gpd.read_file(project["dir"] / "resources/demo/units.gpkg").set_index("unit_id")
    areas = table(project, "landuse_area")
    pixel_m = 30.0
    for year, by_year in areas.groupby("year"):
        per_unit = by_year.groupby("unit_id")["area_ha"].sum()
        polygon_ha = units.area / 1e4
        # Pixel-centre assignment errs by at most the band of pixels along the boundary.
        tolerance_ha = units.length * pixel_m / 1e4
        assert (abs(per_unit - polygon_ha) <= tolerance_ha).all(), year
        # In practice errors cancel: within 0.5 % per unit and 0.05 % for the study area.
        assert np.allclose(per_unit, polygon_ha, rtol=5e-3)
        assert per_unit.sum() == pytest.approx(units.union_all().area / 1e4, rel=5e-4)


def test_transitions_margins_equal_yearly_areas(project):
    areas = table(project, "landuse_area").set_index(["unit_id", "year", "landuse"])["area_ha"]
    trans = table(project, "landuse_transitions")
    for (y0, y1), pair in trans.groupby(["year_from", "year_to"]):
        out = pair.groupby(["unit_id", "landuse_from"])["area_ha"].sum()
        into = pair.groupby(["unit_id", "landuse_to"])["area_ha"].sum()
        np.testing.assert_allclose(out.to_numpy(), areas.xs(y0, level="year").loc[out.index])
        np.testing.assert_allclose(into.to_numpy(), areas.xs(y1, level="year").loc[into.index])


def test_budget_for_one_unit_recomputed_by_hand(project):
    """Recompute one unit-year from the raw tables and the formulas of docs/method.md."""
    data = project["dir"] / "data"
    unit, year = "SYN05", 2015
    areas = table(project, "landuse_area")
    a = areas[areas["year"] == year].pivot(index="unit_id", columns="landuse", values="area_ha")
    # Energy: Σ amount × (kg or m3 per unit) × kgce/unit / 1000 × t C/tce, for the whole region.
    energy = pd.read_csv(data / "demo/stats/energy_synthetic.csv")
    fuels = pd.read_csv(data / "coefficients/fuel_factors.csv").set_index("fuel")
    per_unit = {"10k_t": 1e7, "100M_m3": 1e8}
    total = sum(
        row.amount
        * per_unit[row.unit]
        * fuels.loc[row.fuel, "standard_coal_kgce_per_unit"]
        / 1000
        * fuels.loc[row.fuel, "carbon_tC_per_tce"]
        for row in energy[energy["year"] == year].itertuples()
    )
    # Two levels (config construction.city): cities by energy intensity × GDP (current
    # prices) of their units, each city's part to its units by their industrial energy.
    stats = data / "demo/stats"
    gdp_now = pd.read_csv(stats / "gdp_synthetic.csv").query("year == @year")
    gdp_now = gdp_now.set_index("unit_id")["gdp_10k_yuan"]
    industry = pd.read_csv(stats / "industrial_energy_synthetic.csv").query("year == @year")
    industry = industry.set_index("unit_id")["industrial_energy_tce"]
    city_of = pd.read_csv(data / "demo/unit_cities_synthetic.csv").set_index("unit_id")["city_id"]
    intensity = pd.read_csv(stats / "city_energy_intensity_synthetic.csv").query("year == @year")
    weight = (
        gdp_now.groupby(city_of).sum()
        * intensity.set_index("city_id")["energy_intensity_tce_per_10k_yuan"]
    )
    city = city_of[unit]
    city_industry = industry[city_of[city_of == city].index].sum()
    construction = total * weight[city] / weight.sum() * industry[unit] / city_industry
    emission = a.loc[unit, "arable"] * 0.422 + construction
    crops = pd.read_csv(data / "coefficients/crop_parameters.csv").set_index("crop")
    yields = pd.read_csv(data / "demo/stats/crop_yield_synthetic.csv")
    mine = yields[(yields["unit_id"] == unit) & (yields["year"] == year)]
    crop = sum(
        crops.loc[r.crop, "carbon_fraction"]
        * r.yield_t
        * (1 - crops.loc[r.crop, "water_content"])
        / crops.loc[r.crop, "harvest_index"]
        for r in mine.itertuples()
    )
    absorption = (
        a.loc[unit, "forest"] * 0.644
        + a.loc[unit, "grassland"] * 0.021
        + a.loc[unit, "water"] * 0.253
        + a.loc[unit, "unused"] * 0.005
        + crop
    )
    budget = table(project, "carbon_budget").set_index(["unit_id", "year"]).loc[(unit, year)]
    assert budget["emission_construction_tC"] == pytest.approx(construction, rel=1e-12)
    assert budget["emission_tC"] == pytest.approx(emission, rel=1e-12)
    assert budget["absorption_tC"] == pytest.approx(absorption, rel=1e-12)
    assert budget["net_emission_tC"] == pytest.approx(emission - absorption, rel=1e-12)
    gdp = pd.read_csv(data / "demo/stats/gdp_synthetic.csv")
    deflator = pd.read_csv(data / "demo/stats/gdp_deflator_synthetic.csv").set_index("year")
    g = gdp[(gdp["unit_id"] == unit) & (gdp["year"] == year)]["gdp_10k_yuan"].iloc[0]
    g_const = (
        g * deflator.loc[2000, "gdp_deflator_index"] / deflator.loc[year, "gdp_deflator_index"]
    )
    assert budget["emission_intensity_gdp_tC_per_10k_yuan"] == pytest.approx(
        emission / g_const, rel=1e-12
    )


def test_compensation_is_zero_sum_and_complete(project):
    comp = table(project, "compensation")
    budget = table(project, "carbon_budget")
    assert len(comp) == len(budget) == 36 * len(project["years"])
    sums = comp.groupby("year")["delta_c_tC"].sum()
    scale = comp.groupby("year")["net_emission_tC"].apply(lambda s: s.abs().sum())
    assert (sums.abs() <= 1e-9 * scale).all()
    assert set(comp["zone"]) <= set(GRADED_ZONES)  # the demo's scheme: natural_breaks


def test_default_zoning_leaves_fewer_than_half_the_units_balanced(project):
    """The zones are those of the value the figures draw (the modified value): payers are
    positive, receivers negative, and balanced is rare (exactly zero only)."""
    comp = table(project, "compensation")
    balanced = (comp["zone"] == "balanced").groupby(comp["year"]).mean()
    assert (balanced < 0.5).all(), balanced
    value = comp["value_modified_yuan"]
    assert (value[comp["zone"].str.endswith("_payment")] > 0).all()
    assert (value[comp["zone"].str.endswith("_receiving")] < 0).all()
    strong = comp[comp["zone"] == "strong_payment"].groupby("year")["value_modified_yuan"].min()
    weak = comp[comp["zone"] == "weak_payment"].groupby("year")["value_modified_yuan"].max()
    assert (strong > weak.reindex(strong.index).fillna(-np.inf)).all()


CO2_PER_C = 44 / 12


def test_reporting_in_tco2_converts_every_carbon_column_once(project, tmp_path):
    """A copy of the finished run switched to t CO2, only the table rules rerun: every carbon
    column is the t C run's × 44/12 under its t CO2 name; everything else is unchanged."""
    workdir = tmp_path / "co2"
    shutil.copytree(project["dir"], workdir, symlinks=True)
    edit_config(workdir, reporting__carbon_unit="tCO2")
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    names = [
        "carbon_budget",
        "carbon_by_landuse",
        "compensation",
        "mfa_summary",
        "regional_difference",
        "kernel_density",
        *SPATIAL_TABLES,
    ]
    targets = [f"results/demo/tables/{name}.csv" for name in names]
    snakemake(workdir, "--rerun-triggers", "mtime", "--forcerun", "carbon_budget", *targets)
    converted = set()  # the tables that have carbon columns
    for name in names:
        carbon = table(project, name)
        dioxide = pd.read_csv(workdir / targets[names.index(name)], dtype={"unit_id": str})
        assert not [c for c in dioxide if c.endswith("_tC") or "_tC_" in c], name
        for column in carbon:
            if column.endswith("_tC") or "_tC_" in column:
                # per t C (a kernel density, density_per_tC_...): ÷ 44/12
                factor = 1 / CO2_PER_C if "per_tC" in column else CO2_PER_C
                expected = carbon[column] * factor
                actual = dioxide[column.replace("_tC", "_tCO2")]
                converted.add(name)
            elif column == "variable":
                assert (dioxide[column] == carbon[column].str.replace("_tC", "_tCO2")).all()
                continue
            elif not pd.api.types.is_numeric_dtype(carbon[column]):
                assert dioxide[column].tolist() == carbon[column].tolist(), (name, column)
                continue
            elif column == "value":  # LISA: the value of the quantity the row names
                carbon_rows = carbon["variable"].str.contains("_tC")
                expected = carbon[column].where(~carbon_rows, carbon[column] * CO2_PER_C)
                actual = dioxide[column]
            elif column == "p_sim":
                # Permutation p-values: the t CO2 run reads the t C values back to the last
                # bit, which can move a sum of permuted neighbours across the observed value
                # by one permutation (the LISA and Gi* classes above compare equal).
                step = 1 / (config["spatial"]["permutations"] + 1)
                np.testing.assert_allclose(dioxide[column], carbon[column], atol=step * 1.001)
                continue
            else:
                expected, actual = carbon[column], dioxide[column]
            scale = float(np.nanmax(np.abs(expected))) if expected.notna().any() else 0.0
            if column.endswith("_m"):  # shifts of centres: differences of coordinates
                scale = max(scale, float(carbon[["x_m", "y_m"]].abs().max().max()))
            np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12 * scale)
    assert converted >= {"carbon_budget", "carbon_by_landuse", "compensation", "mfa_summary"}


def test_delta_c_recomputed_from_the_budget_inputs_to_full_precision(project):
    """ΔC = net − Σnet × GDP share (benchmark gdp, current prices), from the budget's own
    emission and absorption columns and the raw GDP table; tables keep every digit, so the
    compensation rule's result agrees to 1e-12 (10-digit tables gave ~1e-8)."""
    data = project["dir"] / "data"
    budget = table(project, "carbon_budget")
    gdp = pd.read_csv(data / "demo/stats/gdp_synthetic.csv", dtype={"unit_id": str})
    merged = budget[["unit_id", "year", "emission_tC", "absorption_tC"]].merge(
        gdp, on=["unit_id", "year"]
    )
    net = merged["emission_tC"] - merged["absorption_tC"]
    by_year = merged.assign(net=net).groupby("year")
    share = merged["gdp_10k_yuan"] / by_year["gdp_10k_yuan"].transform("sum")
    expected = net - by_year["net"].transform("sum") * share
    comp = table(project, "compensation").merge(merged[["unit_id", "year"]], how="right")
    scale = net.abs().max()
    np.testing.assert_allclose(comp["delta_c_tC"], expected, rtol=0, atol=1e-12 * scale)
    np.testing.assert_allclose(budget["net_emission_tC"], net, rtol=1e-15, atol=0)


def test_mfa_summary_adds_up_to_the_study_area(project):
    summary = table(project, "mfa_summary")
    budget = table(project, "carbon_budget")
    classes = summary[summary["mfa_class"] != "study_area"]
    study = summary[summary["mfa_class"] == "study_area"].set_index("year")
    assert classes["mfa_class"].nunique() == 5
    for column in ("emission_tC", "absorption_tC", "net_emission_tC"):
        np.testing.assert_allclose(classes.groupby("year")[column].sum(), study[column])
        np.testing.assert_allclose(budget.groupby("year")[column].sum(), study[column])


def test_without_statistics_the_land_use_outputs_are_still_made(project):
    """No statistics tables at all: areas, transitions and direct fluxes are computed; the
    rest is listed as skipped with its reason."""
    workdir = project["dir"]
    config = yaml.safe_load((workdir / "config.yaml").read_text())
    config["study"] = "landuse_only"
    config["statistics"] = {}
    (workdir / "landuse_only.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    result = snakemake(workdir, "--configfile", "landuse_only.yaml")
    assert "skipped compensation" in result.stderr
    out = workdir / "results" / "landuse_only"
    skipped = pd.read_csv(out / "skipped_outputs.csv").set_index("skipped")["reason"]
    assert {"compensation", "sensitivity", "GDP indicators"} <= set(skipped.index)
    assert not (out / "tables" / "compensation.csv").exists()
    budget = pd.read_csv(out / "tables" / "carbon_budget.csv")
    assert (budget["emission_construction_tC"] == 0).all()
    assert "ecc" not in budget and "esc" in budget
    full = table(project, "carbon_budget")
    np.testing.assert_allclose(budget["absorption_forest_tC"], full["absorption_forest_tC"])
    assert (out / "tables" / "mfa_summary.csv").is_file()
    # Without GDP the maps show emission intensity per area; no ECC/ESC or compensation figures.
    figures = {path.stem for path in (out / "figures").glob("*.png")}
    assert {"emission_intensity_maps", "lisa_maps", "landuse_transitions"} <= figures
    assert not figures & {"ecc_esc_scatter", "compensation_value_maps", "mfa_comparison"}
    moran = pd.read_csv(out / "tables" / "spatial_autocorrelation.csv")
    assert "emission_intensity_area_tC_per_ha" in set(moran["variable"])


def test_sensitivity_has_stability_rows_for_each_structural_choice(project):
    """Every choice of the shipped choice table has rows in the stability table; every
    alternative is listed, run or with the reason it was skipped."""
    choices = pd.read_csv(project["dir"] / "data/analysis/structural_choices.csv")
    stability = table(project, "sensitivity_stability")
    structural = stability[stability["analysis"] == "structural"]
    assert set(structural["choice"]) == set(choices["choice"])
    ran = structural[structural["runs"] > 0]
    assert {"coefficient_set", "price", "benchmark", "modification"} <= set(ran["choice"])
    assert ran["share_kept"].between(0, 1).all()
    # zones do not depend on the carbon price
    price = ran[ran["choice"] == "price"].set_index("conclusion")["share_kept"]
    assert price["compensation_zone_all_unit_years"] == 1.0
    listed = table(project, "sensitivity_choices")
    skipped = listed[listed["skipped"].notna()]
    assert skipped["skipped"].str.len().min() > 10  # a reason, not a flag
    assert listed.loc[listed["skipped"].isna(), "same_peak_year"].notna().all()


def test_regional_tables_on_the_demo(project):
    years = len(project["years"])
    theil = table(project, "regional_difference")
    parts = theil.pivot_table(index="year", columns="part", values="contribution", aggfunc="sum")
    assert len(parts) == years
    np.testing.assert_allclose(parts["total"], parts["between"] + parts["within"], rtol=1e-9)
    np.testing.assert_allclose(parts["within"], parts["class"], rtol=1e-9)
    density = table(project, "kernel_density")
    grids = density.groupby("year")["value_tC_per_10k_yuan"].apply(tuple)
    assert grids.nunique() == 1 and len(grids.iloc[0]) == 200  # one common grid
    step = np.diff(grids.iloc[0])[0]
    mass = density.groupby("year")["density_per_tC_per_10k_yuan"].sum() * step
    np.testing.assert_allclose(mass, 1, atol=1e-3)  # each year's density integrates to 1
    zoning = table(project, "development_zoning")
    assert len(zoning) == 36 * years and zoning["strategy"].notna().all()
    labels = pd.read_csv(project["dir"] / "data/analysis/strategy_labels.csv")
    assert set(zoning["strategy"]) <= set(labels["strategy"])


def test_the_land_use_raster_on_request_is_the_reclassified_raw_raster_inside_the_units(project):
    """Rule landuse_raster (landcover.landuse_rasters): by hand, the CLCD codes of the raw
    raster through the reclass table, 0 where no unit holds the pixel centre."""
    year = project["years"][-1]
    target = f"results/demo/landuse/landuse_{year}_tile0_0.tif"
    snakemake(project["dir"], target)
    raw = project["dir"] / f"resources/demo/landcover/raw_{year}.tif"
    units = gpd.read_file(project["dir"] / "resources/demo/units.gpkg")
    by_hand = np.array([0, 1, 2, 2, 3, 4, 6, 6, 5, 4])  # CLCD 0..9 -> land-use codes
    with rasterio.open(raw) as src, rasterio.open(project["dir"] / target) as out:
        assert out.crs == src.crs and out.profile["compress"].lower() == "zstd"
        window = rasterio.windows.from_bounds(*out.bounds, transform=src.transform)
        codes = src.read(1, window=window.round_offsets().round_lengths())
        inside = rasterio.features.rasterize(
            ((g, 1) for g in units.geometry), out_shape=out.shape, transform=out.transform
        )
        np.testing.assert_array_equal(out.read(1), np.where(inside == 1, by_hand[codes], 0))


def test_a_study_window_split_into_tiles_gives_the_same_counts(project, tmp_path):
    """landcover.partition: the two tiles' counts of the last year (its areas and the
    transition from the year before), summed, are the one-tile counts (to rounding). In a
    copy of the shared run, which other tests must find complete."""
    workdir = tmp_path / "tiles"
    shutil.copytree(project["dir"], workdir, symlinks=True)
    (workdir / "tiles.yaml").write_text("landcover:\n  partition: {rows: 1, columns: 2}\n")
    year = project["years"][-1]
    counts = [f"resources/demo/landuse/counts_0_{tile}_{year}.npy" for tile in (0, 1)]
    snakemake(workdir, *counts, "--configfile", "config.yaml", "tiles.yaml")
    grids = {path.name for path in (workdir / "resources/demo/grid").iterdir()}
    assert grids == {"unit_grid_0_0.npz", "unit_grid_0_1.npz"}
    left, right = (np.load(workdir / path) for path in counts)
    assert left.sum() > 0 and right.sum() > 0  # both tiles hold units
    whole = np.load(project["dir"] / f"resources/demo/landuse/counts_0_0_{year}.npy")
    np.testing.assert_allclose(left + right, whole, rtol=1e-14, atol=1e-9)
