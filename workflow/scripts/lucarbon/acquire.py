"""Checksum-verified, cached, atomic acquisition of registry datasets (local or remote).

The same code path serves a user's online run (http/https through pooch with retries, a
User-Agent and a progress bar) and the offline demo or tests (relative paths, file:// URLs).
Three ways to get a land-cover raster: the file itself, a member of a downloaded zip, or only
the study-area window of a remote Cloud-Optimized GeoTIFF (GDAL /vsicurl/ range requests).
"""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pooch
import requests

from .io import InputError, atomic_path, read_table

REGISTRY_COLUMNS = ("dataset", "version", "year", "url", "md5", "licence", "citation")
USER_AGENT = "lucarbon-workflow/0.1 (county land-use carbon budgets; python-requests, pooch)"
# GDAL settings for reading a remote COG window: no directory listing, a UA, retries.
VSICURL_ENV = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".tif,.tiff",
    "GDAL_HTTP_USERAGENT": USER_AGENT,
    "GDAL_HTTP_MAX_RETRY": "3",
    "GDAL_HTTP_RETRY_DELAY": "2",
    "GDAL_HTTP_TIMEOUT": "60",
    "GDAL_HTTP_MERGE_CONSECUTIVE_RANGES": "YES",
}
log = logging.getLogger(__name__)


class DownloadError(RuntimeError):
    """A dataset could not be fetched; the message says where to put the file by hand."""


def read_registry(path: str | os.PathLike) -> pd.DataFrame:
    """Read a dataset registry (one row per file) and check its columns."""
    registry = read_table(path, REGISTRY_COLUMNS, dtypes={"md5": str, "url": str})
    registry["year"] = pd.to_numeric(registry["year"], errors="coerce").astype("Int64")
    if "checksum_url" not in registry:
        registry["checksum_url"] = None
    return registry


def registry_entry(
    registry: pd.DataFrame, path: str | os.PathLike, dataset: str, year: int | None = None
) -> dict:
    """Return the single registry row for ``dataset`` (and ``year``), naming the file if absent.

    A row needs an md5, or a ``checksum_url`` (e.g. a Zenodo record's API) to read it from.
    """
    rows = registry[registry["dataset"] == dataset]
    if year is not None:
        rows = rows[rows["year"] == int(year)]
    label = f"dataset '{dataset}'" + (f", year {year}" if year is not None else "")
    if len(rows) != 1:
        raise InputError(
            f"{path}: expected exactly one row for {label}, found {len(rows)}; "
            "add or fix the row (columns: " + ", ".join(REGISTRY_COLUMNS) + ")."
        )
    entry = {k: (None if pd.isna(v) else v) for k, v in rows.iloc[0].to_dict().items()}
    if not entry["md5"] and not entry["checksum_url"]:
        raise InputError(f"{path}: row for {label} has neither an md5 nor a checksum_url.")
    entry["url"] = resolve_url(entry["url"], Path(path).parent)
    return entry


def resolve_url(url: str, base_dir: Path) -> str:
    """Turn a registry URL into an absolute one; a bare path is relative to the registry."""
    if urlparse(url).scheme in ("http", "https", "ftp", "file"):
        return url
    return (base_dir / url).resolve().as_uri()


def file_name(url: str) -> str:
    """The file name at the end of a URL's path (query strings such as ?download=1 dropped)."""
    return Path(unquote(urlparse(url).path)).name


def md5_from_record(checksum_url: str, name: str, timeout: float = 60) -> str:
    """The md5 of file ``name`` in a Zenodo-style record JSON (files[].key, files[].checksum)."""
    try:
        response = requests.get(checksum_url, headers={"User-Agent": USER_AGENT}, timeout=timeout)
        response.raise_for_status()
        files = response.json()["files"]
    except (requests.RequestException, ValueError, KeyError) as err:
        raise DownloadError(
            f"Could not read checksums from {checksum_url} ({type(err).__name__}: {err}). "
            "Add the file's md5 to the registry (make henan-registry fills it when online)."
        ) from err
    for item in files:
        if item.get("key") == name:
            algorithm, _, value = str(item.get("checksum", "")).partition(":")
            if algorithm == "md5" and value:
                return value
    raise DownloadError(f"{checksum_url}: no md5 checksum listed for file {name!r}.")


