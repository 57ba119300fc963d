"""Every figure, drawn from the result tables alone (and the unit polygons) in one job, each
as a PNG shown in the report and in the print format; the tables they read are added to the
report too.

One job, not one per figure set: each Python process with matplotlib and the fonts costs
about 0.7 CPU s before it draws, and adding a year redraws every figure anyway; the job
forks its threads' worth of processes after those imports to draw sets side by side. The
price: changing one figure's code or setting redraws them all (README, "Figures and the
report")."""

# What the figures read, by name (the sets below pick theirs).
FIGURE_INPUTS = {
    "areas": report_table(rules.collect_landuse_area.output[0], "Land use"),
    "transitions": report_table(rules.collect_landuse_transitions.output[0], "Land use"),
    "types": config["landuse_types"],
    "by_landuse": report_table(rules.carbon_budget.output.by_landuse, "Carbon budget"),
    "budget": report_table(rules.carbon_budget.output.budget, "Carbon budget"),
    "budget_meta": report_table(rules.carbon_budget.output.meta, "Carbon budget"),
    "units": rules.prepare_units.output.polygons,
    "unit_table": rules.prepare_units.output.table,
    "mfa_classes": config["units"]["mfa_classes"],
    "mfa_summary": report_table(rules.mfa_summary.output[0], "Main functional areas"),
    "compensation": report_table(rules.compensation.output.table, "Zoning and compensation"),
    "compensation_meta": report_table(rules.compensation.output.meta, "Zoning and compensation"),
    "moran": rules.spatial_statistics.output.moran,
    "lisa": rules.spatial_statistics.output.lisa,
    "hotspots": rules.spatial_statistics.output.hotspots,
    "gravity": rules.spatial_statistics.output.gravity,
    "stability": report_table(rules.sensitivity.output.stability, "Sensitivity"),
    "oat": report_table(rules.sensitivity.output.oat, "Sensitivity"),
    "zones": report_table(rules.sensitivity.output.zones, "Sensitivity"),
    "monte_carlo": report_table(rules.sensitivity.output.monte_carlo, "Sensitivity"),
    "choices_table": report_table(rules.sensitivity.output.choices, "Sensitivity"),
    "ranges": config["sensitivity"]["ranges"],
    "choices": config["sensitivity"]["choices"],
    "regional_difference": report_table(
        rules.regional_difference.output[0], "Regional differences"
    ),
    "kernel_density": report_table(rules.kernel_density.output[0], "Regional differences"),
    "zoning": report_table(rules.development_zoning.output[0], "Zoning and compensation"),
    "strategy_labels": config["analysis"]["strategy_labels"],
}
# Figure sets (lucarbon.figures.sets.SETS): report category, figures, inputs besides the
# ones every set may use (types, units, unit_table, mfa_classes).
FIGURE_SETS = {
    "landuse": (
        "Land use",
        ["landuse_composition", "landuse_transitions"],
        ["areas", "transitions"],
    ),
    "carbon_by_landuse": ("Carbon budget", ["carbon_by_landuse"], ["by_landuse"]),
    "budget_maps": (
        "Carbon budget",
        ["net_emission_maps", "emission_maps", "absorption_maps", "emission_intensity_maps"],
        ["budget", "budget_meta"],
    ),
    "mfa_comparison": ("Main functional areas", ["mfa_comparison"], ["mfa_summary"]),
    "ecc_esc": (
        "Zoning and compensation",
        ["ecc_esc_scatter", "ecc_esc_zoning_maps"],
        ["budget"],
    ),
    "compensation": (
        "Zoning and compensation",
        [
            "compensation_value_maps",
            "compensation_zoning_maps",
            "compensation_standard",
            "zoning_by_mfa",
        ],
        ["compensation", "compensation_meta", "budget"],
    ),
    "spatial": (
        "Spatial statistics",
        ["moran_global", "lisa_maps", "hotspot_maps", "gravity_centres"],
        ["moran", "lisa", "hotspots", "gravity"],
    ),
    "sensitivity": (
        "Sensitivity",
        ["sensitivity_stability"],
        ["stability", "oat", "zones", "monte_carlo", "choices_table", "ranges", "choices"],
    ),
    "regional_difference": (
        "Regional differences",
        ["regional_difference"],
        ["regional_difference"],
    ),
    "kernel_density": ("Regional differences", ["kernel_density"], ["kernel_density"]),
    "development_zoning": (
        "Zoning and compensation",
        ["development_zoning"],
        ["zoning", "strategy_labels"],
    ),
}
# The sets whose figures are wanted (none of a skipped part, see common.smk), their named
# inputs (and those every set may use) and their PNG (in the report) and print files.
DRAWN_SETS = [name for name, (_, figures, _) in FIGURE_SETS.items() if wanted(*figures)]
DRAWN_INPUTS = {
    name: FIGURE_INPUTS[name]
    for name in dict.fromkeys(
        ["types", "units", "unit_table", "mfa_classes"]
        + [name for s in DRAWN_SETS for name in FIGURE_SETS[s][2]]
    )
}
DRAWN_OUTPUTS = {
    key: path
    for s in DRAWN_SETS
    for key, path in figure_outputs(FIGURE_SETS[s][0], *FIGURE_SETS[s][1]).items()
}


rule figures:
    input:
        **DRAWN_INPUTS,
    output:
        **DRAWN_OUTPUTS,
    log:
        f"{LOGS}/figures.log",
    benchmark:
        f"{BENCH}/figures.tsv"
    conda:
        PLOT_ENV
    threads: 2
    resources:
        mem_mb=1500,
        runtime=30,
    params:
        style=STYLE,
        sets=DRAWN_SETS,
        threshold=config["budget"]["ecc_esc_threshold"],
        spatial=config["spatial"],
        regional_difference=config["analysis"]["theil"],
        kernel_density=config["analysis"]["kernel_density"],
    script:
        "../scripts/figures.py"
