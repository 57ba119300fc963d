"""Rules collect_*: stack per-year tables into one study table, in input order."""

import pandas as pd

from lucarbon.core.io import write_csv
from lucarbon.core.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    table = pd.concat([pd.read_csv(p, dtype={"unit_id": str}) for p in snakemake.input])
    log.info("%d rows from %d files", len(table), len(snakemake.input))
    write_csv(table, snakemake.output[0])
