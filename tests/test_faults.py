"""Fault injection (issue 12): jobs killed mid-way, a failed update, a damaged download cache,
a full disk, misbehaving HTTP servers and parameters that make no sense. Each fault must end
in a clear error or in outputs equal to those of a run without it; none may leave a state a
later run accepts as complete when it is not. The workflow tests copy the finished demo run
of tests/conftest.py (``project``) or compare with it byte for byte."""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import rasterio
import yaml
from rasterio.transform import from_origin

from conftest import ALBERS, ROOT
from http_fixture import serving
from lucarbon.acquire.cache import stamp_path
from lucarbon.acquire.datasets import fetch_into
from lucarbon.acquire.fetching import DownloadError, HttpSettings, fetch
from lucarbon.config.checks import ConfigError, check_config
from lucarbon.config.layers import DEFAULTS, SCHEMA, layered_config, validate_config
from lucarbon.core.io import WriteError, atomic_path, verified_raster, write_csv
from test_workflow import DOWNSTREAM_OF_BUDGET, FIGURE_JOBS
from workflow_helpers import copy_project, scheduled_jobs, snakemake, snakemake_killing

PAYLOAD = bytes(range(256)) * 64  # 16 KiB
FAST = HttpSettings(retries=2, read_timeout_s=1)
# Rule script of the per-year raster pass, killed as an out-of-memory kill would.
RASTER_SCRIPT = "reclassify.py"
# The jobs that write a table of results/<study>/tables (each must see a new raster).
# Every job that writes a result table (what a failed update must redo).
TABLE_JOBS = (DOWNSTREAM_OF_BUDGET - FIGURE_JOBS) | {
    "collect_landuse_area",
    "collect_nodata_inside_units",
    "collect_landuse_transitions",
}


pytestmark = pytest.mark.usefixtures("quick_retries")


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


# --- full disk and verified writes -------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 252 KiB tmpfs, just too small for a 256 KiB raster; skipped where it cannot be
    mounted (mounting needs root or CAP_SYS_ADMIN)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=252k", "tmpfs", str(mount)],
            capture_output=True, text=True,
        )  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no mount command: cannot make a small disk to fill")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill ({done.stderr.strip()})")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


RASTER = np.random.default_rng(0).integers(0, 256, size=(512, 512), dtype="uint8")
PROFILE = dict(
    driver="GTiff", width=512, height=512, count=1, dtype="uint8", crs=ALBERS,
    transform=from_origin(1_000_000, 3_800_000, 30, 30),
)  # fmt: skip


def write_raster(path, writer=atomic_path):
    """Write RASTER the way the raster rules do: a temporary file, then the check and rename."""
    args = (PROFILE,) if writer is verified_raster else ()
    with writer(path, *args) as tmp, rasterio.open(tmp, "w", **PROFILE) as dst:
        dst.write(RASTER, 1)


@pytest.mark.parametrize("writer", [atomic_path, verified_raster])
def test_a_geotiff_cut_short_by_a_full_disk_is_never_kept(small_disk, writer):
    """Fault 3: GDAL writes this uncompressed GeoTIFF as the dataset closes; the disk fills,
    GDAL only logs it, rasterio raises nothing and the file is cut short. It must not be
    renamed into place: the error names the file and the free space, nothing is left."""
    final = small_disk / "landuse_2015.tif"
    with pytest.raises(WriteError) as err:
        write_raster(final, writer)
    message = str(err.value)
    assert message.startswith(f"{final}: not written, the disk is full (")
    assert f"free in {small_disk}" in message
    if writer is verified_raster:
        assert "the file needs up to 256.0 KiB" in message  # 512 × 512 × 1 byte
    assert list(small_disk.iterdir()) == []
    # With space again (the next run) it is written whole.
    subprocess.run(["mount", "-o", "remount,size=2m", str(small_disk)], check=True)
    write_raster(final, writer)
    with rasterio.open(final) as src:
        np.testing.assert_array_equal(src.read(1), RASTER)


