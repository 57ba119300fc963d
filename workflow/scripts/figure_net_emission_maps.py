"""Rule figure_net_emission_maps: small multiples of net emission per unit and year."""

import geopandas as gpd
import pandas as pd

from lucarbon.figures import net_emission_maps, save_figure
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]):
    units = gpd.read_file(snakemake.input.units)
    budget = pd.read_csv(snakemake.input.budget, dtype={"unit_id": str})
    fig = net_emission_maps(units, budget, sorted(budget["year"].unique()))
    style = snakemake.params.style
    save_figure(fig, snakemake.output[0], style["dpi"], style["note"])
