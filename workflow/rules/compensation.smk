"""Horizontal carbon compensation: benchmark, ΔC, value, payment ability and zoning."""


rule compensation:
    input:
        budget=rules.carbon_budget.output.budget,
        prices=config["compensation"]["prices"],
        physical_units=config["coefficients"]["physical_units"],
        statistics=statistics_files("engel"),
    output:
        table=f"{OUT}/tables/compensation.csv",
        meta=f"{OUT}/tables/compensation.meta.json",
    log:
        f"{LOGS}/compensation.log",
    benchmark:
        f"{BENCH}/compensation.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        compensation=config["compensation"],
        statistics=statistics_params("engel"),
    script:
        "../scripts/compensation.py"