def test_a_table_on_a_full_disk_is_an_error_naming_it_and_the_space_needed(small_disk):
    table = pd.DataFrame({"unit_id": [f"U{i:05d}" for i in range(40_000)], "area_ha": 1.5})
    final = small_disk / "landuse_area.csv"
    size = len(table.to_csv(index=False, lineterminator="\n").encode())
    with pytest.raises(WriteError, match="the disk is full") as err:
        write_csv(table, final)
    assert str(err.value).startswith(f"{final}: ")
    assert f"needs up to {size / 1024:.1f} KiB" in str(err.value)
    assert list(small_disk.iterdir()) == []


def test_a_raster_that_does_not_read_back_is_not_kept(tmp_path):
    """A written GeoTIFF missing its last bytes (any cause) is refused before the rename."""
    final = tmp_path / "unit_grid.tif"
    with pytest.raises(WriteError, match="did not read back"), atomic_path(final) as tmp:
        with rasterio.open(tmp, "w", **PROFILE) as dst:
            dst.write(RASTER, 1)
        tmp.write_bytes(tmp.read_bytes()[:-1000])
    assert list(tmp_path.iterdir()) == []


def test_stale_part_files_of_a_killed_write_are_removed_by_the_next(tmp_path):
    stale = tmp_path / ".areas.csv.k1ll3d.part"
    other = tmp_path / ".other.csv.k1ll3d.part"
    stale.write_text("half a tab")
    other.write_text("another output's")
    write_csv(pd.DataFrame({"a": [1]}), tmp_path / "areas.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "areas.csv"]


# --- the download cache --------------------------------------------------------------------


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source" / "lc_2000.tif"
    path.parent.mkdir()
    path.write_bytes(PAYLOAD)
    return path


def entry_of(url, data=PAYLOAD):
    return {"url": url, "md5": md5(data), "checksum_url": None}


def test_a_damaged_cache_file_is_fetched_again(tmp_path, source, caplog):
    cache = tmp_path / "cache" / "lc_2000.tif"
    fetch(source.as_uri(), md5(PAYLOAD), cache, FAST)
    cache.write_bytes(PAYLOAD[::-1][:1000])  # damaged: another size and time than stamped
    with caplog.at_level(logging.INFO, "lucarbon"):
        assert fetch(source.as_uri(), md5(PAYLOAD), cache, FAST).read_bytes() == PAYLOAD
    assert f"{cache}: its content is not the registry's" in caplog.text


def test_damage_that_keeps_size_and_time_is_found_when_the_file_is_copied(tmp_path, source):
    """Fault 2: the stamp trusts a cache file of unchanged size and time; its copy for the
    workflow is checked against the md5 as it is written, so damage is found there and the
    file fetched again. The workflow's file is a copy: damage to the cache never reaches it."""
    cache, target = tmp_path / "cache" / "lc_2000.tif", tmp_path / "raw_2000.tif"
    fetch_into(entry_of(source.as_uri()), cache, target, settings=FAST)
    assert target.stat().st_ino != cache.stat().st_ino and target.stat().st_nlink == 1
    before = cache.stat()
    with open(cache, "r+b") as f:  # in place, same size
        f.write(b"\xff" * 100)
    os.utime(cache, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.read_bytes() == PAYLOAD  # not a hard link
    target.unlink()
    fetch_into(entry_of(source.as_uri()), cache, target, settings=FAST)
    assert target.read_bytes() == cache.read_bytes() == PAYLOAD


def test_a_damaged_cache_file_that_cannot_be_fetched_names_its_path(tmp_path, source):
    cache = tmp_path / "cache" / "lc_2000.tif"
    fetch(source.as_uri(), md5(PAYLOAD), cache, FAST)
    cache.write_bytes(b"not the raster")
    source.unlink()
    with pytest.raises(DownloadError, match=f"place it at {cache.resolve()}"):
        fetch(source.as_uri(), md5(PAYLOAD), cache, FAST)
    assert not cache.exists() and not stamp_path(cache).exists()


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_cache_files_are_readable_by_the_group(tmp_path, source, umask):
    old = os.umask(umask)
    try:
        cached = fetch(source.as_uri(), md5(PAYLOAD), tmp_path / "cache" / "x.tif", FAST)
    finally:
        os.umask(old)
    assert cached.stat().st_mode & 0o777 == 0o666 & ~umask  # 0644 or 0664, not pooch's 0600


# --- HTTP faults against a local server ----------------------------------------------------


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path / "remote", {"lc.tif": PAYLOAD}) as server:
        yield server


def get(served, tmp_path, settings=FAST):
    return fetch(f"{served.url}/lc.tif", md5(PAYLOAD), tmp_path / "cache" / "lc.tif", settings)


def test_http_404_is_not_retried(served, tmp_path):
    served.state.status["/lc.tif"] = 404
    with pytest.raises(DownloadError, match=r"\(HTTP 404 Not Found\)\. If you are offline"):
        get(served, tmp_path)
    assert served.state.requests == [("GET", "/lc.tif")]


@pytest.mark.parametrize("fault", ["status", "truncate", "corrupt"])
def test_server_errors_and_broken_transfers_are_retried_in_the_job_log(
    served, tmp_path, caplog, fault
):
    """HTTP 500, a body cut short and a corrupted body: retried with a line in the log each
    time, and the file is fetched once the server behaves."""
    faults = served.state
    if fault == "status":
        faults.status["/lc.tif"] = 500
    else:
        getattr(faults, fault).add("/lc.tif")
    faults.times["/lc.tif"] = 2
    with caplog.at_level(logging.INFO, "lucarbon"):
        assert get(served, tmp_path).read_bytes() == PAYLOAD
    assert len(faults.requests) == 3
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) == 2, caplog.text
    assert f"{served.url}/lc.tif: 16.0 KiB (100%)" in caplog.text  # the progress line


