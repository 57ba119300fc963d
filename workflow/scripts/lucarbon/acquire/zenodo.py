"""A Zenodo record's checksums (read by pooch's Zenodo support) and the dataset-registry rows
built from them (URLs, md5 checksums, citation)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import SimpleNamespace

import pandas as pd
import requests
from pooch.downloaders import ZenodoRepository

from lucarbon.acquire.datasets import REGISTRY_COLUMNS
from lucarbon.acquire.fetching import (
    DEFAULT_HTTP,
    USER_AGENT,
    DownloadError,
    HttpSettings,
    describe,
)

API = "https://zenodo.org/api/records/{record}"
FILE_URL = "https://zenodo.org/records/{record}/files/{name}?download=1"


class ZenodoRecord(ZenodoRepository):
    """A Zenodo record read from its API URL. pooch's ZenodoRepository parses the file list
    (the legacy API's ``key`` and InvenioRDM's ``filename`` forms); the record is fetched
    here, with the workflow's timeouts and user agent and an HTTP status check, and without
    resolving a DOI through doi.org first."""

    def __init__(self, api_url: str, settings: HttpSettings = DEFAULT_HTTP):
        super().__init__(doi=None, archive_url=api_url)
        self.api_url, self.settings = api_url, settings

    @functools.cached_property
    def api_response(self) -> dict:
        """The record's JSON, fetched once."""
        response = requests.get(
            self.api_url, headers={"User-Agent": USER_AGENT}, timeout=self.settings.timeout
        )
        response.raise_for_status()
        return response.json()


def record_checksums(api_url: str, settings: HttpSettings = DEFAULT_HTTP) -> dict[str, str]:
    """File name → md5 of every file the record at ``api_url`` lists with an md5."""
    found = SimpleNamespace(registry={})
    try:
        ZenodoRecord(api_url, settings).populate_registry(found)
    except (requests.RequestException, ValueError, KeyError, TypeError) as err:
        raise DownloadError(
            f"Could not read checksums from {api_url} ({describe(err, settings)}). "
            "Add the file's md5 to the registry (make henan-registry fills it when online)."
        ) from err
    return {
        name: checksum.removeprefix("md5:")
        for name, checksum in found.registry.items()
        if checksum.startswith("md5:")
    }


def registry_rows(
    record: str,
    pattern: str,
    years: Iterable[int],
    dataset: str,
    licence: str,
    citation: str,
    checksums: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """One registry row per year for the file named ``pattern.format(year=...)``.

    With ``checksums`` (record_checksums) every md5 is filled in and a file missing from the
    record is an error; without them md5 stays empty and ``checksum_url`` points at the API, so
    the workflow reads each checksum when it downloads.
    """
    rows = []
    for year in years:
        name = pattern.format(year=year)
        if checksums is not None and name not in checksums:
            raise DownloadError(f"record {record} has no file {name!r}.")
        rows.append(
            {
                "dataset": dataset,
                "version": f"zenodo-{record}",
                "year": year,
                "url": FILE_URL.format(record=record, name=name),
                "md5": (checksums or {}).get(name, ""),
                "licence": licence,
                "citation": citation,
                "checksum_url": API.format(record=record),
            }
        )
    return pd.DataFrame(rows, columns=[*REGISTRY_COLUMNS, "checksum_url"])
