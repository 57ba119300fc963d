"""Rule figure_mfa_comparison: intensity and net emission by main functional area class."""

from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging
from lucarbon.figures.carbon import mfa_comparison
from lucarbon.figures.style import save_figures, start
from lucarbon.model.reporting import read_result

with script_logging(snakemake.log[0]):
    style = snakemake.params.style
    classes = read_table(snakemake.input.mfa_classes, ("mfa_class", "order", "name_en"))
    labels = start(style, mfa=classes)
    summary = read_result(snakemake.input.summary, values="reported")
    save_figures(
        {"mfa_comparison": mfa_comparison(summary, classes, labels)}, snakemake.output, style
    )
