"""How stable are the study's conclusions under other coefficient values and other choices?

One-at-a-time (each parameter at its low and high value), a seeded Monte Carlo (all
parameters drawn uniformly within their stated ranges) and the alternatives of the study's
structural choices (each other value of a config key such as construction.proxy, rebuilt by the
loaders the workflow uses) rerun the same model as the workflow and compare, with the baseline
run: the ranking of MFA classes by mean emission intensity and by mean net emission per unit,
the peak year of total emissions, and each unit's compensation and ECC/ESC zone.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from lucarbon.analysis import mfa
from lucarbon.analysis.mfa import STUDY_AREA
from lucarbon.core.io import InputError, check_numeric, read_table
from lucarbon.model import budget
from lucarbon.model import run as model
from lucarbon.model.budget import DESCRIPTIVE_COLUMNS
from lucarbon.model.inputs import load_parameters, load_settings
from lucarbon.model.run import Parameters, Settings, StudyTables, run_all

INTENSITY = "emission_intensity_gdp_ratio_of_sums_tC_per_10k_yuan"
NET_PER_UNIT = "net_emission_mean_of_units_tC"
RANGE_COLUMNS = ("parameter", "low", "high", "name_en", "name_zh", "source", "confidence")
CHOICE_COLUMNS = ("choice", "config_key", "alternatives", "name_en", "name_zh", "source")
# Zones are compared by side (payment, balanced, receiving): the grades of a graded scheme
# (strong_payment, weak_payment, ...) would make every other scheme disagree trivially.
GRADE = r"^(?:strong|weak)_"
# Config sections a structural choice may change (the model is rebuilt from them).
SECTIONS = ("coefficients", "construction", "arable", "budget", "compensation")
# Parameter sets run together (batch_runs): set d's year y is the model's year key
# y + YEAR_STRIDE × d, so each per-year step of the model runs once for all sets.
YEAR_STRIDE = 10_000


def read_ranges(path: str | os.PathLike, params: Parameters) -> pd.DataFrame:
    """Parameter ranges with each parameter's baseline value; every parameter must name
    something the model has and low ≤ high."""
    ranges = read_table(path, RANGE_COLUMNS)
    check_numeric(ranges, ["low", "high"], path)
    baseline = []
    for row, name in enumerate(ranges["parameter"]):
        try:
            baseline.append(get_parameter(params, name))
        except KeyError as err:
            raise InputError(f"{path}: row {row + 2}, column 'parameter': {err}") from err
    backwards = ranges.index[ranges["low"] > ranges["high"]]
    if len(backwards):
        row = backwards[0]
        raise InputError(
            f"{path}: row {row + 2}: low {ranges.at[row, 'low']} > high "
            f"{ranges.at[row, 'high']} for {ranges.at[row, 'parameter']!r}; swap them."
        )
    return ranges.assign(baseline=baseline)


def one_sided(ranges: pd.DataFrame) -> list[str]:
    """Parameters whose baseline is not strictly inside their range (a Monte Carlo drawing
    them is biased away from the baseline)."""
    inside = (ranges["low"] < ranges["baseline"]) & (ranges["baseline"] < ranges["high"])
    return ranges.loc[~inside, "parameter"].tolist()


def _locate(params: Parameters, name: str) -> tuple[str, list[str]]:
    """Check a parameter name: 'direct:<landuse>', 'fuel:<fuel>:<column>',
    'crop:<crop>:<column>' or 'price'; return its kind and the rest of the name."""
    kind, *rest = name.split(":")
    if kind == "price" and not rest:
        return kind, rest
    if kind == "direct" and len(rest) == 1 and rest[0] in params.coefficients:
        return kind, rest
    if kind in ("fuel", "crop") and len(rest) == 2:
        table = params.fuels if kind == "fuel" else params.crops
        known = (table[kind] == rest[0]).any() and rest[1] in table
        if known and rest[1] not in (kind, *DESCRIPTIVE_COLUMNS):
            return kind, rest
    raise KeyError(f"unknown parameter {name!r}")


def get_parameter(params: Parameters, name: str) -> float:
    """The value of a named parameter (names as in set_parameter)."""
    kind, rest = _locate(params, name)
    if kind == "price":
        return float(params.price_per_tC)
    if kind == "direct":
        return float(params.coefficients[rest[0]])
    table = params.fuels if kind == "fuel" else params.crops
    return float(table.loc[table[kind] == rest[0], rest[1]].iloc[0])


def set_parameter(params: Parameters, name: str, value: float) -> Parameters:
    """A copy of ``params`` with one named value replaced: 'direct:<landuse>',
    'fuel:<fuel>:<column>', 'crop:<crop>:<column>' or 'price'."""
    return set_parameters(params, {name: value})


def set_parameters(params: Parameters, values: Mapping[str, float]) -> Parameters:
    """A copy of ``params`` with the named values (see set_parameter) replaced."""
    new = params.replace()
    for name, value in values.items():
        kind, rest = _locate(params, name)
        if kind == "price":
            new.price_per_tC = value
        elif kind == "direct":
            new.coefficients[rest[0]] = value
        else:
            table = new.fuels if kind == "fuel" else new.crops
            table.loc[table[kind] == rest[0], rest[1]] = value
    return new


def conclusions(results: dict[str, pd.DataFrame]) -> dict:
    """The key conclusions of one model run."""
    return set_conclusions(results, 1)[0]


def set_conclusions(results: dict[str, pd.DataFrame], n: int) -> list[dict]:
    """The key conclusions of each of the ``n`` parameter sets of a stacked model run
    (batch_runs: set d's years + YEAR_STRIDE × d; one run is one set)."""
    summary = results["mfa"]
    classes = summary[summary["mfa_class"] != STUDY_AREA]
    by_set = classes["year"].to_numpy() // YEAR_STRIDE
    means = classes.groupby([by_set, "mfa_class"])[[INTENSITY, NET_PER_UNIT]].mean()
    study = summary[summary["mfa_class"] == STUDY_AREA]
    comp, table = results["compensation"], results["budget"]
    emission = _per_set(study, study["emission_tC"], n, ("year",))
    net = _per_set(study, study["net_emission_tC"], n, ("year",))
    value = _per_set(comp, comp["value_yuan"], n)
    zones = _per_set(comp, comp["zone"].str.replace(GRADE, "", regex=True), n)
    ecc_esc_zones = _per_set(table, table["ecc_esc_zone"], n)
    out = []
    for d in range(n):
        mine = means.xs(d)
        out.append(
            {
                "intensity_ranking": tuple(mine[INTENSITY].sort_values(ascending=False).index),
                "net_ranking": tuple(mine[NET_PER_UNIT].sort_values(ascending=False).index),
                "peak_year": int(emission[d].idxmax()),
                "total_emission_tC": float(emission[d].sum()),
                "total_net_emission_tC": float(net[d].sum()),
                "total_value_yuan": float(value[d].abs().sum() / 2),
                "zones": zones[d],
                "ecc_esc_zones": ecc_esc_zones[d],
            }
        )
    return out


def _per_set(
    frame: pd.DataFrame, column: pd.Series, n: int, keys: tuple[str, ...] = ("unit_id", "year")
) -> list[pd.Series]:
    """``column`` of a stacked ``frame`` as one Series per set, indexed by ``keys`` (the
    set's own years), in the frame's order (every set has the same rows)."""
    order = np.argsort(frame["year"].to_numpy() // YEAR_STRIDE, kind="stable")
    size = len(frame) // n
    first = frame.iloc[order[:size]]
    index = (
        pd.MultiIndex.from_arrays([first[key].to_numpy() for key in keys], names=list(keys))
        if len(keys) > 1
        else pd.Index(first[keys[0]].to_numpy(), name=keys[0])
    )
    values = column.to_numpy()[order].reshape(n, size)
    return [pd.Series(values[d], index=index, name=column.name) for d in range(n)]


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
    low = ranges["low"].to_numpy(dtype=float)
    high = ranges["high"].to_numpy(dtype=float)
    for draw in range(draws):
        values = dict(zip(ranges["parameter"], rng.uniform(low, high), strict=True))
        as_floats = {name: float(value) for name, value in values.items()}
        yield {"draw": draw, **values}, set_parameters(params, as_floats)


def batch_runs(
    tables: StudyTables, sets: Sequence[Parameters], settings: Settings, class_order: list[str]
) -> list[dict]:
    """``conclusions(run_all(tables, p, settings, class_order))`` of each parameter set p of
    ``sets`` (copies of one Parameters with other values, set_parameter), with the same
    numbers to the last bit, from one pass of the model over all sets: the fluxes of every
    set as arrays (area × coefficient, fuel amounts × factors, crop yields × parameters,
    summed as the model sums them), then the model's own budget, compensation and MFA
    functions once on all sets stacked, set d's year y keyed y + YEAR_STRIDE × d.
    (Two-level allocation by city energy weights cities by the fuel factors: each set is
    then run by itself.)"""
    if settings.city_proxy == "city_energy":
        return [conclusions(run_all(tables, p, settings, class_order)) for p in sets]
    gdp, gdp_column = model.gdp_for_intensity(tables)
    parts = model.budget_parts(tables, sets[0], settings, gdp)
    keys = pd.concat(parts.values(), ignore_index=True)[budget.FLUX_KEYS]
    fluxes = np.vstack(
        [_part_fluxes(name, part, tables, sets, settings, gdp) for name, part in parts.items()]
    )
    wide = _stacked_budget_by_unit(keys, fluxes, tables.landuse)
    n = len(sets)
    table = model.budget_table(
        wide,
        dataclasses.replace(tables, population=_stacked(tables.population, n)),
        _stacked(model.land_areas(tables), n),
        _stacked(gdp, n),
        gdp_column,
        settings,
    )
    prices = np.array([p.price_per_tC for p in sets])[table["year"].to_numpy() // YEAR_STRIDE]
    comp = model.run_compensation(table, _stacked(tables.engel, n), prices, settings)
    summary = mfa.summarise_by_mfa(mfa.join_compensation(table, comp), class_order)
    return set_conclusions({"budget": table, "compensation": comp, "mfa": summary}, n)


def _stacked(table: pd.DataFrame | None, n: int) -> pd.DataFrame | None:
    """``n`` copies of a table with a year column, copy d's years keyed + YEAR_STRIDE × d."""
    if table is None:
        return None
    return pd.concat(
        [table.assign(year=table["year"] + YEAR_STRIDE * d) for d in range(n)], ignore_index=True
    )


def _column(rows: pd.Series, sets: Sequence[Parameters], kind: str, column: str) -> np.ndarray:
    """One column per set: the ``column`` of the set's ``kind`` table (fuel: fuels, crop:
    crops) for each of ``rows`` (fuel or crop names); the sets' tables are copies of one
    (set_parameter), with their rows in the same order."""
    tables = [p.fuels if kind == "fuel" else p.crops for p in sets]
    position = pd.Index(tables[0][kind]).get_indexer(rows)
    return np.column_stack([t[column].to_numpy() for t in tables])[position]


def _part_fluxes(
    name: str,
    part: pd.DataFrame,
    tables: StudyTables,
    sets: Sequence[Parameters],
    settings: Settings,
    gdp: pd.DataFrame | None,
) -> np.ndarray:
    """The flux_tC of the rows of budget part ``name`` (model.budget_parts) for each set."""
    if name == "construction" and settings.construction_mode == "energy":
        secondary = model.secondary_energy_factors(tables, sets[0], settings)
        rows = budget.energy_rows(
            tables.energy, sets[0].fuels, tables.physical_units, "statistics.energy",
            secondary, "amount",
        )  # fmt: skip
        emitted = budget.fuel_emission_tC(
            rows["base_amount"].to_numpy()[:, None],
            _column(rows["fuel"], sets, "fuel", "standard_coal_kgce_per_unit"),
            _column(rows["fuel"], sets, "fuel", "carbon_tC_per_tce"),
        )
        secondary_rows = rows["is_secondary"].to_numpy()
        emitted[secondary_rows] = rows.loc[secondary_rows, ["emission_tC"]].to_numpy()
        totals = pd.DataFrame(emitted).groupby(rows["year"].to_numpy()).sum()
        _, allocated = model.allocated_energy(tables, sets[0], settings, gdp, totals)
        return allocated[list(totals.columns)].to_numpy()
    if name == "area_coefficient":
        coefficients = [model.direct_coefficients(p, settings) for p in sets]
        areas = tables.areas[tables.areas["landuse"].isin(list(coefficients[0]))]
        per_set = np.column_stack([areas["landuse"].map(c).to_numpy() for c in coefficients])
        return areas["area_ha"].to_numpy()[:, None] * per_set
    if name == "crop":
        rows = budget.crop_rows(tables.crop_yield, sets[0].crops, "crop table")
        absorbed = budget.crop_absorption_tC(
            _column(rows["crop"], sets, "crop", "carbon_fraction"),
            rows["yield_t"].to_numpy()[:, None],
            _column(rows["crop"], sets, "crop", "water_content"),
            _column(rows["crop"], sets, "crop", "harvest_index"),
        )
        sums = pd.DataFrame(absorbed).groupby([rows["unit_id"], rows["year"]]).sum()
        sums = sums[sums.index.get_level_values("year").isin(model.years_of(tables))]
        return -sums.to_numpy()
    # county-table construction and arable inputs: no parameter of the ranges changes them
    return np.repeat(part["flux_tC"].to_numpy()[:, None], len(sets), axis=1)


def _stacked_budget_by_unit(keys: pd.DataFrame, fluxes: np.ndarray, landuse: list[str]):
    """budget.flux_components and budget.budget_by_unit of the fluxes of every set (columns
    of ``fluxes``, rows as ``keys``), stacked by set (year + YEAR_STRIDE × set)."""
    n = fluxes.shape[1]
    order = keys.sort_values(budget.FLUX_KEYS).index.to_numpy()
    keys, fluxes = keys.iloc[order], fluxes[order]
    kept = np.isnan(fluxes)  # what Series.clip(lower=0) keeps: NaN and values ≥ 0
    emission = np.where(kept | (fluxes >= 0), fluxes, 0.0) + 0.0
    absorption = np.where(kept | (-fluxes >= 0), -fluxes, 0.0) + 0.0
    by = [keys["unit_id"].to_numpy(), keys["year"].to_numpy(), keys["landuse"].to_numpy()]
    sums = pd.DataFrame(np.hstack([emission, absorption])).groupby(by).sum()
    sums.index.names = ["unit_id", "year", "landuse"]
    columns = pd.MultiIndex.from_product([range(2 * n), landuse])
    values = sums.unstack("landuse").reindex(columns=columns).fillna(0.0)
    cube = values.to_numpy().reshape(len(values), 2, n, len(landuse))  # unit-year, flux, set
    years = values.index.get_level_values("year").to_numpy()
    stacked = {
        "unit_id": np.tile(values.index.get_level_values("unit_id").to_numpy(), n),
        "year": (years[None, :] + YEAR_STRIDE * np.arange(n)[:, None]).ravel(),
    }
    for i, flux in enumerate(("emission", "absorption")):
        for j, kind in enumerate(landuse):
            stacked[f"{flux}_{kind}_tC"] = cube[:, i, :, j].T.ravel()  # set by set
    return budget.add_budget_totals(pd.DataFrame(stacked), landuse)


def read_choices(path: str | os.PathLike) -> pd.DataFrame:
    """The structural choices: a config key each, and where its alternatives come from
    ('schema': the values the config schema allows; '<input>:<column>': the values of a
    column of a rule input table, e.g. 'prices:price')."""
    return read_table(path, CHOICE_COLUMNS)


def schema_values(schema: Mapping, key: str) -> list | None:
    """The enum of a dotted config key in the config schema, or None if it has none."""
    node = schema
    for part in key.split("."):
        node = node.get("properties", {}).get(part)
        if node is None:
            return None
    return list(node["enum"]) if "enum" in node else None


def config_value(sections: Mapping, key: str):
    """The value of a dotted config key in ``sections`` (None when not set)."""
    node = sections
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def with_value(sections: Mapping, key: str, value) -> dict:
    """A deep copy of ``sections`` with the dotted config ``key`` set to ``value``."""
    new = copy.deepcopy(dict(sections))
    *parents, last = key.split(".")
    node = new
    for part in parents:
        if node.get(part) is None:  # an unset optional section, e.g. construction.city
            node[part] = {}
        node = node[part]
    node[last] = value
    return new


def alternatives(
    choices: pd.DataFrame, schema: Mapping, paths: Mapping, sections: Mapping
) -> Iterator[dict]:
    """Every alternative of every choice, the baseline value left out: {choice, config_key,
    alternative} with a ``skipped`` reason where the choice cannot be varied at all."""
    for row in choices.itertuples():
        source = row.alternatives
        if source == "schema":
            values = schema_values(schema, row.config_key)
            missing = f"config key {row.config_key} is not a choice of this workflow's schema"
        else:
            name, _, column = source.partition(":")
            values = None
            if paths.get(name):
                values = list(dict.fromkeys(read_table(paths[name], (column,))[column]))
            missing = f"no rule input {name!r} to take the values of {row.config_key} from"
        key = {"choice": row.choice, "config_key": row.config_key}
        if values is None:
            yield key | {"alternative": "", "skipped": missing}
            continue
        current = config_value(sections, row.config_key)
        for value in values:
            if value != current:
                yield key | {"alternative": value, "skipped": ""}


def model_from_config(
    paths: Mapping, sections: Mapping, loaded: dict | None = None
) -> tuple[Parameters, Settings]:
    """Parameters and settings from config sections, by the loaders every rule uses. With
    ``loaded``, parameters already read for the same coefficients and price are reused (the
    structural runs mostly change settings; Parameters are never changed in place)."""
    comp = sections["compensation"]
    loaded = {} if loaded is None else loaded
    key = json.dumps([sections["coefficients"], comp["price"]], sort_keys=True, default=str)
    if key not in loaded:
        loaded[key] = load_parameters(paths, sections["coefficients"], comp["price"])
    settings = load_settings(
        sections["construction"], sections["budget"], comp, sections.get("arable")
    )
    return loaded[key], settings


def why_not(
    sections: Mapping, params: Parameters, settings: Settings, skipped: Callable, base: Mapping
) -> str:
    """Why an alternative cannot run on this study ('' if it can): a part it needs is
    skipped (a statistics table is missing) that the baseline has, or no construction
    coefficient for the coefficient mode."""
    new = {part: reason for part, reason in skipped(sections).items() if part not in base}
    if new:
        return "; ".join(new.values())
    if settings.construction_mode == "coefficient" and "construction" not in params.coefficients:
        return "construction.mode 'coefficient' needs a 'construction' area coefficient"
    return ""


def structural_runs(
    tables: StudyTables,
    choices: pd.DataFrame,
    schema: Mapping,
    paths: Mapping,
    sections: Mapping,
    skipped: Callable[[Mapping], dict],
    class_order: list[str],
) -> Iterator[tuple[dict, dict | None]]:
    """Each alternative's label and its conclusions (None when it is skipped, the reason in
    the label). ``skipped`` maps config sections to the parts left out (lucarbon.config.checks)."""
    base_skipped = skipped(sections)
    loaded = {}
    for label in alternatives(choices, schema, paths, sections):
        if label["skipped"]:
            yield label, None
            continue
        new = with_value(sections, label["config_key"], label["alternative"])
        try:
            params, settings = model_from_config(paths, new, loaded)
            reason = why_not(new, params, settings, skipped, base_skipped)
            run = None if reason else conclusions(run_all(tables, params, settings, class_order))
        except InputError as err:
            reason, run = str(err), None
        yield label | {"skipped": reason}, run


def analyse(
    tables: StudyTables,
    params: Parameters,
    settings: Settings,
    class_order: list[str],
    ranges: pd.DataFrame,
    draws: int,
    seed: int,
    structural: Callable[[], Iterator[tuple[dict, dict | None]]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run OAT, Monte Carlo and (if given) the structural alternatives; return per-run
    tables, the stability summary and the zone stability of the Monte Carlo."""
    oat_sets = list(one_at_a_time(ranges, params))
    mc_sets = list(monte_carlo(ranges, params, draws, seed))
    sets = [params, *(new for _, new in oat_sets), *(new for _, new in mc_sets)]
    base, *runs = batch_runs(tables, sets, settings, class_order)
    oat_runs, mc_runs = runs[: len(oat_sets)], runs[len(oat_sets) :]
    oat = [label | compare(run, base) for (label, _), run in zip(oat_sets, oat_runs, strict=True)]
    mc_rows = [label | compare(run, base) for (label, _), run in zip(mc_sets, mc_runs, strict=True)]
    stability = [stability_summary(base, mc_runs, "monte_carlo", "coefficient_ranges")]
    choice_rows, by_choice = [], {}
    for label, run in structural() if structural else ():
        choice_rows.append(label | (compare(run, base) if run else {}))
        runs, reasons = by_choice.setdefault(label["choice"], ([], []))
        if run:
            runs.append(run)
        else:
            reasons.append(f"{label['alternative']}: {label['skipped']}".lstrip(": "))
    for choice, (runs, reasons) in by_choice.items():
        stability.append(stability_summary(base, runs, "structural", choice, reasons))
    return {
        "oat": pd.DataFrame(oat),
        "monte_carlo": pd.DataFrame(mc_rows),
        "choices": pd.DataFrame(choice_rows),
        "stability": pd.concat(stability, ignore_index=True),
        "zones": zone_stability(base, mc_runs),
    }


def stability_summary(
    base: dict, runs: list[dict], analysis: str, choice: str, skipped: list[str] = ()
) -> pd.DataFrame:
    """Share of ``runs`` that keep each baseline conclusion: peak year, both MFA rankings,
    each class's rank, and the share of unit-years keeping their zones (mean over runs).
    Without runs, one row says why (the reasons of the skipped alternatives)."""
    columns = ["analysis", "choice", "conclusion", "baseline", "runs", "share_kept"]
    if not runs:
        row = (analysis, choice, "no_alternative_run", "; ".join(skipped), 0, np.nan)
        return pd.DataFrame([row], columns=columns)
    rows = [
        ("peak_year", str(base["peak_year"]), [r["peak_year"] == base["peak_year"] for r in runs])
    ]
    for kind in ("intensity", "net"):
        baseline = base[f"{kind}_ranking"]
        rankings = [r[f"{kind}_ranking"] for r in runs]
        rows.append((f"{kind}_ranking", " > ".join(baseline), [r == baseline for r in rankings]))
        for position, mfa_class in enumerate(baseline):
            kept = [mfa_class in r and r.index(mfa_class) == position for r in rankings]
            rows.append((f"{kind}_rank:{mfa_class}", str(position + 1), kept))
    for conclusion, column in (
        ("compensation_zone_all_unit_years", "zones"),
        ("ecc_esc_zone_all_unit_years", "ecc_esc_zones"),
    ):
        rows.append((conclusion, "", [(r[column] == base[column]).mean() for r in runs]))
    return pd.DataFrame(
        [
            (analysis, choice, name, baseline, len(runs), float(np.mean(kept)))
            for name, baseline, kept in rows
        ],
        columns=columns,
    )


def zone_stability(base: dict, runs: list[dict]) -> pd.DataFrame:
    """Per unit and year: baseline zones and the share of ``runs`` in which each is kept."""
    return pd.DataFrame(
        {
            "zone": base["zones"],
            "share_same_zone": np.mean([r["zones"] == base["zones"] for r in runs], axis=0),
            "ecc_esc_zone": base["ecc_esc_zones"],
            "share_same_ecc_esc_zone": np.mean(
                [r["ecc_esc_zones"] == base["ecc_esc_zones"] for r in runs], axis=0
            ),
        }
    ).reset_index()
