"""Rule figure_carbon_by_landuse: emissions and absorption by land-use type over the years."""

from lucarbon.figures import save_figures, start
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging
from lucarbon.plots_carbon import carbon_by_landuse
from lucarbon.reporting import read_result

with script_logging(snakemake.log[0]):
    style = snakemake.params.style
    types = read_landuse_types(snakemake.input.types)
    labels = start(style, landuse=types)
    components = read_result(snakemake.input.by_landuse, values="reported")
    figure = carbon_by_landuse(components, types, labels)
    save_figures({"carbon_by_landuse": figure}, snakemake.output, style)
