"""Rule kernel_density: Gaussian kernel density of the units' values per year."""

from lucarbon.analysis.regional import indicator, kernel_densities
from lucarbon.core.logs import script_logging, warn_user
from lucarbon.model.reporting import read_result, write_result

with script_logging(snakemake.log[0]) as log:
    cfg = snakemake.params.kernel_density
    budget = read_result(snakemake.input.budget)
    frame = indicator(budget, cfg["numerator"], cfg["denominator"], "analysis.kernel_density")
    table, skipped = kernel_densities(frame, cfg["grid_points"])
    if skipped:
        warn_user(log, f"kernel density: no spread among the units in {skipped}; left out")
    write_result(table, snakemake.output[0], snakemake.params.carbon_unit)
