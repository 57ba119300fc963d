"""Carbon budget per unit and year with all indicators."""


rule carbon_budget:
    input:
        areas=rules.collect_landuse_area.output[0],
        units=config["units"]["table"],
        mfa_classes=config["units"]["mfa_classes"],
        types=config["landuse_types"],
        coefficients=config["coefficients"]["direct_area"],
        fuels=config["coefficients"]["fuels"],
        physical_units=config["coefficients"]["physical_units"],
        crops=config["coefficients"]["crops"],
        gdp=config["statistics"]["gdp"],
        gdp_deflator=optional_statistic("gdp_deflator"),
        population=optional_statistic("population"),
        energy=optional_statistic("energy"),
        crop_yield=optional_statistic("crop_yield"),
    output:
        budget=f"{OUT}/tables/carbon_budget.csv",
        by_landuse=f"{OUT}/tables/carbon_by_landuse.csv",
    log:
        f"{LOGS}/carbon_budget.log",
    benchmark:
        f"{BENCH}/carbon_budget.tsv"
    conda:
        TABLE_ENV
    resources:
        mem_mb=1000,
    params:
        coefficient_set=config["coefficients"]["set"],
        overrides=config["coefficients"]["overrides"],
        construction=config["construction"],
        deflator_base_year=config["statistics"]["deflator_base_year"],
        threshold=config["budget"]["ecc_esc_threshold"],
    script:
        "../scripts/carbon_budget.py"
