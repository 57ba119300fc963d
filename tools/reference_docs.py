"""Generate the reference documents and templates from the schemas (the single sources):
docs/config.md from workflow/schemas/config.schema.yaml; docs/statistics.md and the CSV
templates data/templates/statistics/<kind>.csv (and county_statistics.csv, a wide table) from
workflow/schemas/statistics.schema.yaml, with the units of data/units/physical_units.csv.

Usage: python tools/reference_docs.py [--check]. With --check, exit 1 if any file is stale.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
STATISTICS = ROOT / "workflow/schemas/statistics.schema.yaml"
TEMPLATES = ROOT / "data/templates/statistics"


def rows(schema: dict, prefix: str = "") -> list[str]:
    """One Markdown table row per key, depth first, in schema order."""
    out = []
    required = set(schema.get("required", []))
    for key, spec in schema.get("properties", {}).items():
        name = f"{prefix}{key}"
        kind = spec.get("type", "enum" if "enum" in spec else "")
        kind = " or ".join(kind) if isinstance(kind, list) else kind
        if "enum" in spec:
            kind = " \\| ".join(f"`{v}`" for v in spec["enum"])
        default = f"`{spec['default']}`" if "default" in spec else ""
        need = "yes" if key in required else ""
        text = " ".join(str(spec.get("description", "")).split()).replace("|", "\\|")
        out.append(f"| `{name}` | {kind} | {need} | {default} | {text} |")
        if spec.get("type") == "object" and "properties" in spec:
            out.extend(rows(spec, prefix=f"{name}."))
    return out


def render_config() -> str:
    schema = yaml.safe_load(SCHEMA.read_text())
    header = [
        "# Configuration reference",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` by `tools/reference_docs.py`;",
        "do not edit by hand. The schema is checked before any job runs (unknown keys are",
        "errors), then cross-checks compare the config with the tables it names.",
        "A run's config is `config/defaults.yaml`, the study config merged over it and any",
        "override files after that (`--configfile config/henan.yaml mine.yaml`); a key none",
        "of them sets takes the default below.",
        "",
        " ".join(str(schema.get("description", "")).split()),
        "",
        "| key | type | required | default | meaning |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(header + rows(schema)) + "\n"


UNITS = ROOT / "data/units/physical_units.csv"
NAME_FILES = {
    "fuels": "data/coefficients/fuel_factors.csv",
    "crops": "data/coefficients/crop_parameters.csv",
    "physical_units": "data/units/physical_units.csv",
}
STATISTICS_INTRO = """\
# Statistics input tables

Generated from `workflow/schemas/statistics.schema.yaml` (and the table-entry keys of
`workflow/schemas/config.schema.yaml`, the units of `data/units/physical_units.csv`) by
`tools/reference_docs.py`; do not edit by hand. Empty templates are in
`data/templates/statistics/`. Copy one, fill it from the yearbooks (never with guessed
values), and name it in the config under `statistics:`; or keep your own table as it is and
describe it in the config (below).

Every table is checked before any job runs: its encoding, columns, numbers, ranges, unique
keys, every study year, and for per-unit tables every unit in every year. A table left out
(null) skips what needs it; the workflow lists skipped outputs in
`results/<study>/skipped_outputs.csv`.

## Tables as you have them

Each kind under `statistics:` is either a path (a CSV with the canonical column names and
units below) or an entry with these keys:

{entry}

