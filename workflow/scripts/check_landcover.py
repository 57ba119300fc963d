"""Rule check_landcover: a year's raster is readable, in the study CRS, of an integer type,
with a known nodata value, on the first year's grid and covering every unit; the stamp it
writes carries the product's nodata value to the clip."""

from lucarbon.acquire.datasets import vsicurl_env
from lucarbon.acquire.fetching import HttpSettings
from lucarbon.core.io import write_json
from lucarbon.core.logs import script_logging
from lucarbon.raster.checks import check_landcover, read_study_units

with script_logging(snakemake.log[0]) as log:
    params = snakemake.params
    first = None
    if params.first is not None:
        first = (params.first["remote"] or snakemake.input.first, params.first["label"])
    found = check_landcover(
        params.remote or snakemake.input.raster,
        params.label,
        params.crs,
        params.nodata,
        read_study_units(snakemake.input.extents, snakemake.input.units),
        first,
        # Read from the config, not params, as rule download does: changing a timeout reruns
        # nothing that has succeeded.
        vsicurl_env(HttpSettings(**snakemake.config["download"])),
    )
    log.info("checked %s: nodata %s, type %s", params.label, found["nodata"], found["dtype"])
    write_json(found, snakemake.output[0])
