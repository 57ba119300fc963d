"""Spatial statistics of the unit budgets: autocorrelation (PySAL) and centres of gravity."""


rule spatial_statistics:
    input:
        budget=rules.carbon_budget.output.budget,
        units=rules.prepare_units.output.polygons,
    output:
        moran=report_table(f"{OUT}/tables/spatial_autocorrelation.csv", "Spatial statistics"),
        lisa=report_table(f"{OUT}/tables/lisa.csv", "Spatial statistics"),
        hotspots=report_table(f"{OUT}/tables/hotspots.csv", "Spatial statistics"),
        gravity=report_table(f"{OUT}/tables/gravity_centres.csv", "Spatial statistics"),
    log:
        f"{LOGS}/spatial_statistics.log",
    benchmark:
        f"{BENCH}/spatial_statistics.tsv"
    conda:
        PLOT_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=20,
    params:
        spatial=config["spatial"],
    script:
        "../scripts/spatial_statistics.py"
