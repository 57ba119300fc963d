"""The workflow used as a Snakemake module of another workflow (README "Use as a module")."""

from __future__ import annotations

import pytest
import yaml

from lucarbon.core.repository import repository_paths
from workflow_helpers import ROOT, copy_project, edit_config, snakemake

# One year keeps the two runs short; the targets still go through land use and the budget,
# reading the demo's data and the shipped tables.
YEARS = [2020]
TARGETS = ["results/demo/tables/carbon_budget.csv"]
TABLES = ["landuse_area.csv", "carbon_budget.csv", "carbon_by_landuse.csv"]

HOST = """\
configfile: "host.yaml"


module lucarbon:
    snakefile:
        {snakefile!r}
    config:
        config


use rule * from lucarbon
"""


def test_repository_paths_only_fill_in_files_missing_here(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "data" / "shipped.csv").write_text("x\n")
    (root / "data" / "both.csv").write_text("x\n")
    host = tmp_path / "host"
    (host / "data").mkdir(parents=True)
    (host / "data" / "both.csv").write_text("y\n")
    monkeypatch.chdir(host)
    config = {
        "tables": ["data/shipped.csv", "data/both.csv", "data/missing.csv"],
        "study": "data",  # a directory of the repository, not a file: left alone
        "note": "x" * 300,  # no file name at all
        "draws": 200,
    }
    assert repository_paths(config, root) == {
        "tables": [str(root / "data" / "shipped.csv"), "data/both.csv", "data/missing.csv"],
        "study": "data",
        "note": "x" * 300,
        "draws": 200,
    }


@pytest.mark.workflow
def test_host_workflow_runs_the_demo_as_a_module(tmp_path):
    plain = copy_project(tmp_path / "plain")
    edit_config(plain, years=YEARS)
    snakemake(plain, *TARGETS)

    # A host workflow elsewhere, with its own copy of the demo config: the demo's data and the
    # shipped tables are named relative to the repository, as in config.yaml.
    host = tmp_path / "host"
    host.mkdir()
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    config["years"] = YEARS
    (host / "host.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (host / "Snakefile").write_text(HOST.format(snakefile=str(ROOT / "Snakefile")))
    snakemake(host, *TARGETS)

    for name in TABLES:
        made = host / "results" / "demo" / "tables" / name
        assert made.read_bytes() == (plain / "results" / "demo" / "tables" / name).read_bytes()
