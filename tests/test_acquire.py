"""Acquisition over file:// and a local HTTP server on 127.0.0.1 (no network): checksums,
cache, zip members, remote COG windows, and the clear errors on refusal or corruption."""

import hashlib
import json
import time
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from conftest import ALBERS, ROOT, one_pass
from http_fixture import serving
from lucarbon.acquire import datasets as acquire
from lucarbon.acquire import fetching
from lucarbon.acquire.datasets import extract_member, fetch_entry, read_registry, registry_entry
from lucarbon.acquire.fetching import DownloadError, HttpSettings, fetch
from lucarbon.core.io import InputError
from lucarbon.raster.checks import StudyUnits, check_landcover
from lucarbon.raster.clip import landuse_counts, study_window
from lucarbon.raster.landuse import read_landuse_types, read_reclass
from lucarbon.raster.unitgrid import grid_of

pytestmark = pytest.mark.usefixtures("quick_retries")
PAYLOAD = b"land cover bytes " * 1000
NO_RETRY = HttpSettings(retries=0, read_timeout_s=1)
ONE_RETRY = HttpSettings(retries=1, read_timeout_s=1)


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path / "remote", {"lc_2000.tif": PAYLOAD}) as server:
        yield server


def test_file_url_is_verified_and_cached(tmp_path, served, monkeypatch):
    source = served.state.root / "lc_2000.tif"
    cache = tmp_path / "cache" / "lc_2000.tif"
    assert fetch(source.as_uri(), md5(PAYLOAD), cache).read_bytes() == PAYLOAD
    calls = []
    monkeypatch.setattr(fetching, "copy_local_file", lambda *a: calls.append(a))
    fetch(source.as_uri(), md5(PAYLOAD), cache)
    assert calls == []  # the second run finds the verified copy and fetches nothing


def test_http_download_then_cache_hit(tmp_path, served):
    cache = tmp_path / "cache" / "lc_2000.tif"
    fetch(f"{served.url}/lc_2000.tif", md5(PAYLOAD), cache, NO_RETRY)
    fetch(f"{served.url}/lc_2000.tif", md5(PAYLOAD), cache, NO_RETRY)
    assert cache.read_bytes() == PAYLOAD
    assert served.state.requests == [("GET", "/lc_2000.tif")]


@pytest.mark.parametrize("kind", ["corrupt", "truncate"])
def test_corrupted_or_truncated_download_is_detected_and_removed(tmp_path, served, kind):
    getattr(served.state, kind).add("/lc_2000.tif")
    cache = tmp_path / "cache" / "lc_2000.tif"
    with pytest.raises(DownloadError, match=r"Could not fetch http://127\.0\.0\.1:\d+/lc_2000"):
        fetch(f"{served.url}/lc_2000.tif", md5(PAYLOAD), cache, ONE_RETRY)
    assert list(cache.parent.iterdir()) == []  # no partial or temporary file left
    assert len(served.state.requests) == 2  # one retry


@pytest.mark.parametrize(("status", "delay"), [(403, 0.0), (404, 0.0), (None, 3.0)])
def test_refusal_or_timeout_gives_the_clear_error(tmp_path, served, status, delay):
    if status:
        served.state.status["/lc_2000.tif"] = status
    served.state.delay_s["/lc_2000.tif"] = delay
    cache = tmp_path / "cache" / "lc_2000.tif"
    with pytest.raises(DownloadError) as err:
        fetch(f"{served.url}/lc_2000.tif", md5(PAYLOAD), cache, NO_RETRY)
    message = str(err.value)
    assert f"{served.url}/lc_2000.tif" in message
    assert f"place it at {cache.resolve()}" in message
    assert not cache.exists()


def test_md5_is_read_from_the_record_when_the_registry_has_none(tmp_path, served):
    record = {"files": [{"key": "lc_2000.tif", "checksum": f"md5:{md5(PAYLOAD)}"}]}
    (served.state.root / "record.json").write_text(json.dumps(record))
    entry = {"url": f"{served.url}/lc_2000.tif?download=1", "md5": None}
    entry["checksum_url"] = f"{served.url}/record.json"
    cached = fetch_entry(entry, tmp_path / "cache" / "lc_2000.tif", NO_RETRY)
    assert cached.read_bytes() == PAYLOAD
    record["files"][0]["checksum"] = "md5:" + "0" * 32
    (served.state.root / "record.json").write_text(json.dumps(record))
    with pytest.raises(DownloadError):
        fetch_entry(entry, tmp_path / "other" / "lc_2000.tif", NO_RETRY)


def make_zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_member_is_verified_extracted_and_cached(tmp_path, served):
    members = {
        "CLCD_v01_2000_albert_province/CLCD_v01_2000_albert_henan.tif": b"henan raster",
        "CLCD_v01_2000_albert_province/CLCD_v01_2000_albert_hebei.tif": b"hebei raster",
    }
    archive = make_zip(served.state.root / "CLCD_v01_2000_albert_province.zip", members)
    entry = {
        "url": f"{served.url}/{archive.name}?download=1",
        "md5": md5(archive.read_bytes()),
        "checksum_url": None,
    }
    cache = tmp_path / "cache" / archive.name
    for _ in range(2):
        cached = fetch_entry(entry, cache, NO_RETRY)
        extract_member(cached, "*henan*.tif", tmp_path / "raw_2000.tif")
    assert (tmp_path / "raw_2000.tif").read_bytes() == b"henan raster"
    assert served.state.requests == [("GET", f"/{archive.name}")]
    with pytest.raises(InputError, match=r"0 members match '\*shanxi\*\.tif'"):
        extract_member(cached, "*shanxi*.tif", tmp_path / "x.tif")
    with pytest.raises(InputError, match=r"2 members match '\*\.tif'.*henan.*hebei"):
        extract_member(cached, "*.tif", tmp_path / "x.tif")
    assert not (tmp_path / "x.tif").exists()


