"""Rule figure_development_zoning: maps of the development-strategy label per year."""

import pandas as pd

from lucarbon.analysis.regional import read_strategy_labels
from lucarbon.core.logs import script_logging
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.regional import development_zoning
from lucarbon.figures.style import save_figures, start

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    labels = start(style)
    figure = development_zoning(
        read_map_units(inp.units),
        pd.read_csv(inp.zoning, dtype={"unit_id": str}),
        read_strategy_labels(inp.labels),
        labels,
    )
    save_figures({"development_zoning": figure}, snakemake.output, style)
