"""Analysis by main functional area class; sensitivity of the conclusions."""


rule mfa_summary:
    input:
        budget=rules.carbon_budget.output.budget,
        compensation=[] if "compensation" in SKIPPED else rules.compensation.output.table,
        mfa_classes=config["units"]["mfa_classes"],
    output:
        f"{OUT}/tables/mfa_summary.csv",
    log:
        f"{LOGS}/mfa_summary.log",
    benchmark:
        f"{BENCH}/mfa_summary.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    script:
        "../scripts/mfa_summary.py"


rule skipped_outputs:
    output:
        f"{OUT}/skipped_outputs.csv",
    log:
        f"{LOGS}/skipped_outputs.log",
    benchmark:
        f"{BENCH}/skipped_outputs.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    params:
        skipped=SKIPPED,
    script:
        "../scripts/skipped_outputs.py"


rule sensitivity:
    input:
        **model_inputs("engel"),
        prices=config["compensation"]["prices"],
        ranges=config["sensitivity"]["ranges"],
        choices=config["sensitivity"]["choices"],
        schema=repository_path(str(SCHEMA), ROOT),
    output:
        oat=f"{OUT}/tables/sensitivity_oat.csv",
        monte_carlo=f"{OUT}/tables/sensitivity_monte_carlo.csv",
        choices=f"{OUT}/tables/sensitivity_choices.csv",
        stability=f"{OUT}/tables/sensitivity_stability.csv",
        zones=f"{OUT}/tables/sensitivity_zone_stability.csv",
    log:
        f"{LOGS}/sensitivity.log",
    benchmark:
        f"{BENCH}/sensitivity.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=1500,
        runtime=30,
    params:
        coefficients=config["coefficients"],
        construction=config["construction"],
        arable=config["arable"],
        budget=config["budget"],
        compensation=config["compensation"],
        statistics=statistics_params(*BUDGET_KINDS, "engel"),
        sensitivity=config["sensitivity"],
        carbon_unit=CARBON_UNIT,
        provenance=provenance(),
    script:
        "../scripts/sensitivity.py"


rule regional_difference:
    input:
        budget=rules.carbon_budget.output.budget,
    output:
        f"{OUT}/tables/regional_difference.csv",
    log:
        f"{LOGS}/regional_difference.log",
    benchmark:
        f"{BENCH}/regional_difference.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        theil=config["analysis"]["theil"],
        carbon_unit=CARBON_UNIT,
    script:
        "../scripts/regional_difference.py"


rule kernel_density:
    input:
        budget=rules.carbon_budget.output.budget,
    output:
        f"{OUT}/tables/kernel_density.csv",
    log:
        f"{LOGS}/kernel_density.log",
    benchmark:
        f"{BENCH}/kernel_density.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        kernel_density=config["analysis"]["kernel_density"],
        carbon_unit=CARBON_UNIT,
    script:
        "../scripts/kernel_density.py"


rule development_zoning:
    input:
        budget=rules.carbon_budget.output.budget,
        compensation=rules.compensation.output.table,
        labels=config["analysis"]["strategy_labels"],
    output:
        f"{OUT}/tables/development_zoning.csv",
    log:
        f"{LOGS}/development_zoning.log",
    benchmark:
        f"{BENCH}/development_zoning.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    script:
        "../scripts/development_zoning.py"
