"""Style and documentation gates that CI runs with the tests: ruff, snakefmt, lint, docs."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

COMMANDS = {
    "ruff check": [BIN / "ruff", "check", "."],
    "ruff format": [BIN / "ruff", "format", "--check", "."],
    "snakefmt": [BIN / "snakefmt", "--check", "Snakefile", "workflow/rules"],
    "shfmt": [BIN / "shfmt", "-d", "tools/ci_slurm.sh", ".ci/run"],
    "snakemake lint": [sys.executable, "-m", "snakemake", "--lint"],
    "reference docs": [sys.executable, "tools/reference_docs.py", "--check"],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_clean(name):
    result = subprocess.run(COMMANDS[name], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
