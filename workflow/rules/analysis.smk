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
    resources:
        mem_mb=500,
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
    resources:
        mem_mb=200,
    params:
        skipped=SKIPPED,
    script:
        "../scripts/skipped_outputs.py"


rule sensitivity:
    input:
        **model_inputs("engel"),
        prices=config["compensation"]["prices"],
        ranges=config["sensitivity"]["ranges"],
    output:
        oat=f"{OUT}/tables/sensitivity_oat.csv",
        monte_carlo=f"{OUT}/tables/sensitivity_monte_carlo.csv",
        stability=f"{OUT}/tables/sensitivity_stability.csv",
        zones=f"{OUT}/tables/sensitivity_zone_stability.csv",
    log:
        f"{LOGS}/sensitivity.log",
    benchmark:
        f"{BENCH}/sensitivity.tsv"
    conda:
        TABLE_ENV
    resources:
        mem_mb=1500,
    params:
        coefficients=config["coefficients"],
        construction=config["construction"],
        budget=config["budget"],
        compensation=config["compensation"],
        statistics=statistics_params(*BUDGET_KINDS, "engel"),
        sensitivity=config["sensitivity"],
    script:
        "../scripts/sensitivity.py"
