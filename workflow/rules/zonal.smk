"""Per-year unit areas by land-use type (and nodata inside units), transitions between
consecutive years, collection."""


rule landuse_area:
    input:
        counts=expand(rules.reclassify.output[0], tile=TILES, allow_missing=True),
        extents=rules.prepare_units.output.extents,
        types=config["landuse_types"],
    output:
        areas=f"{RES}/areas/landuse_area_{{year}}.csv",
        nodata=f"{RES}/areas/nodata_inside_units_{{year}}.csv",
    log:
        f"{LOGS}/landuse_area_{{year}}.log",
    benchmark:
        f"{BENCH}/landuse_area_{{year}}.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        labels=lambda w: [landcover_label(w.year)],
        provenance=lambda w: provenance(previous_year(w.year), w.year, reclass=True),
    script:
        "../scripts/zonal_areas.py"


rule landuse_transitions:
    input:
        counts=expand(rules.reclassify.output[0], tile=TILES, year="{year_to}"),
        extents=rules.prepare_units.output.extents,
        types=config["landuse_types"],
    output:
        areas=f"{RES}/areas/transitions_{{year_from}}_{{year_to}}.csv",
    log:
        f"{LOGS}/landuse_transitions_{{year_from}}_{{year_to}}.log",
    benchmark:
        f"{BENCH}/landuse_transitions_{{year_from}}_{{year_to}}.tsv"
    conda:
        GEO_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        labels=lambda w: [landcover_label(w.year_from), landcover_label(w.year_to)],
        provenance=lambda w: provenance(w.year_from, w.year_to, reclass=True),
    script:
        "../scripts/zonal_areas.py"


rule collect_landuse_area:
    input:
        expand(rules.landuse_area.output[0], year=YEARS),
    output:
        f"{OUT}/tables/landuse_area.csv",
    log:
        f"{LOGS}/collect_landuse_area.log",
    benchmark:
        f"{BENCH}/collect_landuse_area.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        provenance=provenance(*YEARS, reclass=True),
    script:
        "../scripts/concat_tables.py"


rule collect_nodata_inside_units:
    input:
        expand(rules.landuse_area.output.nodata, year=YEARS),
    output:
        report_table(f"{OUT}/tables/nodata_inside_units.csv", "Land use"),
    log:
        f"{LOGS}/collect_nodata_inside_units.log",
    benchmark:
        f"{BENCH}/collect_nodata_inside_units.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        provenance=provenance(*YEARS, reclass=True),
    script:
        "../scripts/concat_tables.py"


rule collect_landuse_transitions:
    input:
        [rules.landuse_transitions.output[0].format(year_from=a, year_to=b) for a, b in YEAR_PAIRS],
    output:
        f"{OUT}/tables/landuse_transitions.csv",
    log:
        f"{LOGS}/collect_landuse_transitions.log",
    benchmark:
        f"{BENCH}/collect_landuse_transitions.tsv"
    conda:
        TABLE_ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        provenance=provenance(*YEARS, reclass=True),
    script:
        "../scripts/concat_tables.py"
