"""Rule figure_sensitivity: stability of the conclusions under other coefficient values."""

import pandas as pd

from lucarbon.figures import save_figure, sensitivity_stability
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]):
    inp = snakemake.input
    fig = sensitivity_stability(
        pd.read_csv(inp.stability), pd.read_csv(inp.oat), pd.read_csv(inp.zones)
    )
    style = snakemake.params.style
    save_figure(fig, snakemake.output[0], style["dpi"], style["note"])
