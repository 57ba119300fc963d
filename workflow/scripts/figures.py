"""Rule figures: every figure set (lucarbon.figures.sets), in as many processes as threads."""

from lucarbon.core.logs import script_logging
from lucarbon.figures.sets import draw_sets

with script_logging(snakemake.log[0]):
    draw_sets(snakemake.input, snakemake.output, snakemake.params, snakemake.threads)
