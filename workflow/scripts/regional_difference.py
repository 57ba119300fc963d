"""Rule regional_difference: Theil index of an indicator per year, between and within MFA
classes."""

from lucarbon.analysis.regional import indicator, theil_decomposition
from lucarbon.core.logs import script_logging
from lucarbon.model.reporting import read_result, write_result

KEY = "analysis.theil"

with script_logging(snakemake.log[0]) as log:
    cfg = snakemake.params.theil
    frame = indicator(
        read_result(snakemake.input.budget), cfg["numerator"], cfg["denominator"], KEY
    )
    table = theil_decomposition(frame, KEY)
    log.info("Theil index:\n%s", table[table["part"] != "class"].to_string())
    write_result(table, snakemake.output[0], snakemake.params.carbon_unit)
