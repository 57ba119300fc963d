"""Reclassify land-cover codes into the six land-use types."""


rule reclassify:
    input:
        raster=rules.clip_landcover.output[0],
        reclass=config["landcover"]["reclass_table"],
        types=config["landuse_types"],
    output:
        f"{RES}/landuse/landuse_{{year}}.tif",
    log:
        f"{LOGS}/reclassify_{{year}}.log",
    benchmark:
        f"{BENCH}/reclassify_{{year}}.tsv"
    conda:
        GEO_ENV
    resources:
        mem_mb=1000,
    params:
        label=lambda w: landcover_label(w.year),
    script:
        "../scripts/reclassify.py"
