"""Rule skipped_outputs: list what the workflow left out for want of a statistics table."""

import pandas as pd

from lucarbon.core.io import write_csv
from lucarbon.core.logs import script_logging

with script_logging(snakemake.log[0]):
    skipped = snakemake.params.skipped
    table = pd.DataFrame({"skipped": list(skipped), "reason": list(skipped.values())})
    write_csv(table.sort_values("skipped"), snakemake.output[0])
