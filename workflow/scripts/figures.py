"""Rule figures: every figure set (lucarbon.figure_sets), in as many processes as threads."""

from lucarbon.figure_sets import draw_sets
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]):
    draw_sets(snakemake.input, snakemake.output, snakemake.params, snakemake.threads)
