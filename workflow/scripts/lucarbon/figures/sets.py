"""The figure sets that the figures rule (workflow/rules/figures.smk) draws in one job: each
set draws its figures from the rule's named inputs and params, with the labels, the land-use
types, MFA classes and map units read once for all sets."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure

from lucarbon.analysis.regional import read_strategy_labels
from lucarbon.analysis.spatial import LISA_CLASSES, hotspot_classes
from lucarbon.core.io import read_table
from lucarbon.figures.carbon import carbon_by_landuse, mfa_comparison, quantity_maps
from lucarbon.figures.labels import Labels
from lucarbon.figures.landuse import landuse_composition, landuse_transitions
from lucarbon.figures.maps import read_map_units
from lucarbon.figures.regional import (
    development_zoning,
    indicator_label,
    kernel_density,
    regional_difference,
)
from lucarbon.figures.sensitivity import sensitivity_stability
from lucarbon.figures.spatial import class_maps, gravity_centres, moran_over_years
from lucarbon.figures.style import save_figures, start
from lucarbon.figures.zoning import compensation_standard, ecc_esc_scatter, zone_maps, zoning_by_mfa
from lucarbon.model.budget import ZONES
from lucarbon.model.reporting import read_result
from lucarbon.model.variables import compensation_value_column, mapped_variables
from lucarbon.model.zoning import zone_names
from lucarbon.raster.landuse import read_landuse_types

MFA_COLUMNS = ("mfa_class", "order", "name_en")


@dataclass
class Drawing:
    """What every set draws with: the rule's inputs and params, labels, tables shared."""

    inp: Any
    par: Any
    labels: Labels
    types: pd.DataFrame
    classes: pd.DataFrame
    units: gpd.GeoDataFrame
    results: dict[str, pd.DataFrame] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def style(self) -> Mapping:
        return self.par.style

    def result(self, name: str) -> pd.DataFrame:
        """The result table of input ``name`` in the reported carbon unit: read once (the
        budget serves three sets), each set handed its own copy."""
        if name not in self.results:
            self.results[name] = read_result(getattr(self.inp, name), values="reported")
        return self.results[name].copy()


def landuse(d: Drawing) -> dict[str, Figure]:
    """Land-use composition per year and transition matrices per period."""
    areas = pd.read_csv(d.inp.areas, dtype={"unit_id": str})
    transitions = pd.read_csv(d.inp.transitions, dtype={"unit_id": str})
    return {
        "landuse_composition": landuse_composition(areas, d.types, d.labels),
        "landuse_transitions": landuse_transitions(transitions, d.types, d.labels),
    }


def carbon_by_type(d: Drawing) -> dict[str, Figure]:
    """Emissions and absorption by land-use type over the years."""
    return {"carbon_by_landuse": carbon_by_landuse(d.result("by_landuse"), d.types, d.labels)}


BUDGET_MAPS = ("net_emission_maps", "emission_maps", "absorption_maps", "emission_intensity_maps")


def budget_maps(d: Drawing) -> dict[str, Figure]:
    """Maps per year of net emission, emission, absorption and intensity."""
    budget, style = d.result("budget"), d.style
    return {
        name: quantity_maps(
            d.units, budget, column, d.labels, style["classes"], style["class_scheme"]
        )
        for name, column in zip(BUDGET_MAPS, mapped_variables(budget), strict=True)
    }


def mfa(d: Drawing) -> dict[str, Figure]:
    """Intensity and net emission by main functional area class."""
    return {"mfa_comparison": mfa_comparison(d.result("mfa_summary"), d.classes, d.labels)}


def ecc_esc(d: Drawing) -> dict[str, Figure]:
    """ECC/ESC scatter per year and the ECC/ESC zoning maps."""
    budget = d.result("budget")
    return {
        "ecc_esc_scatter": ecc_esc_scatter(budget, d.classes, d.par.threshold, d.labels),
        "ecc_esc_zoning_maps": zone_maps(
            d.units, budget, "ecc_esc_zone", ZONES.values(), d.labels("ecc_esc_zoning"), d.labels
        ),
    }


def compensation(d: Drawing) -> dict[str, Figure]:
    """Compensation value and zoning maps, the standard per unit, zones by MFA class."""
    table, style = d.result("compensation"), d.style
    # the value the zones were computed from (lucarbon.model.run.run_compensation)
    value = compensation_value_column(table)
    return {
        "compensation_value_maps": quantity_maps(
            d.units, table, value, d.labels, style["classes"], style["class_scheme"]
        ),
        "compensation_zoning_maps": zone_maps(
            d.units,
            table,
            "zone",
            zone_names(table["zone"]),
            d.labels("compensation_zoning"),
            d.labels,
        ),
        "compensation_standard": compensation_standard(table, value, d.labels),
        "zoning_by_mfa": zoning_by_mfa(table, d.result("budget"), d.classes, d.labels),
    }


