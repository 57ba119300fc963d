"""Acquire: checksum-verified, cached downloads from the registry; units; clipping."""


rule download_landcover:
    output:
        f"{RES}/landcover/raw_{{year}}.tif",
    log:
        f"{LOGS}/download_landcover_{{year}}.log",
    benchmark:
        f"{BENCH}/download_landcover_{{year}}.tsv"
    conda:
        GEO_ENV
    resources:
        mem_mb=500,
    params:
        download=lambda w: registry_download(config["landcover"]["dataset"], int(w.year)),
        member_pattern=LANDCOVER["member_pattern"] if LANDCOVER["mode"] == "zip" else None,
    script:
        "../scripts/download.py"


rule download_boundaries:
    output:
        f"{RES}/boundaries/raw_boundaries{BOUNDARY_SUFFIX}",
    log:
        f"{LOGS}/download_boundaries.log",
    benchmark:
        f"{BENCH}/download_boundaries.tsv"
    conda:
        GEO_ENV
    resources:
        mem_mb=500,
    params:
        download=lambda w: registry_download(config["boundaries"]["dataset"]),
    script:
        "../scripts/download.py"


rule prepare_units:
    input:
        boundaries=boundary_file(),
        dissolve=config["boundaries"]["dissolve_table"] or [],
        units=config["units"]["table"],
        mfa_classes=config["units"]["mfa_classes"],
    output:
        polygons=f"{RES}/units.gpkg",
        table=f"{RES}/units.csv",
        topology=f"{RES}/boundaries/topology_report.csv",
    log:
        f"{LOGS}/prepare_units.log",
    benchmark:
        f"{BENCH}/prepare_units.tsv"
    conda:
        GEO_ENV
    resources:
        mem_mb=2000,
    params:
        boundaries=config["boundaries"],
        mfa_column=config["units"]["mfa_column"],
        crs=config["crs"],
    script:
        "../scripts/prepare_units.py"


rule clip_landcover:
    input:
        raster=landcover_file,
        units=rules.prepare_units.output.polygons,
    output:
        f"{RES}/landcover/clipped_{{year}}.tif",
    log:
        f"{LOGS}/clip_landcover_{{year}}.log",
    benchmark:
        f"{BENCH}/clip_landcover_{{year}}.tsv"
    conda:
        GEO_ENV
    resources:
        mem_mb=1500,
    params:
        remote=remote_landcover,
    script:
        "../scripts/clip_landcover.py"
