"""Rules figure_regional_difference and figure_kernel_density: the Theil index between and
within MFA classes per year, or the units' kernel densities per year."""

from lucarbon.core.logs import script_logging
from lucarbon.figures.regional import indicator_label, kernel_density, regional_difference
from lucarbon.figures.style import save_figures, start
from lucarbon.model.reporting import read_result

PLOTS = {"regional_difference": regional_difference, "kernel_density": kernel_density}

with script_logging(snakemake.log[0]):
    par = snakemake.params
    labels = start(par.style)
    indicator = indicator_label(par.indicator["numerator"], par.indicator["denominator"], labels)
    table = read_result(snakemake.input.table, values="reported")
    save_figures(
        {par.figure: PLOTS[par.figure](table, indicator, labels)}, snakemake.output, par.style
    )
