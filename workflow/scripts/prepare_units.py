"""Rule prepare_units: unit polygons in the study CRS, checked against the unit table."""

from lucarbon.io import atomic_path
from lucarbon.logs import script_logging
from lucarbon.units import prepare_boundaries, read_units_table

with script_logging(snakemake.log[0]) as log:
    units = read_units_table(snakemake.input.units, snakemake.input.mfa_classes)
    gdf = prepare_boundaries(
        snakemake.input.boundaries,
        snakemake.params.id_column,
        units,
        snakemake.params.crs,
        snakemake.input.units,
    )
    log.info("%d units, total area %.1f ha", len(gdf), gdf.area.sum() / 1e4)
    with atomic_path(snakemake.output[0]) as tmp:
        gdf.to_file(tmp, driver="GPKG", layer="units")
