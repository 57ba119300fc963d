"""Rule figure_spatial: Moran's I over the years, LISA clusters, Gi* hot spots, centres of
gravity with standard deviational ellipses."""

from lucarbon.analysis.spatial import LISA_CLASSES, hotspot_classes
from lucarbon.core.logs import script_logging
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.spatial import class_maps, gravity_centres, moran_over_years
from lucarbon.figures.style import save_figures, start
from lucarbon.model.reporting import read_result

with script_logging(snakemake.log[0]):
    inp, style, settings = snakemake.input, snakemake.params.style, snakemake.params.spatial
    labels = start(style)
    units = read_map_units(inp.units)
    alpha = settings["significance"]
    lisa = read_result(inp.lisa, values="reported")
    hotspots = read_result(inp.hotspots, values="reported")
    figures = {
        "moran_global": moran_over_years(
            read_result(inp.moran, values="reported"), alpha, settings["permutations"], labels
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
        "gravity_centres": gravity_centres(
            units, read_result(inp.gravity, values="reported"), labels
        ),
    }
    save_figures(figures, snakemake.output, style)
