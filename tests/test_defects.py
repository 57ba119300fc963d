"""The defect catalogue (tools/make_defect_catalogue.py): one defect per case in a copy of the
SYNTHETIC example study, a real workflow run, and the user must read a message that names
their own file and the code, unit, column or value, with no traceback; errors stop with a
non-zero exit and no result table, warnings let the run finish."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from workflow_helpers import copy_project, snakemake

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import make_defect_catalogue as catalogue

MESSAGE = re.compile(r"^(Error|Warning): (.*)$", re.MULTILINE)
TRACEBACK = "Traceback (most recent call last)"


def messages(output: str, kind: str) -> list[str]:
    """The ``kind`` ('Error' or 'Warning') messages the user reads, one per line."""
    return [text for level, text in MESSAGE.findall(output) if level == kind]


def names_everything(message: str, case: catalogue.Case) -> bool:
    """Whether ``message`` names the case's file (as the user wrote it, not an internal copy
    under resources/) and every further item (each a string or a tuple of alternatives)."""
    files = (case.file,) if isinstance(case.file, str) else case.file
    text = message.casefold()
    if "resources/" in text or not any(Path(f).name.casefold() in text for f in files):
        return False
    items = [(item,) if isinstance(item, str) else item for item in case.names]
    return all(any(alt.casefold() in text for alt in item) for item in items)


@pytest.mark.workflow
@pytest.mark.parametrize("case", catalogue.CASES, ids=[c.id for c in catalogue.CASES])
def test_defect_is_reported_with_the_users_file(case, tmp_path):
    workdir = copy_project(tmp_path / "project")
    case.apply(workdir)
    targets = [f"results/{catalogue.STUDY}/tables/{name}" for name in case.targets]
    result = snakemake(workdir, *targets, "--configfile", catalogue.CONFIG, check=False)
    output = result.stdout + result.stderr
    kind = "Warning" if case.warning else "Error"
    found = messages(output, kind)
    context = f"{case.breaks}\n{kind} messages: {found}\n--- output tail ---\n{output[-3000:]}"
    assert TRACEBACK not in output, context
    assert any(names_everything(m, case) for m in found), context
    tables = workdir / "results" / catalogue.STUDY / "tables"
    if case.warning:
        assert result.returncode == 0, context
        if case.table:
            listed = pd.read_csv(tables / case.table, dtype=str)
            assert listed.isin([case.names[0]]).any().any(), listed
    else:
        assert result.returncode != 0, context
        written = sorted(p.name for p in tables.glob("*")) if tables.exists() else []
        assert written == [], written


def test_catalogue_has_thirty_distinct_cases_with_expectations():
    ids = [c.id for c in catalogue.CASES]
    assert len(ids) >= 30 and len(set(ids)) == len(ids)
    assert all(c.breaks and c.file and c.names for c in catalogue.CASES)
