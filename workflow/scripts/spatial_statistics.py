"""Rule spatial_statistics: global Moran's I, LISA, Gi* hot spots and centres of gravity."""

import geopandas as gpd

from lucarbon.analysis.gravity import gravity_centres
from lucarbon.analysis.spatial import autocorrelation, contiguity_weights
from lucarbon.core.logs import script_logging
from lucarbon.model.reporting import file_unit, read_result, write_result
from lucarbon.model.variables import GRAVITY_VARIABLES, mapped_variables

with script_logging(snakemake.log[0]) as log:
    out, settings = snakemake.output, snakemake.params.spatial
    units = gpd.read_file(snakemake.input.units)
    budget, unit = read_result(snakemake.input.budget), file_unit(snakemake.input.budget)
    w = contiguity_weights(units, settings["contiguity"])
    log.info(
        "%d units, %s contiguity, mean %.2f neighbours",
        w.n,
        settings["contiguity"],
        w.mean_neighbors,
    )
    moran, lisa, hotspots = autocorrelation(budget, w, mapped_variables(budget), settings)
    write_result(moran, out.moran, unit)
    write_result(lisa, out.lisa, unit)
    write_result(hotspots, out.hotspots, unit)
    write_result(gravity_centres(budget, units, GRAVITY_VARIABLES), out.gravity, unit)
