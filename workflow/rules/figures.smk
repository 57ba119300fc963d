"""Figures from result tables alone (and the unit polygons), each as a PNG shown in the report
and in the print format; the tables they read are added to the report too."""


rule figure_landuse:
    input:
        areas=report_table(rules.collect_landuse_area.output[0], "Land use"),
        transitions=report_table(rules.collect_landuse_transitions.output[0], "Land use"),
        types=config["landuse_types"],
    output:
        **figure_outputs("Land use", "landuse_composition", "landuse_transitions"),
    log:
        f"{LOGS}/figure_landuse.log",
    benchmark:
        f"{BENCH}/figure_landuse.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_landuse.py"


rule figure_carbon_by_landuse:
    input:
        by_landuse=report_table(rules.carbon_budget.output.by_landuse, "Carbon budget"),
        types=config["landuse_types"],
    output:
        **figure_outputs("Carbon budget", "carbon_by_landuse"),
    log:
        f"{LOGS}/figure_carbon_by_landuse.log",
    benchmark:
        f"{BENCH}/figure_carbon_by_landuse.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_carbon_by_landuse.py"


rule figure_budget_maps:
    input:
        budget=report_table(rules.carbon_budget.output.budget, "Carbon budget"),
        meta=report_table(rules.carbon_budget.output.meta, "Carbon budget"),
        units=rules.prepare_units.output.polygons,
    output:
        **figure_outputs(
            "Carbon budget",
            "net_emission_maps",
            "emission_maps",
            "absorption_maps",
            "emission_intensity_maps",
        ),
    log:
        f"{LOGS}/figure_budget_maps.log",
    benchmark:
        f"{BENCH}/figure_budget_maps.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_budget_maps.py"


rule figure_mfa_comparison:
    input:
        summary=report_table(rules.mfa_summary.output[0], "Main functional areas"),
        mfa_classes=config["units"]["mfa_classes"],
    output:
        **figure_outputs("Main functional areas", "mfa_comparison"),
    log:
        f"{LOGS}/figure_mfa_comparison.log",
    benchmark:
        f"{BENCH}/figure_mfa_comparison.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_mfa_comparison.py"


rule figure_ecc_esc:
    input:
        budget=rules.carbon_budget.output.budget,
        units=rules.prepare_units.output.polygons,
        mfa_classes=config["units"]["mfa_classes"],
    output:
        **figure_outputs("Zoning and compensation", "ecc_esc_scatter", "ecc_esc_zoning_maps"),
    log:
        f"{LOGS}/figure_ecc_esc.log",
    benchmark:
        f"{BENCH}/figure_ecc_esc.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        style=STYLE,
        threshold=config["budget"]["ecc_esc_threshold"],
    script:
        "../scripts/figure_ecc_esc.py"


rule figure_compensation:
    input:
        compensation=report_table(rules.compensation.output.table, "Zoning and compensation"),
        meta=report_table(rules.compensation.output.meta, "Zoning and compensation"),
        budget=rules.carbon_budget.output.budget,
        units=rules.prepare_units.output.polygons,
        unit_table=rules.prepare_units.output.table,
        mfa_classes=config["units"]["mfa_classes"],
    output:
        **figure_outputs(
            "Zoning and compensation",
            "compensation_value_maps",
            "compensation_zoning_maps",
            "compensation_standard",
            "zoning_by_mfa",
        ),
    log:
        f"{LOGS}/figure_compensation.log",
    benchmark:
        f"{BENCH}/figure_compensation.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_compensation.py"


rule figure_spatial:
    input:
        moran=rules.spatial_statistics.output.moran,
        lisa=rules.spatial_statistics.output.lisa,
        hotspots=rules.spatial_statistics.output.hotspots,
        gravity=rules.spatial_statistics.output.gravity,
        units=rules.prepare_units.output.polygons,
    output:
        **figure_outputs(
            "Spatial statistics", "moran_global", "lisa_maps", "hotspot_maps", "gravity_centres"
        ),
    log:
        f"{LOGS}/figure_spatial.log",
    benchmark:
        f"{BENCH}/figure_spatial.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        style=STYLE,
        spatial=config["spatial"],
    script:
        "../scripts/figure_spatial.py"


rule figure_sensitivity:
    input:
        stability=report_table(rules.sensitivity.output.stability, "Sensitivity"),
        oat=report_table(rules.sensitivity.output.oat, "Sensitivity"),
        zones=report_table(rules.sensitivity.output.zones, "Sensitivity"),
        monte_carlo=report_table(rules.sensitivity.output.monte_carlo, "Sensitivity"),
        choices_table=report_table(rules.sensitivity.output.choices, "Sensitivity"),
        ranges=config["sensitivity"]["ranges"],
        choices=config["sensitivity"]["choices"],
        mfa_classes=config["units"]["mfa_classes"],
    output:
        **figure_outputs("Sensitivity", "sensitivity_stability"),
    log:
        f"{LOGS}/figure_sensitivity.log",
    benchmark:
        f"{BENCH}/figure_sensitivity.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_sensitivity.py"


rule figure_regional_difference:
    input:
        table=report_table(rules.regional_difference.output[0], "Regional differences"),
    output:
        **figure_outputs("Regional differences", "regional_difference"),
    log:
        f"{LOGS}/figure_regional_difference.log",
    benchmark:
        f"{BENCH}/figure_regional_difference.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
        figure="regional_difference",
        indicator=config["analysis"]["theil"],
    script:
        "../scripts/figure_regional.py"


rule figure_kernel_density:
    input:
        table=report_table(rules.kernel_density.output[0], "Regional differences"),
    output:
        **figure_outputs("Regional differences", "kernel_density"),
    log:
        f"{LOGS}/figure_kernel_density.log",
    benchmark:
        f"{BENCH}/figure_kernel_density.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        style=STYLE,
        figure="kernel_density",
        indicator=config["analysis"]["kernel_density"],
    script:
        "../scripts/figure_regional.py"


rule figure_development_zoning:
    input:
        zoning=report_table(rules.development_zoning.output[0], "Zoning and compensation"),
        labels=config["analysis"]["strategy_labels"],
        units=rules.prepare_units.output.polygons,
    output:
        **figure_outputs("Zoning and compensation", "development_zoning"),
    log:
        f"{LOGS}/figure_development_zoning.log",
    benchmark:
        f"{BENCH}/figure_development_zoning.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=15,
    params:
        style=STYLE,
    script:
        "../scripts/figure_development_zoning.py"
