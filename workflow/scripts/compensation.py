"""Rule compensation: fair-share benchmark, ΔC, value (unmodified and modified), zoning."""

import pandas as pd

from lucarbon.compensation import (
    BENCHMARK_COLUMNS,
    compensate,
    payment_ability,
    price_per_tC,
    weighted_engel,
)
from lucarbon.io import write_csv
from lucarbon.logs import script_logging
from lucarbon.statistics import read_statistic

with script_logging(snakemake.log[0]) as log:
    settings = snakemake.params.settings
    budget = pd.read_csv(snakemake.input.budget, dtype={"unit_id": str})
    if settings["modification"] == "engel":
        engel = read_statistic("engel", snakemake.input.engel)
        engel["payment_ability"] = payment_ability(weighted_engel(engel, snakemake.input.engel))
        budget = budget.merge(engel[["unit_id", "year", "payment_ability"]], on=["unit_id", "year"])
    price = price_per_tC(snakemake.input.prices, settings["price"])
    log.info("price %s = %.4f per t C", settings["price"], price)
    table = compensate(
        budget, BENCHMARK_COLUMNS[settings["benchmark"]], price, settings["band_sd_fraction"]
    )
    write_csv(table, snakemake.output[0])
