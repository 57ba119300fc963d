"""Rule figure_spatial: Moran's I over the years, LISA clusters, Gi* hot spots, centres of
gravity with standard deviational ellipses."""

import geopandas as gpd
import pandas as pd

from lucarbon.figures import save_figures, start
from lucarbon.logs import script_logging
from lucarbon.plots_spatial import class_maps, gravity_centres, moran_over_years
from lucarbon.spatial import LISA_CLASSES, hotspot_classes

with script_logging(snakemake.log[0]):
    inp, style, settings = snakemake.input, snakemake.params.style, snakemake.params.spatial
    labels = start(style)
    units = gpd.read_file(inp.units)
    alpha = settings["significance"]
    lisa = pd.read_csv(inp.lisa, dtype={"unit_id": str})
    hotspots = pd.read_csv(inp.hotspots, dtype={"unit_id": str})
    figures = {
        "moran_global": moran_over_years(
            pd.read_csv(inp.moran), alpha, settings["permutations"], labels
        ),
        "lisa_maps": class_maps(
            units, lisa, "cluster", LISA_CLASSES, labels("lisa_title", alpha=alpha), labels
        ),
        "hotspot_maps": class_maps(
            units,
            hotspots,
            "hotspot",
            hotspot_classes(settings["confidence_levels"]),
            labels("hotspot_title"),
            labels,
        ),
        "gravity_centres": gravity_centres(units, pd.read_csv(inp.gravity), labels),
    }
    save_figures(figures, snakemake.output, style)
