"""Rule development_zoning: compensation zone × ECC/ESC zone × MFA class per unit and year,
with its development-strategy label."""

from lucarbon.analysis.regional import read_strategy_labels, strategy_zoning
from lucarbon.core.io import write_csv
from lucarbon.core.logs import script_logging
from lucarbon.model.reporting import read_result

with script_logging(snakemake.log[0]) as log:
    inp = snakemake.input
    labels = read_strategy_labels(inp.labels)
    table = strategy_zoning(
        read_result(inp.budget), read_result(inp.compensation), labels, inp.labels
    )
    log.info("unit-years per strategy:\n%s", table.value_counts(["year", "strategy"]).sort_index())
    write_csv(table, snakemake.output[0])
