"""The rules of workflow/rules/*.smk read as text, for tests of what each rule declares."""

from __future__ import annotations

import re
from pathlib import Path

RULES = Path(__file__).resolve().parents[1] / "workflow" / "rules"


def rule_blocks() -> dict[str, tuple[Path, str]]:
    """Rule name → (rule file, rule body up to the next top-level statement)."""
    blocks = {}
    for smk in sorted(RULES.glob("*.smk")):
        parts = re.split(r"^rule (\w+):\n", smk.read_text(), flags=re.M)
        for name, body in zip(parts[1::2], parts[2::2], strict=True):
            blocks[name] = (smk, body.split("\n\n\n")[0])
    return blocks


def directive(body: str, name: str) -> str | None:
    """The first value line of a rule directive such as ``script:`` or ``conda:``."""
    match = re.search(rf"^    {name}:\n\s+(\S[^\n]*)", body, re.M)
    return match.group(1) if match else None
