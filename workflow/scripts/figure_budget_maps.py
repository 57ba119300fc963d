"""Rule figure_budget_maps: maps per year of net emission, emission, absorption and intensity."""

from lucarbon.core.logs import script_logging
from lucarbon.figures.carbon import quantity_maps
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.style import save_figures, start
from lucarbon.model.reporting import read_result
from lucarbon.model.variables import mapped_variables

FIGURES = ("net_emission_maps", "emission_maps", "absorption_maps", "emission_intensity_maps")

with script_logging(snakemake.log[0]):
    style = snakemake.params.style
    labels = start(style)
    units = read_map_units(snakemake.input.units)
    budget = read_result(snakemake.input.budget, values="reported")
    figures = {
        name: quantity_maps(units, budget, column, labels, style["classes"], style["class_scheme"])
        for name, column in zip(FIGURES, mapped_variables(budget), strict=True)
    }
    save_figures(figures, snakemake.output, style)
