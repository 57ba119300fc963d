"""Rule carbon_budget: emissions, absorption, net emission and indicators per unit and year."""

from lucarbon.core.io import write_json
from lucarbon.core.logs import script_logging, warn_user
from lucarbon.model.budget import double_counted_oil
from lucarbon.model.inputs import budget_provenance, load_parameters, load_settings, load_tables
from lucarbon.model.reporting import write_result
from lucarbon.model.run import run_budget

with script_logging(snakemake.log[0]) as log:
    par = snakemake.params
    tables = load_tables(snakemake.input, par.statistics)
    params = load_parameters(snakemake.input, par.coefficients, price=None)
    settings = load_settings(
        construction=par.construction, budget_config=par.budget, arable=par.arable
    )
    if tables.crop_yield is None:
        log.warning("no crop yield table: arable absorption is zero")
    oil = None if tables.energy is None else double_counted_oil(tables.energy, "statistics.energy")
    if oil:
        warn_user(log, oil)
    table, components = run_budget(tables, params, settings)
    meta = budget_provenance(settings, params, tables)
    log.info("provenance: %s", meta)
    write_result(table, snakemake.output.budget, par.carbon_unit)
    write_result(components, snakemake.output.by_landuse, par.carbon_unit)
    write_json(meta, snakemake.output.meta)
