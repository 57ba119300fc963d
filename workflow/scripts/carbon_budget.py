"""Rule carbon_budget: emissions, absorption, net emission and indicators per unit and year."""

import pandas as pd

from lucarbon import budget
from lucarbon.assemble import BudgetInputs, build_budget
from lucarbon.io import write_csv
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging
from lucarbon.statistics import read_statistic
from lucarbon.units import read_units_table

with script_logging(snakemake.log[0]) as log:
    inp, par = snakemake.input, snakemake.params
    stats = {
        kind: read_statistic(kind, inp[kind]) if inp[kind] else None
        for kind in ("gdp", "gdp_deflator", "population", "energy", "crop_yield")
    }
    inputs = BudgetInputs(
        areas=pd.read_csv(inp.areas, dtype={"unit_id": str}),
        units=read_units_table(inp.units, inp.mfa_classes),
        landuse=read_landuse_types(inp.types)["landuse"].tolist(),
        coefficients=budget.direct_coefficients(
            inp.coefficients, par.coefficient_set, par.overrides
        ),
        gdp=stats["gdp"],
        construction_mode=par.construction["mode"],
        proxy=par.construction.get("proxy", "construction_area"),
        population=stats["population"],
    )
    if inputs.construction_mode == "energy":
        inputs.energy_tC = budget.energy_emissions(
            stats["energy"],
            budget.read_fuels(inp.fuels),
            budget.read_physical_units(inp.physical_units),
            inp.energy,
        )
    if stats["crop_yield"] is not None:
        inputs.crop_tC = budget.crop_absorption(
            stats["crop_yield"], budget.read_crops(inp.crops), inp.crop_yield
        )
    else:
        log.warning("no crop yield table: arable absorption is zero")
    if stats["gdp_deflator"] is not None:
        inputs.gdp_constant = budget.constant_price_gdp(
            stats["gdp"], stats["gdp_deflator"], par.deflator_base_year, inp.gdp_deflator
        )
    table, components = build_budget(inputs, par.threshold)
    log.info("construction mode %s, proxy %s", inputs.construction_mode, inputs.proxy)
    write_csv(table, snakemake.output.budget)
    write_csv(components, snakemake.output.by_landuse)
