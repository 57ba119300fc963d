"""Reclassify land-cover codes into the land-use types and count them: one pass over a year's
raw land cover and the previous year's (on the unit grid, only the blocks under the units)
gives that year's areas and the transition from the previous year, per tile of the study window
(landcover.partition: one tile unless a large study is split for a cluster); the land-use raster
itself is written only on request (landcover.landuse_rasters)."""


rule reclassify:
    input:
        unpack(year_pair),
        grid=rules.unit_grid.output[0],
        reclass=config["landcover"]["reclass_table"],
        types=config["landuse_types"],
    output:
        f"{RES}/landuse/counts_{{tile}}_{{year}}.npy",
    log:
        f"{LOGS}/reclassify_{{tile}}_{{year}}.log",
    benchmark:
        f"{BENCH}/reclassify_{{tile}}_{{year}}.tsv"
    conda:
        GEO_ENV
    threads: 2
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        previous=lambda w: previous_year(w.year),
        provenance=lambda w: provenance(previous_year(w.year), w.year, reclass=True),
        remote=lambda w: [
            remote_landcover(SimpleNamespace(year=str(previous_year(w.year)))),
            remote_landcover(w),
        ],
        labels=lambda w: [landcover_label(previous_year(w.year)), landcover_label(w.year)],
    script:
        "../scripts/reclassify.py"


rule landuse_raster:
    input:
        raster=landcover_file,
        check=rules.check_landcover.output[0],
        grid=rules.unit_grid.output[0],
        reclass=config["landcover"]["reclass_table"],
        types=config["landuse_types"],
    output:
        f"{OUT}/landuse/landuse_{{year}}_tile{{tile}}.tif",
    log:
        f"{LOGS}/landuse_raster_{{year}}_{{tile}}.log",
    benchmark:
        f"{BENCH}/landuse_raster_{{year}}_{{tile}}.tsv"
    conda:
        GEO_ENV
    threads: 2
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        remote=remote_landcover,
        label=lambda w: landcover_label(w.year),
        provenance=lambda w: provenance(w.year, reclass=True),
    script:
        "../scripts/landuse_raster.py"
