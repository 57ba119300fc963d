"""Rule figure_ecc_esc: ECC/ESC scatter per year and the ECC/ESC zoning maps."""

from lucarbon.core.io import read_table
from lucarbon.core.logs import script_logging
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.style import save_figures, start
from lucarbon.figures.zoning import ecc_esc_scatter, zone_maps
from lucarbon.model.budget import ZONES
from lucarbon.model.reporting import read_result

with script_logging(snakemake.log[0]):
    inp, style = snakemake.input, snakemake.params.style
    classes = read_table(inp.mfa_classes, ("mfa_class", "order", "name_en"))
    labels = start(style, mfa=classes)
    units = read_map_units(inp.units)
    budget = read_result(inp.budget, values="reported")
    figures = {
        "ecc_esc_scatter": ecc_esc_scatter(budget, classes, snakemake.params.threshold, labels),
        "ecc_esc_zoning_maps": zone_maps(
            units, budget, "ecc_esc_zone", ZONES.values(), labels("ecc_esc_zoning"), labels
        ),
    }
    save_figures(figures, snakemake.output, style)
