"""Rule spatial_statistics: global Moran's I, LISA, Gi* hot spots and centres of gravity."""

import geopandas as gpd
import pandas as pd

from lucarbon.gravity import gravity_centres
from lucarbon.io import write_csv
from lucarbon.logs import script_logging
from lucarbon.spatial import autocorrelation, contiguity_weights
from lucarbon.variables import GRAVITY_VARIABLES, mapped_variables

with script_logging(snakemake.log[0]) as log:
    out, settings = snakemake.output, snakemake.params.spatial
    units = gpd.read_file(snakemake.input.units)
    budget = pd.read_csv(snakemake.input.budget, dtype={"unit_id": str})
    w = contiguity_weights(units, settings["contiguity"])
    log.info(
        "%d units, %s contiguity, mean %.2f neighbours",
        w.n,
        settings["contiguity"],
        w.mean_neighbors,
    )
    moran, lisa, hotspots = autocorrelation(budget, w, mapped_variables(budget), settings)
    write_csv(moran, out.moran)
    write_csv(lisa, out.lisa)
    write_csv(hotspots, out.hotspots)
    write_csv(gravity_centres(budget, units, GRAVITY_VARIABLES), out.gravity)
