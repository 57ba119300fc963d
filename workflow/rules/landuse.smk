"""Reclassify land-cover codes into the land-use types: one pass over each year's study
window on the unit grid writes the land-use raster and counts every unit's areas."""


rule reclassify:
    input:
        raster=landcover_file,
        check=rules.check_landcover.output[0],
        grid=rules.unit_grid.output[0],
        reclass=config["landcover"]["reclass_table"],
        types=config["landuse_types"],
    output:
        raster=f"{RES}/landuse/landuse_{{year}}.tif",
        areas=f"{RES}/landuse/areas_{{year}}.npy",
    log:
        f"{LOGS}/reclassify_{{year}}.log",
    benchmark:
        f"{BENCH}/reclassify_{{year}}.tsv"
    conda:
        GEO_ENV
    threads: 2
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        remote=remote_landcover,
        label=lambda w: landcover_label(w.year),
    script:
        "../scripts/reclassify.py"
