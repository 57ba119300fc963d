"""Rule figure_carbon_by_landuse: emissions and absorption by land-use type over the years."""

from lucarbon.core.logs import script_logging
from lucarbon.figures.carbon import carbon_by_landuse
from lucarbon.figures.style import save_figures, start
from lucarbon.model.reporting import read_result
from lucarbon.raster.landuse import read_landuse_types

with script_logging(snakemake.log[0]):
    style = snakemake.params.style
    types = read_landuse_types(snakemake.input.types)
    labels = start(style, landuse=types)
    components = read_result(snakemake.input.by_landuse, values="reported")
    figure = carbon_by_landuse(components, types, labels)
    save_figures({"carbon_by_landuse": figure}, snakemake.output, style)
