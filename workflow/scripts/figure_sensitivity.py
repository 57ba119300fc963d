"""Rule figure_sensitivity: stability of the conclusions under other coefficient values and
other structural choices."""

import pandas as pd

from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging
from lucarbon.figures.sensitivity import sensitivity_stability
from lucarbon.figures.style import save_figures, start

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    classes = read_table(inp.mfa_classes, ("mfa_class", "order", "name_en"))
    labels = start(style, mfa=classes)
    figure = sensitivity_stability(
        pd.read_csv(inp.stability),
        pd.read_csv(inp.oat),
        pd.read_csv(inp.zones),
        read_table(inp.ranges, ("parameter", "name_en", "name_zh")),
        read_table(inp.choices, ("choice", "name_en", "name_zh")),
        labels,
    )
    save_figures({"sensitivity_stability": figure}, snakemake.output, style)