def spatial(d: Drawing) -> dict[str, Figure]:
    """Moran's I over the years, LISA clusters, Gi* hot spots, centres of gravity."""
    settings, labels = d.par.spatial, d.labels
    alpha = settings["significance"]
    return {
        "moran_global": moran_over_years(
            d.result("moran"), alpha, settings["permutations"], labels
        ),
        "lisa_maps": class_maps(
            d.units,
            d.result("lisa"),
            "cluster",
            LISA_CLASSES,
            labels("lisa_title", alpha=alpha),
            labels,
        ),
        "hotspot_maps": class_maps(
            d.units,
            d.result("hotspots"),
            "hotspot",
            hotspot_classes(settings["confidence_levels"]),
            labels("hotspot_title"),
            labels,
        ),
        "gravity_centres": gravity_centres(d.units, d.result("gravity"), labels),
    }


def sensitivity(d: Drawing) -> dict[str, Figure]:
    """Stability of the conclusions under other coefficients and structural choices."""
    inp = d.inp
    figure = sensitivity_stability(
        pd.read_csv(inp.stability),
        pd.read_csv(inp.oat),
        pd.read_csv(inp.zones),
        read_table(inp.ranges, ("parameter", "name_en", "name_zh")),
        read_table(inp.choices, ("choice", "name_en", "name_zh")),
        d.labels,
    )
    return {"sensitivity_stability": figure}


def regional(name: str, plot: Callable) -> Callable[[Drawing], dict[str, Figure]]:
    """A set of one figure of an indicator per year (the Theil index or kernel densities)."""

    def draw(d: Drawing) -> dict[str, Figure]:
        indicator = getattr(d.par, name)
        label = indicator_label(indicator["numerator"], indicator["denominator"], d.labels)
        return {name: plot(d.result(name), label, d.labels)}

    return draw


def zoning(d: Drawing) -> dict[str, Figure]:
    """Maps of the development-strategy label per year."""
    table = pd.read_csv(d.inp.zoning, dtype={"unit_id": str})
    figure = development_zoning(
        d.units, table, read_strategy_labels(d.inp.strategy_labels), d.labels
    )
    return {"development_zoning": figure}


# Set → its drawing; the rule file names each set's figures and inputs.
SETS = {
    "landuse": landuse,
    "carbon_by_landuse": carbon_by_type,
    "budget_maps": budget_maps,
    "mfa_comparison": mfa,
    "ecc_esc": ecc_esc,
    "compensation": compensation,
    "spatial": spatial,
    "sensitivity": sensitivity,
    "regional_difference": regional("regional_difference", regional_difference),
    "kernel_density": regional("kernel_density", kernel_density),
    "development_zoning": zoning,
}


def draw_set(drawing: Drawing, output, name: str) -> None:
    """Draw and save the set ``name``, its figures closed once saved."""
    save_figures(SETS[name](drawing), output, drawing.style)


# In a forked drawing process: the Drawing and the outputs, inherited from the parent (set by
# the pool's initializer, not pickled for every set, so that each process keeps the result
# tables it has read).
_inherited: dict[str, Any] = {}


def _inherit(drawing: Drawing, output) -> None:
    _inherited.update(drawing=drawing, output=output)


def _draw_inherited(name: str) -> None:
    draw_set(_inherited["drawing"], _inherited["output"], name)


def draw_sets(inp, output, par, processes: int = 1) -> None:
    """Draw and save the sets ``par.sets``, in ``processes`` processes forked once the
    modules are imported and the shared tables read (each process inherits them), each
    process taking the next set when it is done with one. Forked, not spawned: a spawned
    process would pay the 0.7 CPU s of imports again."""
    style = par.style
    types = read_landuse_types(inp.types)
    classes = read_table(inp.mfa_classes, MFA_COLUMNS)
    unit_table = pd.read_csv(inp.unit_table, dtype={"unit_id": str})
    labels = start(style, landuse=types, mfa=classes, units=unit_table)
    drawing = Drawing(inp, par, labels, types, classes, read_map_units(inp.units))
    draw_in_processes(drawing, output, par.sets, processes)


def draw_in_processes(drawing: Drawing, output, names, processes: int) -> None:
    """Draw the sets ``names`` in ``processes`` forked processes (one where fork does not
    exist: Windows), each inheriting ``drawing`` and keeping the tables it reads."""
    if processes == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for name in names:
            draw_set(drawing, output, name)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_inherit, initargs=(drawing, output)) as pool:
        for _ in pool.imap_unordered(_draw_inherited, names):
            pass
