"""Rule carbon_budget: emissions, absorption, net emission and indicators per unit and year."""

from lucarbon.inputs import budget_provenance, load_parameters, load_settings, load_tables
from lucarbon.io import write_csv, write_json
from lucarbon.logs import script_logging
from lucarbon.model import run_budget

with script_logging(snakemake.log[0]) as log:
    par = snakemake.params
    tables = load_tables(snakemake.input, par.statistics)
    params = load_parameters(snakemake.input, par.coefficients, price=None)
    settings = load_settings(construction=par.construction, budget_config=par.budget)
    if tables.crop_yield is None:
        log.warning("no crop yield table: arable absorption is zero")
    table, components = run_budget(tables, params, settings)
    meta = budget_provenance(settings, params, tables)
    log.info("provenance: %s", meta)
    write_csv(table, snakemake.output.budget)
    write_csv(components, snakemake.output.by_landuse)
    write_json(meta, snakemake.output.meta)
