"""Rule mfa_summary: totals and intensities per main functional area class and year."""

import pandas as pd

from lucarbon.io import read_table, write_csv
from lucarbon.logs import script_logging
from lucarbon.mfa import join_compensation, summarise_by_mfa

with script_logging(snakemake.log[0]):
    budget = pd.read_csv(snakemake.input.budget, dtype={"unit_id": str})
    if snakemake.input.compensation:
        compensation = pd.read_csv(snakemake.input.compensation, dtype={"unit_id": str})
        budget = join_compensation(budget, compensation)
    classes = read_table(snakemake.input.mfa_classes, ("mfa_class", "order"))
    order = classes.sort_values("order")["mfa_class"].tolist()
    write_csv(summarise_by_mfa(budget, order), snakemake.output[0])
