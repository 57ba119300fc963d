"""Rule figure_sensitivity: stability of the conclusions under other coefficient values."""

import pandas as pd

from lucarbon.figures import save_figures, start
from lucarbon.logs import script_logging
from lucarbon.plots_sensitivity import sensitivity_stability

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    labels = start(style)
    figure = sensitivity_stability(
        pd.read_csv(inp.stability), pd.read_csv(inp.oat), pd.read_csv(inp.zones), labels
    )
    save_figures({"sensitivity_stability": figure}, snakemake.output, style)