def write_cog(path, size=4096):
    """A tiled COG of pseudo-random CLCD codes (hard to compress, like real fragmentation)."""
    rng = np.random.default_rng(0)
    data = rng.integers(1, 10, size=(size, size), dtype="uint8")
    profile = dict(
        driver="COG", width=size, height=size, count=1, dtype="uint8", crs=ALBERS, nodata=0,
        transform=from_origin(1_000_000, 3_900_000, 30, 30), blocksize=512, compress="DEFLATE",
    )  # fmt: skip
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
    return data


def test_cog_mode_reads_only_the_study_window(tmp_path, served):
    data = write_cog(served.state.root / "national.tif")
    size = (served.state.root / "national.tif").stat().st_size
    # A unit covering pixel columns 1000..1300 and rows 2000..2300 (one to four 512 blocks).
    x0, y0 = 1_000_000 + 1000 * 30, 3_900_000 - 2000 * 30
    window = box(x0, y0 - 300 * 30, x0 + 300 * 30, y0)
    units = gpd.GeoDataFrame({"unit_id": ["A"]}, geometry=[window], crs=ALBERS)
    landuse = tmp_path / "landuse.tif"
    url = f"{served.url}/national.tif"
    # headers and last block
    found = check_landcover(f"/vsicurl/{url}", url, ALBERS, None, StudyUnits.of(units))
    assert found["nodata"] == 0 and found["covered_percent"] == {"A": pytest.approx(100)}
    with rasterio.Env(**acquire.VSICURL_ENV), rasterio.open(f"/vsicurl/{url}") as src:
        grid = grid_of(src, units.geometry.values, study_window(src, units.total_bounds))
    reclass = ROOT / "data/reclass/clcd_to_landuse.csv"
    types = read_landuse_types(ROOT / "data/landuse_types.csv")
    args = (read_reclass(reclass), types, reclass, [0], [url])
    areas = landuse_counts([f"/vsicurl/{url}"], grid, *args, threads=2)  # rule reclassify
    assert served.state.bytes_sent < size / 10, (served.state.bytes_sent, size)
    one_pass(f"/vsicurl/{url}", grid, landuse, *args[:3], 0, url)  # and rule landuse_raster
    # CLCD codes 1..9 → arable, forest, forest, grassland, water, unused, unused,
    # construction, water (codes 1..6 in data/landuse_types.csv).
    by_hand = np.array([0, 1, 2, 2, 3, 4, 6, 6, 5, 4])[data[2000:2300, 1000:1300]]
    with rasterio.open(landuse) as out:
        np.testing.assert_array_equal(out.read(1), by_hand)
    np.testing.assert_allclose(areas[0], np.bincount(by_hand.ravel(), minlength=7) * 0.09)
    served.state.status["/missing.tif"] = 404
    missing = f"{served.url}/missing.tif"
    with pytest.raises(DownloadError, match=r"Could not read http://127.*/missing\.tif over HTTP"):
        landuse_counts([f"/vsicurl/{missing}"], grid, *args[:3], [0], [missing])


def test_remote_reads_follow_the_download_settings(tmp_path, served):
    settings = HttpSettings(retries=2, connect_timeout_s=0.2, read_timeout_s=7.5)
    env = acquire.vsicurl_env(settings)
    # GDAL takes whole seconds: rounded up, never 0 (which would mean no timeout at all).
    assert (env["GDAL_HTTP_MAX_RETRY"], env["GDAL_HTTP_CONNECTTIMEOUT"]) == ("2", "1")
    assert (env["GDAL_HTTP_LOW_SPEED_TIME"], env["GDAL_HTTP_LOW_SPEED_LIMIT"]) == ("8", "1")
    # A server that stalls for 5 s: with read_timeout_s = 1 the read fails after about 1 s.
    write_cog(served.state.root / "slow.tif", size=1024)
    served.state.delay_s["/slow.tif"] = 5
    url = f"{served.url}/slow.tif"
    units = gpd.GeoDataFrame({"unit_id": ["A"]}, geometry=[box(1e6, 3.87e6, 1.01e6, 3.88e6)],
                             crs=ALBERS)  # fmt: skip
    quick = acquire.vsicurl_env(HttpSettings(retries=0, connect_timeout_s=1, read_timeout_s=1))
    start = time.monotonic()
    with pytest.raises(InputError, match=r"slow\.tif: .*download\.connect_timeout_s"):
        check_landcover(f"/vsicurl/{url}", url, ALBERS, None, StudyUnits.of(units), env=quick)
    assert time.monotonic() - start < 4


def test_registry_relative_urls_and_missing_checksums(tmp_path):
    registry = tmp_path / "registry.csv"
    pd.DataFrame(
        [
            ("landcover", "v1", 2000, "lc/a.tif", "ab", "CC0", "x"),
            ("boundaries", "v1", None, "https://example.org/b.zip", "cd", "CC0", "y"),
            ("landcover", "v1", 2005, "lc/b.tif", None, "CC0", "x"),
        ],
        columns=acquire.REGISTRY_COLUMNS,
    ).to_csv(registry, index=False)
    table = read_registry(registry)
    assert registry_entry(table, registry, "landcover", 2000)["url"] == (
        (tmp_path / "lc" / "a.tif").as_uri()
    )
    assert registry_entry(table, registry, "boundaries")["url"] == "https://example.org/b.zip"
    with pytest.raises(InputError, match=r"registry\.csv: expected exactly one row for dataset "):
        registry_entry(table, registry, "landcover", 2010)
    with pytest.raises(InputError, match="neither an md5 nor a checksum_url"):
        registry_entry(table, registry, "landcover", 2005)