def test_a_stalled_server_fails_after_the_read_timeout_naming_its_key(served, tmp_path):
    served.state.delay_s["/lc.tif"] = 2.0
    with pytest.raises(DownloadError, match=r"stalled .*download\.read_timeout_s = 1 s"):
        get(served, tmp_path, HttpSettings(retries=1, read_timeout_s=1))
    assert len(served.state.requests) == 2
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_total_timeout_stops_a_download_without_retrying(served, tmp_path):
    served.state.delay_s["/lc.tif"] = 0.5
    settings = HttpSettings(retries=3, read_timeout_s=5, total_timeout_s=0.3)
    with pytest.raises(DownloadError, match=r"download\.total_timeout_s = 0\.3 s"):
        get(served, tmp_path, settings)
    assert len(served.state.requests) == 1


# --- parameters that make no sense ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo_config():
    """The demo config as the Snakefile builds it (defaults under it, validated)."""
    config = layered_config(yaml.safe_load((ROOT / "config.yaml").read_text()), ROOT / DEFAULTS)
    return validate_config(config, ROOT / SCHEMA, ["config.yaml"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"overrides": {"forest": 0.6}}, r"coefficients\.overrides\.forest: 0\.6 has the wrong "
         r"sign: forest is a carbon sink"),
        ({"overrides": {"arable": -0.4}}, r"coefficients\.overrides\.arable: -0\.4 has the wrong "
         r"sign: arable is a carbon source"),
        ({"crop_overrides": {"wheat": {"harvest_index": -0.4}}},
         r"coefficients\.crop_overrides\.wheat\.harvest_index: -0\.4 is outside \(0, 1\]"),
        ({"fuel_overrides": {"raw_coal": {"carbon_tC_per_tce": 0}}},
         r"coefficients\.fuel_overrides\.raw_coal\.carbon_tC_per_tce: 0 is outside \(0, inf\]"),
    ],
)  # fmt: skip
def test_coefficients_of_the_wrong_sign_or_range_are_refused(
    demo_config, monkeypatch, change, message
):
    monkeypatch.chdir(ROOT)
    config = copy.deepcopy(demo_config)
    config["coefficients"] |= change
    with pytest.raises(ConfigError, match=message):
        check_config(config, ["config.yaml"])


