"""Build dataset-registry rows for files of a Zenodo record (URLs, md5 checksums, citation)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import requests

from lucarbon.acquire.datasets import REGISTRY_COLUMNS, USER_AGENT, DownloadError

API = "https://zenodo.org/api/records/{record}"
FILE_URL = "https://zenodo.org/records/{record}/files/{name}?download=1"


def fetch_record(api_url: str, timeout: float = 60) -> dict:
    """The record's JSON metadata (files with keys and checksums)."""
    try:
        response = requests.get(api_url, headers={"User-Agent": USER_AGENT}, timeout=timeout)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as err:
        raise DownloadError(f"Could not read {api_url} ({type(err).__name__}: {err}).") from err


def registry_rows(
    record: str,
    pattern: str,
    years: Iterable[int],
    dataset: str,
    licence: str,
    citation: str,
    metadata: dict | None = None,
) -> pd.DataFrame:
    """One registry row per year for the file named ``pattern.format(year=...)``.

    With ``metadata`` (the record's JSON) every md5 is filled in and a file missing from the
    record is an error; without it md5 stays empty and ``checksum_url`` points at the API, so
    the workflow reads each checksum when it downloads.
    """
    checksums = {}
    if metadata is not None:
        checksums = {
            f["key"]: str(f.get("checksum", "")).removeprefix("md5:") for f in metadata["files"]
        }
    rows = []
    for year in years:
        name = pattern.format(year=year)
        if metadata is not None and name not in checksums:
            raise DownloadError(f"record {record} has no file {name!r}.")
        rows.append(
            {
                "dataset": dataset,
                "version": f"zenodo-{record}",
                "year": year,
                "url": FILE_URL.format(record=record, name=name),
                "md5": checksums.get(name, ""),
                "licence": licence,
                "citation": citation,
                "checksum_url": API.format(record=record),
            }
        )
    return pd.DataFrame(rows, columns=[*REGISTRY_COLUMNS, "checksum_url"])
