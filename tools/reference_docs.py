"""Generate the reference documents and templates from the schemas (the single sources):
docs/config.md from workflow/schemas/config.schema.yaml; docs/statistics.md and the CSV
templates data/templates/statistics/<kind>.csv from workflow/schemas/statistics.schema.yaml.

Usage: python tools/reference_docs.py [--check]. With --check, exit 1 if any file is stale.
"""

from __future__ import annotations

import argparse
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
        "",
        " ".join(str(schema.get("description", "")).split()),
        "",
        "| key | type | required | default | meaning |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(header + rows(schema)) + "\n"


def render_statistics() -> str:
    tables = yaml.safe_load(STATISTICS.read_text())
    lines = [
        "# Statistics input tables",
        "",
        "Generated from `workflow/schemas/statistics.schema.yaml` by `tools/reference_docs.py`;",
        "do not edit by hand. Empty templates with these columns are in",
        "`data/templates/statistics/`. Copy one, fill it from the yearbooks (never with guessed",
        "values), and name it in the config under `statistics:`. Every table is checked before",
        "any job runs: columns, numbers, ranges, unique keys, every study year, and for per-unit",
        "tables every unit in every year. A table left out (null) skips what needs it; the",
        "workflow lists skipped outputs in `results/<study>/skipped_outputs.csv`.",
        "",
    ]
    for kind, spec in tables.items():
        lines += [f"## `{kind}`", "", " ".join(spec["description"].split()), ""]
        scope = "one row per unit and year" if spec["per_unit"] else "rows as keyed below"
        lines += [f"Coverage: {scope}.", "", "| column | key | type | range | meaning |"]
        lines.append("|---|---|---|---|---|")
        for name, column in spec["columns"].items():
            bounds = ", ".join(
                f"{k} {column[k]}"
                for k in ("minimum", "exclusiveMinimum", "maximum")
                if k in column
            )
            key = "yes" if column.get("key") else ""
            text = " ".join(column["description"].split()).replace("|", "\\|")
            lines.append(f"| `{name}` | {key} | {column['type']} | {bounds} | {text} |")
        lines += [
            "| `source` |  | string |  | Where the row comes from (yearbook, table, page). |",
            "",
        ]
    return "\n".join(lines)


def render_templates() -> dict[Path, str]:
    tables = yaml.safe_load(STATISTICS.read_text())
    return {
        TEMPLATES / f"{kind}.csv": ",".join([*spec["columns"], "source"]) + "\n"
        for kind, spec in tables.items()
    }


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
