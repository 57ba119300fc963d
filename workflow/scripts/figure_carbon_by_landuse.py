"""Rule figure_carbon_by_landuse: emissions and absorption by land-use type over the years."""

import pandas as pd

from lucarbon.figures import carbon_by_landuse, save_figure
from lucarbon.landuse import read_landuse_types
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]):
    components = pd.read_csv(snakemake.input.by_landuse, dtype={"unit_id": str})
    fig = carbon_by_landuse(components, read_landuse_types(snakemake.input.types))
    style = snakemake.params.style
    save_figure(fig, snakemake.output[0], style["dpi"], style["note"])