Wide county-year tables go under `statistics.tables` (a list of such entries): one row per
unit and year with any of the per-unit-year variables ({wide}). Each provides the kinds whose
columns it has, so one yearbook extract can give GDP, population, the Engel coefficient and
emissions at once. Every variable must come from exactly one file: a variable in two files
(a wide table and a kind's own file, or two wide tables) is an error naming both.

```yaml
statistics:
  tables:
    - path: data/my_study/county_statistics.csv   # saved by Excel as CSV (GBK)
      columns:          # canonical column: the file's column
        unit_id: 县代码
        year: 年份
        gdp_10k_yuan: 地区生产总值
        population_persons: 常住人口
        engel_coefficient: 恩格尔系数
      units: {{gdp_10k_yuan: 亿元, population_persons: 万人, engel_coefficient: "%"}}
  energy:
    path: data/my_study/energy.csv
    columns: {{year: 年份, fuel: 能源品种, unit: 单位, amount: 消费量}}
  crop_yield: data/my_study/crop_yield.csv
```

With this table, a row `410102,2010,12.5,45.3,35.2` gives gdp_10k_yuan 125000 (12.5 亿元 =
125000 万元), population_persons 453000 (45.3 万人) and engel_coefficient 0.352.

- **Encodings.** UTF-8 with or without BOM and GBK/GB18030 (what Chinese Excel writes) are
  detected; declare `encoding` when detection is not enough. A file that decodes in neither is
  an error naming it.
- **Codes.** Unit codes are read as text: leading zeros are kept. Codes that match the study's
  units only with leading zeros restored (a spreadsheet read them as numbers) are an error:
  format the column as text in Excel and save again.
- **Numbers.** Cells must be plain numbers; thousands separators (`12,345`) are accepted. An
  empty cell, a yearbook dash (`—`) or a number with a unit or note is an error naming the file,
  row and column.
- **Units.** A value column in another unit than the canonical one declares it under `units`
  (a unit or alias below) and is converted on reading; a unit of another quantity (m3 for
  population) is an error. A fraction above 1 (an Engel coefficient of 35) is named as a likely
  percent: divide by 100 or declare `units: {{engel_coefficient: percent}}`.
- **Names.** Fuels, crops and physical units may be written as their aliases (column
  `aliases` of {names}), matched ignoring case and spaces: `原煤`, `天然气`, `万吨`,
  `10^8 m3`, `小麦`, `peanut (oil crops)` ... An unknown name is an error listing the known ones.
- **Duplicates.** A row repeating an earlier one exactly is dropped with a warning; two rows with
  the same key and different values are an error naming both rows.
- **Empty files** and files with a header but no rows are errors.

## Units and their aliases

| unit | measures | factor to base | aliases | source |
|---|---|---|---|---|
{units}
"""


def _entry_rows() -> str:
    config = yaml.safe_load(SCHEMA.read_text())
    table = config["properties"]["statistics"]["$defs"]["table"]
    lines = ["| key | required | meaning |", "|---|---|---|"]
    for key, spec in table["properties"].items():
        need = "yes" if key in table.get("required", []) else ""
        text = " ".join(str(spec["description"]).split()).replace("|", "\\|")
        lines.append(f"| `{key}` | {need} | {text} |")
    return "\n".join(lines)


def _unit_rows() -> str:
    with UNITS.open(newline="", encoding="utf-8") as handle:
        units = list(csv.DictReader(handle))
    return "\n".join(
        f"| `{u['unit']}` | {u['base_unit']} | {u['factor_to_base']} | "
        + ", ".join(f"`{a}`" for a in u["aliases"].split("|") if a).replace("|", "\\|")
        + f" | {u['source']} |"
        for u in units
    )


def _column_row(name: str, column: dict) -> str:
    bounds = ", ".join(
        f"{k} {column[k]}" for k in ("minimum", "exclusiveMinimum", "maximum") if k in column
    )
    key = "yes" if column.get("key") else ""
    unit = f"`{column['unit']}`" if "unit" in column else ""
    if "names" in column:
        unit = f"names or aliases of {NAME_FILES[column['names']]}"
    text = " ".join(column["description"].split()).replace("|", "\\|")
    return f"| `{name}` | {key} | {column['type']} | {unit} | {bounds} | {text} |"


def render_statistics() -> str:
    tables = yaml.safe_load(STATISTICS.read_text())
    wide = [c for spec in tables.values() if spec.get("wide") for c in spec["columns"]]
    wide = ", ".join(f"`{c}`" for c in dict.fromkeys(wide) if c not in ("unit_id", "year"))
    lines = [
        STATISTICS_INTRO.format(
            entry=_entry_rows(),
            wide=wide,
            names=", ".join(f"`{path}`" for path in NAME_FILES.values()),
            units=_unit_rows(),
        )
    ]
    for kind, spec in tables.items():
        lines += [f"## `{kind}`", "", " ".join(spec["description"].split()), ""]
        scope = "one row per unit and year" if spec["per_unit"] else "rows as keyed below"
        wide_note = " May come from a wide table (`statistics.tables`)." if spec.get("wide") else ""
        lines += [f"Coverage: {scope}.{wide_note}", ""]
        if "one_of" in spec:
            groups = "; or ".join(", ".join(f"`{c}`" for c in g) for g in spec["one_of"].values())
            lines += [f"Give exactly one of: {groups}.", ""]
        lines += ["| column | key | type | canonical unit | range | meaning |"]
        lines.append("|---|---|---|---|---|---|")
        lines += [_column_row(name, column) for name, column in spec["columns"].items()]
        lines += [
            "| `source` |  | string |  |  | Where the row comes from (yearbook, table, page). |",
            "",
        ]
    return "\n".join(lines)


def _template_columns(spec: dict) -> dict[str, list[str]]:
    """Template name suffix → columns: one template per group of a one_of kind."""
    keys = [c for c, column in spec["columns"].items() if column.get("key")]
    values = [c for c, column in spec["columns"].items() if not column.get("key")]
    groups = spec.get("one_of", {"": values})
    return {
        ("" if i == 0 else f"_{name}"): [*keys, *group, "source"]
        for i, (name, group) in enumerate(groups.items())
    }


def render_templates() -> dict[Path, str]:
    tables = yaml.safe_load(STATISTICS.read_text())
    templates = {
        TEMPLATES / f"{kind}{suffix}.csv": ",".join(columns) + "\n"
        for kind, spec in tables.items()
        for suffix, columns in _template_columns(spec).items()
    }
    # A wide county-year table with one column per wide kind (its first group).
    wide = ["unit_id", "year"] + [
        column
        for spec in tables.values()
        if spec.get("wide")
        for column in _template_columns(spec)[""][2:-1]
    ]
    templates[TEMPLATES / "county_statistics.csv"] = ",".join([*wide, "source"]) + "\n"
    return templates


def outputs() -> dict[Path, str]:
    return {
        ROOT / "docs/config.md": render_config(),
        ROOT / "docs/statistics.md": render_statistics(),
        **render_templates(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if an output is stale")
    args = parser.parse_args()
    stale = [p for p, text in outputs().items() if not p.is_file() or p.read_text() != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale: run python tools/reference_docs.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
