"""Rule compensation: fair-share benchmark, ΔC, value (unmodified and modified), zoning."""

import dataclasses

import pandas as pd

from lucarbon.compensation import price_per_tC
from lucarbon.inputs import compensation_provenance, load_settings, name_tables
from lucarbon.io import write_csv, write_json
from lucarbon.logs import script_logging
from lucarbon.model import run_compensation
from lucarbon.statistics import read_statistics

with script_logging(snakemake.log[0]) as log:
    config = snakemake.params.compensation
    settings = load_settings(compensation=config)
    budget = pd.read_csv(snakemake.input.budget, dtype={"unit_id": str})
    names = name_tables(snakemake.input)
    years, unit_ids = sorted(budget["year"].unique()), budget["unit_id"].unique().tolist()
    engel = read_statistics(snakemake.params.statistics, names, ["engel"], years, unit_ids)["engel"]
    if settings.modification == "engel" and engel is None:
        log.warning("no Engel table: only the unmodified compensation value is given")
        settings = dataclasses.replace(settings, modification="none")
    price = price_per_tC(snakemake.input.prices, config["price"])
    table = run_compensation(budget, engel, price, settings)
    meta = compensation_provenance(settings, config["price"], price)
    log.info("provenance: %s", meta)
    write_csv(table, snakemake.output.table)
    write_json(meta, snakemake.output.meta)
