"""Acquire: checksum-verified, cached downloads from the registry; units; raster checks;
the unit grid (the clip: the study window of the first year's grid, numbered by unit)."""


# Downloads run on the host that runs Snakemake: cluster compute nodes often have no internet.
localrules:
    download_landcover,
    download_boundaries,


rule download_landcover:
    output:
        f"{RES}/landcover/raw_{{year}}.tif",
    log:
        f"{LOGS}/download_landcover_{{year}}.log",
    benchmark:
        f"{BENCH}/download_landcover_{{year}}.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=60,
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
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        download=lambda w: registry_download(config["boundaries"]["dataset"]),
    script:
        "../scripts/download.py"


rule prepare_units:
    input:
        boundaries=boundary_file(),
        dissolve=config["boundaries"]["dissolve_table"] or [],
        units=config["units"]["table"] or [],
        mfa_classes=config["units"]["mfa_classes"],
    output:
        polygons=f"{RES}/units.gpkg",
        extents=f"{RES}/units_extents.json",
        table=f"{RES}/units.csv",
        topology=f"{RES}/boundaries/topology_report.csv",
    log:
        f"{LOGS}/prepare_units.log",
    benchmark:
        f"{BENCH}/prepare_units.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=15,
    params:
        boundaries=config["boundaries"],
        units=config["units"],
        label=boundary_label(config),
        crs=config["crs"],
        provenance=provenance(),
    script:
        "../scripts/prepare_units.py"


rule check_landcover:
    input:
        raster=landcover_file,
        first=first_year,
        extents=rules.prepare_units.output.extents,
        units=rules.prepare_units.output.polygons,
    output:
        f"{RES}/landcover/check_{{year}}.json",
    log:
        f"{LOGS}/check_landcover_{{year}}.log",
    benchmark:
        f"{BENCH}/check_landcover_{{year}}.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=15,
    params:
        remote=remote_landcover,
        label=lambda w: landcover_label(w.year),
        first=first_year_source,
        crs=config["crs"],
        nodata=LANDCOVER["nodata"],
        provenance=lambda w: provenance(w.year),
    script:
        "../scripts/check_landcover.py"


rule unit_grid:
    input:
        raster=landcover_file(SimpleNamespace(year=str(YEARS[0]))),
        check=expand(rules.check_landcover.output[0], year=YEARS[0]),
        units=rules.prepare_units.output.polygons,
    output:
        f"{RES}/grid/unit_grid_{{tile}}.npz",
    log:
        f"{LOGS}/unit_grid_{{tile}}.log",
    benchmark:
        f"{BENCH}/unit_grid_{{tile}}.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        remote=remote_landcover(SimpleNamespace(year=str(YEARS[0]))),
        label=landcover_label(YEARS[0]),
        provenance=provenance(YEARS[0]),
        tiles=(PARTITION["rows"], PARTITION["columns"]),
        tile=lambda w: tuple(map(int, w.tile.split("_"))),
    script:
        "../scripts/unit_grid.py"
