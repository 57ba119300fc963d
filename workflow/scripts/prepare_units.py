"""Rule prepare_units: unit polygons in the study CRS and the unit table, cross-checked.

The first job of a study: every defect of the boundary file (codes, attributes, geometry,
topology, a CRS that does not give true areas) stops it before any raster is touched.
"""

from lucarbon.core.io import write_csv, write_json
from lucarbon.core.logs import script_logging
from lucarbon.raster.checks import unit_extents
from lucarbon.units.boundaries import (
    area_ha,
    prepare_boundaries,
    read_boundary_file,
    write_geopackage,
)
from lucarbon.units.table import read_dissolve_table, study_table
from lucarbon.units.topology import check_topology, topology_report

with script_logging(snakemake.log[0]) as log:
    inp, params = snakemake.input, snakemake.params
    cfg, label = params.boundaries, params.label
    if cfg["source"] == "cnmaps":
        from lucarbon.units.cnmaps import read_county_boundaries

        raw = read_county_boundaries(cfg["province"])
    else:
        raw = read_boundary_file(inp.boundaries, cfg, label)
    units = study_table(raw.drop(columns="geometry"), cfg, params.units, label)
    dissolve = read_dissolve_table(inp.dissolve) if inp.dissolve else None
    gdf = prepare_boundaries(
        raw,
        cfg["id_column"],
        units,
        params.crs,
        (label, params.units["table"] or label),
        dissolve,
        repair=cfg["repair"],
        tolerance_m2=cfg["topology_tolerance_m2"],
    )
    log.info("%d units, total area %.4f ha", len(gdf), area_ha(gdf))
    topology = topology_report(gdf, cfg["topology_tolerance_m2"])
    check_topology(topology, label, cfg["topology_tolerance_m2"], cfg["topology"])
    write_geopackage(gdf, snakemake.output.polygons, "units")
    write_json(unit_extents(gdf), snakemake.output.extents)
    write_csv(units, snakemake.output.table)
    write_csv(topology, snakemake.output.topology)
