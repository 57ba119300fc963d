"""Horizontal carbon compensation: benchmark, ΔC, value, payment ability and zoning."""


rule compensation:
    input:
        budget=rules.carbon_budget.output.budget,
        prices=config["compensation"]["prices"],
        engel=optional_statistic("engel"),
    output:
        f"{OUT}/tables/compensation.csv",
    log:
        f"{LOGS}/compensation.log",
    benchmark:
        f"{BENCH}/compensation.tsv"
    conda:
        TABLE_ENV
    resources:
        mem_mb=500,
    params:
        settings=config["compensation"],
    script:
        "../scripts/compensation.py"
