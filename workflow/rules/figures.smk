"""Figures from result tables alone."""


rule figure_net_emission_maps:
    input:
        budget=rules.carbon_budget.output.budget,
        units=rules.prepare_units.output.polygons,
    output:
        f"{OUT}/figures/net_emission_maps.png",
    log:
        f"{LOGS}/figure_net_emission_maps.log",
    benchmark:
        f"{BENCH}/figure_net_emission_maps.tsv"
    conda:
        PLOT_ENV
    resources:
        mem_mb=1000,
    params:
        style=config["figures"],
    script:
        "../scripts/figure_net_emission_maps.py"


rule figure_carbon_by_landuse:
    input:
        by_landuse=rules.carbon_budget.output.by_landuse,
        types=config["landuse_types"],
    output:
        f"{OUT}/figures/carbon_by_landuse.png",
    log:
        f"{LOGS}/figure_carbon_by_landuse.log",
    benchmark:
        f"{BENCH}/figure_carbon_by_landuse.tsv"
    conda:
        PLOT_ENV
    resources:
        mem_mb=1000,
    params:
        style=config["figures"],
    script:
        "../scripts/figure_carbon_by_landuse.py"


rule figure_mfa_comparison:
    input:
        summary=rules.mfa_summary.output[0],
        mfa_classes=config["units"]["mfa_classes"],
    output:
        f"{OUT}/figures/mfa_comparison.png",
    log:
        f"{LOGS}/figure_mfa_comparison.log",
    benchmark:
        f"{BENCH}/figure_mfa_comparison.tsv"
    conda:
        PLOT_ENV
    resources:
        mem_mb=1000,
    params:
        style=config["figures"],
    script:
        "../scripts/figure_mfa_comparison.py"


rule figure_sensitivity:
    input:
        stability=rules.sensitivity.output.stability,
        oat=rules.sensitivity.output.oat,
        zones=rules.sensitivity.output.zones,
    output:
        f"{OUT}/figures/sensitivity_stability.png",
    log:
        f"{LOGS}/figure_sensitivity.log",
    benchmark:
        f"{BENCH}/figure_sensitivity.tsv"
    conda:
        PLOT_ENV
    resources:
        mem_mb=1000,
    params:
        style=config["figures"],
    script:
        "../scripts/figure_sensitivity.py"
