"""Analysis by main functional area class."""


rule mfa_summary:
    input:
        budget=rules.carbon_budget.output.budget,
        compensation=rules.compensation.output[0],
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
