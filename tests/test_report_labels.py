"""Every entry of the Snakemake report has labels (the report then lists readable names, not
file paths): each report() call in workflow/rules/*.smk passes labels=, and
workflow/report/labels.yaml names every figure and table that has a caption."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "workflow" / "rules"
REPORT = ROOT / "workflow" / "report"


def report_calls(text: str) -> list[str]:
    """The argument text of every report(...) call (not report_table or a def)."""
    calls = []
    for match in re.finditer(r"(?<![\w.])report\(", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        calls.append(text[match.end() : i - 1])
    return calls


def test_report_calls_are_found_with_their_arguments():
    text = 'x = report(f"{OUT}/a.png", caption=c(1), labels={"figure": "A"})\nreport_table(p)\n'
    assert report_calls(text) == ['f"{OUT}/a.png", caption=c(1), labels={"figure": "A"}']


@pytest.mark.parametrize("rule_file", [p.name for p in sorted(RULES.glob("*.smk"))])
def test_every_report_entry_has_labels(rule_file):
    calls = report_calls((RULES / rule_file).read_text())
    assert [call for call in calls if not re.search(r"\blabels=", call)] == []


def test_every_captioned_figure_and_table_has_a_label():
    labels = yaml.safe_load((REPORT / "labels.yaml").read_text())
    for kind in ("figures", "tables"):
        captioned = {p.name.removesuffix(".rst") for p in (REPORT / kind).glob("*.rst")}
        assert set(labels[kind]) == captioned, kind
        assert all(isinstance(name, str) and name for name in labels[kind].values())
