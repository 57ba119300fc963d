"""Carbon budget per unit and year with all indicators."""


rule carbon_budget:
    input:
        **model_inputs(),
    output:
        budget=f"{OUT}/tables/carbon_budget.csv",
        by_landuse=f"{OUT}/tables/carbon_by_landuse.csv",
        meta=f"{OUT}/tables/carbon_budget.meta.json",
    log:
        f"{LOGS}/carbon_budget.log",
    benchmark:
        f"{BENCH}/carbon_budget.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=15,
    params:
        coefficients=config["coefficients"],
        construction=config["construction"],
        arable=config["arable"],
        budget=config["budget"],
        statistics=statistics_params(*BUDGET_KINDS),
        carbon_unit=CARBON_UNIT,
        provenance=provenance(),
    script:
        "../scripts/carbon_budget.py"
