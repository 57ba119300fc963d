"""Rule compensation: fair-share benchmark, ΔC, value (unmodified and modified), zoning."""

import dataclasses

from lucarbon.core.io import write_json
from lucarbon.core.logs import script_logging
from lucarbon.model.compensation import price_per_tC
from lucarbon.model.inputs import compensation_provenance, load_settings, name_tables
from lucarbon.model.reporting import file_unit, read_result, write_result
from lucarbon.model.run import run_compensation
from lucarbon.model.statistics import read_statistics

with script_logging(snakemake.log[0]) as log:
    config = snakemake.params.compensation
    settings = load_settings(compensation=config)
    budget = read_result(snakemake.input.budget)
    names = name_tables(snakemake.input)
    years, unit_ids = sorted(budget["year"].unique()), budget["unit_id"].unique().tolist()
    engel = read_statistics(snakemake.params.statistics, names, ["engel"], years, unit_ids)["engel"]
    if settings.modification == "engel" and engel is None:
        log.warning("no Engel table: only the unmodified compensation value is given")
        settings = dataclasses.replace(settings, modification="none")
    price = price_per_tC(snakemake.input.prices, config["price"])
    table = run_compensation(budget, engel, price, settings)
    unit = file_unit(snakemake.input.budget)
    meta = compensation_provenance(settings, config["price"], price) | {"carbon_unit": unit}
    log.info("provenance: %s", meta)
    write_result(table, snakemake.output.table, unit)
    write_json(meta, snakemake.output.meta)
