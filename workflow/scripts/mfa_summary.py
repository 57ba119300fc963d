"""Rule mfa_summary: totals and intensities per main functional area class and year."""

from lucarbon.analysis.mfa import join_compensation, summarise_by_mfa
from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging
from lucarbon.model.reporting import file_unit, read_result, write_result

with script_logging(snakemake.log[0]):
    budget = read_result(snakemake.input.budget)
    if snakemake.input.compensation:
        compensation = read_result(snakemake.input.compensation)
        budget = join_compensation(budget, compensation)
    classes = read_table(snakemake.input.mfa_classes, ("mfa_class", "order"))
    order = classes.sort_values("order")["mfa_class"].tolist()
    unit = file_unit(snakemake.input.budget)
    write_result(summarise_by_mfa(budget, order), snakemake.output[0], unit)
