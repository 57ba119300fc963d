"""Rule figure_compensation: compensation value and zoning maps, the standard per unit, and
the zones counted by main functional area class."""

import pandas as pd

from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging
from lucarbon.figures.carbon import quantity_maps
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.style import save_figures, start
from lucarbon.figures.zoning import compensation_standard, zone_maps, zoning_by_mfa
from lucarbon.model.reporting import read_result
from lucarbon.model.variables import compensation_value_column
from lucarbon.model.zoning import zone_names

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    classes = read_table(inp.mfa_classes, ("mfa_class", "order", "name_en"))
    unit_table = pd.read_csv(inp.unit_table, dtype={"unit_id": str})
    labels = start(style, mfa=classes, units=unit_table)
    units = read_map_units(inp.units)
    compensation = read_result(inp.compensation, values="reported")
    budget = read_result(inp.budget, values="reported")
    # the value the zones were computed from (lucarbon.model.run.run_compensation)
    value = compensation_value_column(compensation)
    figures = {
        "compensation_value_maps": quantity_maps(
            units, compensation, value, labels, style["classes"], style["class_scheme"]
        ),
        "compensation_zoning_maps": zone_maps(
            units,
            compensation,
            "zone",
            zone_names(compensation["zone"]),
            labels("compensation_zoning"),
            labels,
        ),
        "compensation_standard": compensation_standard(compensation, value, labels),
        "zoning_by_mfa": zoning_by_mfa(compensation, budget, classes, labels),
    }
    save_figures(figures, snakemake.output, style)
