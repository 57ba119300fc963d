"""Rule sensitivity: stability of the key conclusions under other coefficient values (one at
a time, Monte Carlo) and under the alternatives of the study's structural choices."""

import yaml

from lucarbon.config.checks import skipped_parts
from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging, warn_user
from lucarbon.model.inputs import load_tables
from lucarbon.model.reporting import write_result
from lucarbon.model.sensitivity import (
    SECTIONS,
    analyse,
    model_from_config,
    one_sided,
    read_choices,
    read_ranges,
    structural_runs,
)

with script_logging(snakemake.log[0]) as log:
    inp, par = snakemake.input, snakemake.params
    sections = {name: getattr(par, name) for name in SECTIONS} | {"statistics": par.statistics}
    tables = load_tables(inp, par.statistics)
    params, settings = model_from_config(inp, sections)
    classes = read_table(inp.mfa_classes, ("mfa_class", "order"))
    order = classes.sort_values("order")["mfa_class"].tolist()
    ranges = read_ranges(inp.ranges, params)
    for name in one_sided(ranges):
        warn_user(log, f"{inp.ranges}: the default of {name} is not inside its range")
    with open(inp.schema, encoding="utf-8") as file:
        schema = yaml.safe_load(file)
    choices = read_choices(inp.choices)

    def structural():
        return structural_runs(tables, choices, schema, inp, sections, skipped_parts, order)

    cfg = par.sensitivity
    results = analyse(
        tables, params, settings, order, ranges, cfg["draws"], cfg["seed"], structural
    )
    for row in results["choices"].itertuples():
        if row.skipped:
            log.info("skipped %s = %s: %s", row.config_key, row.alternative, row.skipped)
    log.info("stability:\n%s", results["stability"].to_string())
    for name, table in results.items():
        write_result(table, snakemake.output[name], par.carbon_unit)
