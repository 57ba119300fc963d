"""How stable are the study's conclusions under other coefficient values?

One-at-a-time (each parameter at its low and high value) and a seeded Monte Carlo (all
parameters drawn uniformly within their stated ranges) rerun the same model as the workflow
and compare, with the baseline run: the ranking of MFA classes by mean emission intensity and
by mean net emission per unit, the peak year of total emissions, and each unit's compensation
and ECC/ESC zone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import numpy as np
import pandas as pd

from .budget import DESCRIPTIVE_COLUMNS
from .io import InputError, check_numeric, read_table
from .mfa import STUDY_AREA
from .model import Parameters, Settings, StudyTables, run_all

INTENSITY = "emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"
NET_PER_UNIT = "net_emission_mean_of_units_tC"


def read_ranges(path: str | os.PathLike, params: Parameters) -> pd.DataFrame:
    """Parameter ranges; every parameter must name something the model has."""
    ranges = read_table(path, ("parameter", "low", "high", "source", "confidence"))
    check_numeric(ranges, ["low", "high"], path)
    for row, name in enumerate(ranges["parameter"]):
        try:
            set_parameter(params, name, 0.0)
        except (KeyError, ValueError) as err:
            raise InputError(f"{path}: row {row + 2}, column 'parameter': {err}") from err
    return ranges


def set_parameter(params: Parameters, name: str, value: float) -> Parameters:
    """A copy of ``params`` with one named value replaced: 'direct:<landuse>',
    'fuel:<fuel>:<column>', 'crop:<crop>:<column>' or 'price'."""
    kind, *rest = name.split(":")
    new = params.replace()
    if kind == "price" and not rest:
        new.price_per_tC = value
    elif kind == "direct" and len(rest) == 1 and rest[0] in new.coefficients:
        new.coefficients[rest[0]] = value
    elif kind in ("fuel", "crop") and len(rest) == 2:
        table = new.fuels if kind == "fuel" else new.crops
        rows = table[kind] == rest[0]
        if not rows.any() or rest[1] not in table or rest[1] in (kind, *DESCRIPTIVE_COLUMNS):
            raise KeyError(f"unknown parameter {name!r}")
        table.loc[rows, rest[1]] = value
    else:
        raise KeyError(f"unknown parameter {name!r}")
    return new


def conclusions(results: dict[str, pd.DataFrame]) -> dict:
    """The key conclusions of one model run."""
    summary = results["mfa"]
    classes = summary[summary["mfa_class"] != STUDY_AREA]
    study = summary[summary["mfa_class"] == STUDY_AREA].set_index("year")
    means = classes.groupby("mfa_class")[[INTENSITY, NET_PER_UNIT]].mean()
    comp = results["compensation"].set_index(["unit_id", "year"])
    budget = results["budget"].set_index(["unit_id", "year"])
    return {
        "intensity_ranking": tuple(means[INTENSITY].sort_values(ascending=False).index),
        "net_ranking": tuple(means[NET_PER_UNIT].sort_values(ascending=False).index),
        "peak_year": int(study["emission_tC"].idxmax()),
        "total_emission_tC": float(study["emission_tC"].sum()),
        "total_net_emission_tC": float(study["net_emission_tC"].sum()),
        "total_value_yuan": float(comp["value_yuan"].abs().sum() / 2),
        "zones": comp["zone"],
        "ecc_esc_zones": budget["ecc_esc_zone"],
    }


def compare(run: dict, base: dict) -> dict:
    """One row of agreement measures between a run's and the baseline's conclusions."""
    return {
        "peak_year": run["peak_year"],
        "same_peak_year": run["peak_year"] == base["peak_year"],
        "intensity_ranking": " > ".join(run["intensity_ranking"]),
        "same_intensity_ranking": run["intensity_ranking"] == base["intensity_ranking"],
        "net_ranking": " > ".join(run["net_ranking"]),
        "same_net_ranking": run["net_ranking"] == base["net_ranking"],
        "emission_change_pct": 100 * (run["total_emission_tC"] / base["total_emission_tC"] - 1),
        "net_emission_change_pct": 100
        * (run["total_net_emission_tC"] / base["total_net_emission_tC"] - 1),
        "value_change_pct": 100 * (run["total_value_yuan"] / base["total_value_yuan"] - 1),
        "zone_agreement": float((run["zones"] == base["zones"]).mean()),
        "ecc_esc_zone_agreement": float((run["ecc_esc_zones"] == base["ecc_esc_zones"]).mean()),
    }


def one_at_a_time(ranges: pd.DataFrame, params: Parameters) -> Iterator[tuple[dict, Parameters]]:
    """Each parameter at its low and at its high value, the others at baseline."""
    for row in ranges.itertuples():
        for level in ("low", "high"):
            value = getattr(row, level)
            label = {"parameter": row.parameter, "level": level, "value": value}
            yield label, set_parameter(params, row.parameter, value)


def monte_carlo(
    ranges: pd.DataFrame, params: Parameters, draws: int, seed: int
) -> Iterator[tuple[dict, Parameters]]:
    """``draws`` parameter sets, every parameter uniform within its range (seeded)."""
    rng = np.random.default_rng(seed)
    low = ranges[["low", "high"]].min(axis=1).to_numpy()
    high = ranges[["low", "high"]].max(axis=1).to_numpy()
    for draw in range(draws):
        values = rng.uniform(low, high)
        new = params
        for name, value in zip(ranges["parameter"], values, strict=True):
            new = set_parameter(new, name, float(value))
        yield {"draw": draw, **dict(zip(ranges["parameter"], values, strict=True))}, new


def analyse(
    tables: StudyTables,
    params: Parameters,
    settings: Settings,
    class_order: list[str],
    ranges: pd.DataFrame,
    draws: int,
    seed: int,
) -> dict[str, pd.DataFrame]:
    """Run OAT and Monte Carlo; return per-run tables, stability summary, zone stability."""
    base = conclusions(run_all(tables, params, settings, class_order))
    oat_rows, mc_rows, zone_hits, ecc_hits = [], [], 0, 0
    ranks = {"intensity": [], "net": []}
    for label, new in one_at_a_time(ranges, params):
        oat_rows.append(
            label | compare(conclusions(run_all(tables, new, settings, class_order)), base)
        )
    for label, new in monte_carlo(ranges, params, draws, seed):
        run = conclusions(run_all(tables, new, settings, class_order))
        mc_rows.append(label | compare(run, base))
        zone_hits = zone_hits + (run["zones"] == base["zones"]).astype(int)
        ecc_hits = ecc_hits + (run["ecc_esc_zones"] == base["ecc_esc_zones"]).astype(int)
        ranks["intensity"].append(run["intensity_ranking"])
        ranks["net"].append(run["net_ranking"])
    mc = pd.DataFrame(mc_rows)
    return {
        "oat": pd.DataFrame(oat_rows),
        "monte_carlo": mc,
        "stability": stability_summary(base, mc, ranks),
        "zones": zone_stability(base, zone_hits / draws, ecc_hits / draws),
    }


def stability_summary(base: dict, mc: pd.DataFrame, ranks: dict[str, list[tuple]]) -> pd.DataFrame:
    """Share of Monte Carlo draws that keep each baseline conclusion."""
    rows = [
        ("peak_year", str(base["peak_year"]), mc["same_peak_year"].mean()),
        (
            "intensity_ranking",
            " > ".join(base["intensity_ranking"]),
            mc["same_intensity_ranking"].mean(),
        ),
        ("net_ranking", " > ".join(base["net_ranking"]), mc["same_net_ranking"].mean()),
    ]
    for kind, baseline in (("intensity", base["intensity_ranking"]), ("net", base["net_ranking"])):
        for position, mfa_class in enumerate(baseline, start=1):
            kept = np.mean([r.index(mfa_class) + 1 == position for r in ranks[kind]])
            rows.append((f"{kind}_rank:{mfa_class}", str(position), kept))
    rows.append(("compensation_zone_all_unit_years", "", mc["zone_agreement"].mean()))
    rows.append(("ecc_esc_zone_all_unit_years", "", mc["ecc_esc_zone_agreement"].mean()))
    return pd.DataFrame(rows, columns=["conclusion", "baseline", "share_of_draws_kept"])


def zone_stability(base: dict, zone_share: pd.Series, ecc_share: pd.Series) -> pd.DataFrame:
    """Per unit and year: baseline zones and the share of draws in which each is kept."""
    return pd.DataFrame(
        {
            "zone": base["zones"],
            "share_same_zone": zone_share,
            "ecc_esc_zone": base["ecc_esc_zones"],
            "share_same_ecc_esc_zone": ecc_share,
        }
    ).reset_index()
