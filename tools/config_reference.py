"""Generate docs/config.md from workflow/schemas/config.schema.yaml (the single source).

Usage: python tools/config_reference.py [--check]. With --check, exit 1 if the file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
OUTPUT = ROOT / "docs/config.md"


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


def render() -> str:
    schema = yaml.safe_load(SCHEMA.read_text())
    header = [
        "# Configuration reference",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` by `tools/config_reference.py`;",
        "do not edit by hand. The schema is checked before any job runs (unknown keys are",
        "errors), then cross-checks compare the config with the tables it names.",
        "",
        " ".join(str(schema.get("description", "")).split()),
        "",
        "| key | type | required | default | meaning |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(header + rows(schema)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if docs/config.md is stale")
    args = parser.parse_args()
    text = render()
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text() != text:
            print(f"{OUTPUT} is stale: run python tools/config_reference.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
