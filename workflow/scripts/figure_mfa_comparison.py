"""Rule figure_mfa_comparison: intensity and net emission by main functional area class."""

import pandas as pd

from lucarbon.figures import mfa_comparison, save_figure
from lucarbon.io import read_table
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]):
    summary = pd.read_csv(snakemake.input.summary)
    classes = read_table(snakemake.input.mfa_classes, ("mfa_class", "order", "name_en"))
    fig = mfa_comparison(summary, classes)
    style = snakemake.params.style
    save_figure(fig, snakemake.output[0], style["dpi"], style["note"])
