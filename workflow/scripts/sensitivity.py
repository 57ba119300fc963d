"""Rule sensitivity: one-at-a-time and Monte Carlo stability of the key conclusions."""

from lucarbon.inputs import load_parameters, load_settings, load_tables
from lucarbon.io import read_table, write_csv
from lucarbon.logs import script_logging
from lucarbon.sensitivity import analyse, read_ranges

with script_logging(snakemake.log[0]) as log:
    inp, par = snakemake.input, snakemake.params
    tables = load_tables(inp, par.statistics)
    params = load_parameters(inp, par.coefficients, par.compensation["price"])
    settings = load_settings(par.construction, par.budget, par.compensation)
    classes = read_table(inp.mfa_classes, ("mfa_class", "order"))
    order = classes.sort_values("order")["mfa_class"].tolist()
    ranges = read_ranges(inp.ranges, params)
    cfg = par.sensitivity
    results = analyse(tables, params, settings, order, ranges, cfg["draws"], cfg["seed"])
    log.info("stability:\n%s", results["stability"].to_string())
    for name, table in results.items():
        write_csv(table, snakemake.output[name])
