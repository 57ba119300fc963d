"""Rule figure_landuse: land-use composition per year and transition matrices per period."""

import pandas as pd

from lucarbon.core.logs import script_logging
from lucarbon.figures.landuse import landuse_composition, landuse_transitions
from lucarbon.figures.style import save_figures, start
from lucarbon.raster.landuse import read_landuse_types

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    types = read_landuse_types(inp.types)
    labels = start(style, landuse=types)
    areas = pd.read_csv(inp.areas, dtype={"unit_id": str})
    transitions = pd.read_csv(inp.transitions, dtype={"unit_id": str})
    figures = {
        "landuse_composition": landuse_composition(areas, types, labels),
        "landuse_transitions": landuse_transitions(transitions, types, labels),
    }
    save_figures(figures, snakemake.output, style)