def test_a_sensitivity_range_that_turns_a_sink_into_a_source_is_refused(
    demo_config, tmp_path, monkeypatch
):
    monkeypatch.chdir(ROOT)
    ranges = pd.read_csv(ROOT / demo_config["sensitivity"]["ranges"])
    row = ranges.index[ranges["parameter"] == "direct:forest"][0]
    ranges.loc[row, "high"] = 0.1
    ranges.to_csv(tmp_path / "ranges.csv", index=False)
    config = copy.deepcopy(demo_config)
    config["sensitivity"]["ranges"] = str(tmp_path / "ranges.csv")
    with pytest.raises(ConfigError, match=rf"row {row + 2}, column 'high' \(direct:forest\)"):
        check_config(config, ["config.yaml"])


def test_a_threshold_out_of_range_is_refused_by_the_schema(demo_config):
    config = copy.deepcopy(demo_config)
    config["compensation"]["zoning"]["tolerance"] = 0.5
    with pytest.raises(ConfigError, match=r"compensation\.zoning\.tolerance.*0\.5"):
        validate_config(config, ROOT / SCHEMA, ["config.yaml"])


# --- the workflow: killed jobs, a failed update, the cache, interrupted runs ---------------


def outputs(workdir) -> dict[str, bytes]:
    """Every file a demo run makes (tables, figures, rasters, GeoPackages, arrays, checks),
    without its logs and benchmarks."""
    found = {}
    for top in ("results/demo", "resources/demo"):
        for path in sorted((workdir / top).rglob("*")):
            relative = path.relative_to(workdir)
            if path.is_file() and not {"logs", "benchmarks"} & set(relative.parts):
                found[str(relative)] = path.read_bytes()
    return found


@pytest.mark.workflow
def test_a_run_with_a_killed_job_then_rerun_equals_a_clean_run_elsewhere(project, tmp_path):
    """A clean run in a second directory, one of its jobs killed mid-way (Snakemake goes on
    and reports it), then rerun: every table, figure, raster and GeoPackage is
    byte-identical to the shared demo run's, and no temporary file is left."""
    workdir = copy_project(tmp_path / "clean")
    killed = snakemake_killing(workdir, "carbon_budget.py", cores=2)
    assert killed.returncode != 0
    assert "Error in rule carbon_budget" in killed.stdout
    snakemake(workdir)
    mine, reference = outputs(workdir), outputs(project["dir"])
    assert sorted(mine) == sorted(reference)
    assert [name for name in mine if mine[name] != reference[name]] == []
    assert list(workdir.rglob("*.part")) == []


@pytest.fixture
def finished(project, tmp_path):
    """A copy of the finished demo run (its Snakemake records too): it has nothing to do."""
    workdir = tmp_path / "finished"
    shutil.copytree(project["dir"], workdir, symlinks=True)
    return workdir


def set_source(workdir, year, data):
    """Replace the demo's land-cover file of ``year`` and its md5 in the registry (an update
    of the input data)."""
    registry = workdir / "data/demo/registry_synthetic.csv"
    table = pd.read_csv(registry, dtype=str, keep_default_na=False)
    row = table.index[table["year"] == str(year)][0]
    (registry.parent / table.at[row, "url"]).write_bytes(data)
    table.at[row, "md5"] = md5(data)
    table.to_csv(registry, index=False)


