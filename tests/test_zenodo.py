"""Registry rows and checksums for a Zenodo record, read (through pooch's Zenodo support) from
record JSON served on 127.0.0.1, in the legacy API's form and in InvenioRDM's."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from http_fixture import LocalServer
from lucarbon.acquire.datasets import DownloadError, read_registry, registry_entry
from lucarbon.acquire.fetching import md5_from_record
from lucarbon.acquire.zenodo import record_checksums, registry_rows

RECORD = {
    "files": [
        {"key": "CLCD_v01_2000_albert_province.zip", "checksum": "md5:" + "a" * 32},
        {"key": "CLCD_v01_2005_albert_province.zip", "checksum": "md5:" + "b" * 32},
    ]
}
PATTERN = "CLCD_v01_{year}_albert_province.zip"


CHECKSUMS = {"CLCD_v01_2000_albert_province.zip": "a" * 32,
             "CLCD_v01_2005_albert_province.zip": "b" * 32}  # fmt: skip
# The same record as InvenioRDM's API lists it: `filename`, and the md5 without its prefix.
RECORD_RDM = {
    "id": 123,
    "files": [{"filename": name, "checksum": md5} for name, md5 in CHECKSUMS.items()],
}


def test_rows_take_md5_from_the_record():
    rows = registry_rows("123", PATTERN, [2000, 2005], "landcover", "CC-BY-4.0", "c", CHECKSUMS)
    assert rows["md5"].tolist() == ["a" * 32, "b" * 32]
    assert rows["url"].iloc[1] == (
        "https://zenodo.org/records/123/files/CLCD_v01_2005_albert_province.zip?download=1"
    )
    with pytest.raises(DownloadError, match="record 123 has no file 'CLCD_v01_2010"):
        registry_rows("123", PATTERN, [2010], "landcover", "CC-BY-4.0", "c", CHECKSUMS)


@pytest.mark.parametrize("record", [RECORD, RECORD_RDM], ids=["legacy", "invenio-rdm"])
def test_checksums_are_read_from_either_api_form(tmp_path, record):
    (tmp_path / "123").write_text(json.dumps(record))
    with LocalServer(tmp_path) as server:
        assert record_checksums(f"{server.url}/123") == CHECKSUMS
        name = "CLCD_v01_2005_albert_province.zip"
        assert md5_from_record(f"{server.url}/123", name) == "b" * 32
        with pytest.raises(DownloadError, match=r"no md5 checksum listed for file 'x\.zip'"):
            md5_from_record(f"{server.url}/123", "x.zip")
        with pytest.raises(DownloadError, match=r"Could not read checksums .* \(HTTP 404"):
            record_checksums(f"{server.url}/456")


def test_tool_against_a_local_api(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "123").write_text(json.dumps(RECORD))
    out = tmp_path / "registry.csv"
    with LocalServer(tmp_path) as server:
        subprocess.run(
            [sys.executable, str(ROOT / "tools/zenodo_registry.py"), "--record", "123",
             "--pattern", PATTERN, "--years", "2000", "2005", "--out", str(out),
             "--api", f"{server.url}/records/{{record}}"],
            check=True, capture_output=True,
        )  # fmt: skip
    registry = read_registry(out)
    assert registry_entry(registry, out, "landcover", 2005)["md5"] == "b" * 32


def test_committed_henan_registries_cover_the_study_years():
    for name in ("registry_clcd_zip.csv", "registry_clcd_cog.csv"):
        table = pd.read_csv(ROOT / "data/henan" / name)
        assert {2000, 2005, 2010, 2015, 2020} <= set(table["year"])
        assert table["version"].nunique() == 1  # one pinned record, never mixed
        assert table["checksum_url"].str.startswith("https://zenodo.org/api/records/").all()