def copy_local_file(url: str, output_file: str, pooch_obj: object | None = None) -> None:
    """Pooch downloader for file:// URLs: copy the file (pooch then checks the hash)."""
    source = Path(unquote(urlparse(url).path))
    if not source.is_file():
        raise FileNotFoundError(f"{url}: local source file does not exist.")
    shutil.copyfile(source, output_file)


def fetch(
    url: str, md5: str | None, cache_file: Path, retries: int = 3, timeout: float = 60
) -> Path:
    """Fetch ``url`` into ``cache_file`` unless a copy with the right md5 is already there.

    pooch downloads to a temporary name, verifies the md5 and only then renames, so a failed
    or corrupted download never leaves a file under the final name. Without an md5 (the
    registry names a checksum_url that could not be read) a file placed by hand is used as is.
    """
    cache_file = Path(cache_file)
    if md5 is None and cache_file.is_file():
        log.warning("%s: no md5 known, using the file placed in the cache unverified", cache_file)
        return cache_file
    fetcher = pooch.create(
        path=cache_file.parent,
        base_url="",
        registry={cache_file.name: f"md5:{md5}" if md5 else None},
        urls={cache_file.name: url},
        retry_if_failed=retries,
    )
    if urlparse(url).scheme == "file":
        downloader = copy_local_file
    else:
        downloader = pooch.HTTPDownloader(
            headers={"User-Agent": USER_AGENT}, progressbar=True, timeout=timeout
        )
    try:
        return Path(fetcher.fetch(cache_file.name, downloader=downloader))
    except Exception as err:
        raise DownloadError(
            f"Could not fetch {url} ({type(err).__name__}: {err}). If you are offline or the "
            f"server refuses, download the file by hand and place it at {cache_file.resolve()} "
            f"(md5 {md5 or 'as listed by the data provider'}); the workflow verifies the "
            "checksum and uses it without downloading."
        ) from err


def fetch_entry(entry: dict, cache_file: Path, **kwargs) -> Path:
    """Fetch a registry entry, reading its md5 from ``checksum_url`` when the row has none."""
    md5 = entry["md5"]
    if not md5:
        try:
            md5 = md5_from_record(entry["checksum_url"], file_name(entry["url"]))
        except DownloadError as err:
            if not Path(cache_file).is_file():
                raise DownloadError(
                    f"{err} Without its checksum {entry['url']} is not downloaded. If you are "
                    f"offline, download the file elsewhere and place it at "
                    f"{Path(cache_file).resolve()}; it is then used as is (add its md5 to the "
                    "registry to have it verified)."
                ) from err
            md5 = None
    return fetch(entry["url"], md5, cache_file, **kwargs)


def extract_member(archive: Path, pattern: str, target: Path) -> str:
    """Extract the single zip member whose file name matches ``pattern`` (case-insensitive)
    to ``target`` atomically; fail naming the archive and its members otherwise."""
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        matches = [n for n in names if fnmatch.fnmatch(Path(n).name.lower(), pattern.lower())]
        if len(matches) != 1:
            raise InputError(
                f"{archive}: {len(matches)} members match {pattern!r} (config key "
                f"landcover.member_pattern), expected exactly one; members: {names[:20]}"
            )
        with atomic_path(target) as tmp, zf.open(matches[0]) as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, length=1 << 20)
    return matches[0]


def vsicurl_path(url: str) -> str:
    """GDAL path that reads a remote file with HTTP range requests (local paths unchanged)."""
    if urlparse(url).scheme in ("http", "https"):
        return f"/vsicurl/{url}"
    return unquote(urlparse(url).path) if urlparse(url).scheme == "file" else url


def link_or_copy(source: Path, target: Path) -> None:
    """Expose a cached file under a workflow path without copying when the disk allows."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