@pytest.mark.workflow
def test_a_failed_update_is_redone_and_reaches_every_table(finished):
    """Fault 1: 2015's land cover is replaced (by 2010's), and the raster job reading it is
    killed. The next run must redo it and everything after it, not say "Nothing to be
    done"; then 2015's areas are 2010's and nothing changes between the two years."""
    lc = finished / "data/demo/landcover"
    set_source(finished, 2015, (lc / "landcover_synthetic_2010.tif").read_bytes())
    landuse = [f"results/demo/tables/landuse_{name}.csv" for name in ("area", "transitions")]
    killed = snakemake_killing(finished, RASTER_SCRIPT, *landuse)
    assert killed.returncode != 0
    jobs = scheduled_jobs(finished)
    assert {job.split("[")[0] for job in jobs} >= TABLE_JOBS
    for year in (2015, 2020):  # 2015's raster, and 2020's transition from 2015
        assert any(job.startswith("reclassify[") and f"year={year}" in job for job in jobs), jobs
    snakemake(finished, *landuse)
    areas = pd.read_csv(finished / landuse[0]).set_index(["year", "unit_id", "landuse"])
    pd.testing.assert_series_equal(areas.loc[2015]["area_ha"], areas.loc[2010]["area_ha"])
    moves = pd.read_csv(finished / landuse[1]).query("year_from == 2010")
    changed = moves[moves["landuse_from"] != moves["landuse_to"]]["area_ha"]
    assert (changed == 0).all()
    assert moves["area_ha"].sum() == pytest.approx(areas.loc[2010]["area_ha"].sum(), rel=1e-12)
    assert {job.split("[")[0] for job in scheduled_jobs(finished)} >= TABLE_JOBS - {
        "collect_landuse_area", "collect_nodata_inside_units", "collect_landuse_transitions",
    }  # fmt: skip


@pytest.mark.workflow
def test_damage_to_the_cache_does_not_reach_the_workflow_and_is_repaired(finished):
    """Fault 2: copying 2015's raster over the cached 2000 file changed raw_2000.tif too (a
    hard link) and the next run took 2000's areas from 2015. Now the workflow's file is a
    copy: nothing is to be done; the next use of the cache finds the damage and fetches the
    file again."""
    cache = finished / "resources/cache/landcover/synthetic-v1/landcover_synthetic_2000.tif"
    raw = finished / "resources/demo/landcover/raw_2000.tif"
    before = raw.read_bytes()
    with open(cache, "r+b") as f:  # as cp does: the same file, new content
        f.write((finished / "data/demo/landcover/landcover_synthetic_2015.tif").read_bytes())
        f.truncate()
    assert raw.read_bytes() == before
    assert scheduled_jobs(finished) == set()
    snakemake(finished, str(raw.relative_to(finished)), "--forcerun", "download_landcover")
    assert cache.read_bytes() == raw.read_bytes() == before
    log = (finished / "results/demo/logs/download_landcover_2000.log").read_text()
    assert f"{cache.relative_to(finished)}: its content is not the registry's" in log


@pytest.mark.workflow
def test_an_interrupted_run_is_reported_and_a_failed_download_is_one_error(finished):
    """Snakemake itself killed while a job runs (a power cut): the next run does not redo it
    silently but stops naming the incomplete file (the default profile has no
    rerun-incomplete). A download that fails is one short Error line, no traceback."""
    target = "results/demo/tables/landuse_area.csv"
    snakemake_killing(
        finished, "concat_tables.py", target, "--forcerun", "collect_landuse_area",
        kill_snakemake=True,
    )  # fmt: skip
    snakemake(finished, "--unlock")
    stopped = snakemake(finished, target, check=False)
    assert stopped.returncode != 0
    assert "incomplete" in stopped.stderr and target in stopped.stderr
    snakemake(finished, target, "--rerun-incomplete")
    # A registry row whose file is gone: the download job fails with one message.
    set_source(finished, 2000, b"")
    (finished / "data/demo/landcover/landcover_synthetic_2000.tif").unlink()
    failed = snakemake(finished, "resources/demo/landcover/raw_2000.tif", check=False)
    assert failed.returncode != 0
    errors = [line for line in failed.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "Could not fetch data/demo/landcover/" in errors[0]
    assert "Traceback" not in failed.stderr + failed.stdout
