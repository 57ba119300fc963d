"""The Henan config offline: the full plan for every year, and a fast, clear failure when the
land cover cannot be downloaded (the Zenodo URLs are pointed at a closed local port, so the
test never touches the network)."""

import itertools
import time

import pandas as pd
import pytest
import yaml

from workflow_helpers import copy_project, scheduled_jobs, snakemake

pytestmark = pytest.mark.workflow
YEARS = [2000, 2005, 2010, 2015, 2020]


@pytest.fixture(scope="module")
def henan(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("henan"))


def test_dry_run_shows_every_year(henan):
    jobs = scheduled_jobs(henan, "--configfile", "config/henan.yaml")
    for year in YEARS:
        for rule in ("download_landcover", "check_landcover", "landuse_area"):
            assert f"{rule}[year={year}]" in jobs
        assert f"reclassify[tile=0_0, year={year}]" in jobs  # one tile: the whole window
    for a, b in itertools.pairwise(YEARS):
        assert f"landuse_transitions[year_from={a}, year_to={b}]" in jobs
    once = {"prepare_units", "unit_grid[tile=0_0]", "carbon_budget", "mfa_summary"}
    assert once | {"skipped_outputs"} <= jobs
    # No statistics are shipped for Henan: compensation and sensitivity are skipped.
    assert "compensation" not in jobs and "sensitivity" not in jobs


def test_offline_run_fails_fast_with_the_clear_message(henan):
    registry = pd.read_csv(henan / "data/henan/registry_clcd_zip.csv")
    closed = "http://127.0.0.1:9"  # discard port: nothing listens, the connection is refused
    for column in ("url", "checksum_url"):
        registry[column] = registry[column].str.replace("https://zenodo.org", closed)
    registry.to_csv(henan / "data/henan/registry_clcd_zip.csv", index=False)
    config = yaml.safe_load((henan / "config/henan.yaml").read_text())
    config["years"] = [2000]
    (henan / "offline.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    start = time.monotonic()
    target = "resources/henan/landcover/raw_2000.tif"
    result = snakemake(henan, target, "--configfile", "offline.yaml", check=False)
    elapsed = time.monotonic() - start
    log = (henan / "results/henan/logs/download_landcover_2000.log").read_text()
    assert result.returncode != 0
    assert elapsed < 60
    assert "Could not read checksums from http://127.0.0.1:9/api/records/5816591" in log
    cache = "resources/cache/landcover/zenodo-5816591/CLCD_v01_2000_albert_province.zip"
    assert f"place it at {henan / cache}" in log
    assert not (henan / cache).exists()
