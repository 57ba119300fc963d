"""Checksum-verified, cached, atomic acquisition of registry datasets (local or remote).

The same code path serves a user's online run (http/https through pooch with retries, a
User-Agent and progress in the job log; lucarbon.acquire.fetching) and the offline demo or tests
(relative paths, file:// URLs). The workflow's inputs are its own copies of the cache files
(lucarbon.acquire.cache), checked against the md5 as they are written.
Three ways to get a land-cover raster: the file itself, a member of a downloaded zip, or only
the study-area window of a remote Cloud-Optimized GeoTIFF (GDAL /vsicurl/ range requests).
"""

from __future__ import annotations

import fnmatch
import logging
import math
import os
import shutil
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd

from lucarbon.acquire import cache
from lucarbon.acquire.fetching import (
    DEFAULT_HTTP,
    USER_AGENT,
    DownloadError,
    HttpSettings,
    fetch,
    local_source,
    md5_from_record,
)
from lucarbon.core.io import InputError, atomic_path, read_table
from lucarbon.core.verify import has_size

REGISTRY_COLUMNS = ("dataset", "version", "year", "url", "md5", "licence", "citation")


def vsicurl_env(settings: HttpSettings = DEFAULT_HTTP) -> dict[str, str]:
    """GDAL settings for reading a remote COG window: no directory listing, the user agent,
    and the retries and timeouts of config key ``download`` as the downloads use them: no
    connection within connect_timeout_s, or a transfer stalled (under 1 byte/s) for
    read_timeout_s, fails the request. GDAL reads whole seconds (at least 1)."""
    return {
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".tif,.tiff",
        "GDAL_HTTP_USERAGENT": USER_AGENT,
        "GDAL_HTTP_MAX_RETRY": str(settings.retries),
        "GDAL_HTTP_RETRY_DELAY": "2",
        "GDAL_HTTP_CONNECTTIMEOUT": str(max(1, math.ceil(settings.connect_timeout_s))),
        "GDAL_HTTP_LOW_SPEED_TIME": str(max(1, math.ceil(settings.read_timeout_s))),
        "GDAL_HTTP_LOW_SPEED_LIMIT": "1",
        "GDAL_HTTP_MERGE_CONSECUTIVE_RANGES": "YES",
    }


VSICURL_ENV = vsicurl_env()  # with the default download settings
log = logging.getLogger(__name__)


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


def portable_url(url: str) -> str:
    """A file:// URL of a file inside the working directory as a relative path, so that
    the rules' params do not change when the project directory moves; others unchanged."""
    source = local_source(url)
    if source is None or not source.is_absolute():
        return url
    try:
        return str(source.relative_to(Path.cwd()))
    except ValueError:
        return url


def entry_md5(entry: dict, cache_file: Path, settings: HttpSettings = DEFAULT_HTTP) -> str | None:
    """A registry entry's md5, read from its ``checksum_url`` when the row has none; None when
    that cannot be read but a file has been placed in the cache by hand."""
    if entry["md5"]:
        return entry["md5"]
    try:
        return md5_from_record(entry["checksum_url"], file_name(entry["url"]), settings)
    except DownloadError as err:
        if not Path(cache_file).is_file():
            raise DownloadError(
                f"{err} Without its checksum {entry['url']} is not downloaded. If you are "
                f"offline, download the file elsewhere and place it at "
                f"{Path(cache_file).resolve()}; it is then used as is (add its md5 to the "
                "registry to have it verified)."
            ) from err
        return None


def fetch_entry(entry: dict, cache_file: Path, settings: HttpSettings = DEFAULT_HTTP) -> Path:
    """Fetch a registry entry into the cache (see fetch and entry_md5)."""
    return fetch(entry["url"], entry_md5(entry, cache_file, settings), cache_file, settings)


def fetch_into(
    entry: dict,
    cache_file: Path,
    target: Path,
    member_pattern: str | None = None,
    settings: HttpSettings = DEFAULT_HTTP,
) -> str | None:
    """Fetch a registry entry into the cache and write the workflow's own copy of it at
    ``target``: the file itself, its md5 checked while copying, or (zip mode) the one member
    matching ``member_pattern``, its CRC checked while extracting. A cache file found damaged
    then (changed in place, keeping the size and time of its stamp) is removed and fetched
    once more. Returns the member extracted, if any."""
    md5 = entry_md5(entry, cache_file, settings)
    for attempt in (1, 2):
        cached = fetch(entry["url"], md5, cache_file, settings)
        try:
            if member_pattern:
                return extract_member(cached, member_pattern, target)
            cache.copy_verified(cached, target, md5)
            return None
        except (cache.Damaged, zipfile.BadZipFile, zlib.error) as err:
            if attempt == 2:
                raise DownloadError(
                    f"{cached.resolve()}: damaged again after fetching it anew ({err}); "
                    f"remove it and check the registry's md5 for {entry['url']}."
                ) from err
            log.warning("%s: damaged (%s); fetching it again", cached, err)
            cache.forget(cached)
    raise AssertionError("unreachable")


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
        size = zf.getinfo(matches[0]).file_size
        with (
            atomic_path(target, verify=has_size(size), needed_bytes=size) as tmp,
            zf.open(matches[0]) as src,  # checks the member's CRC as it reads
            open(tmp, "wb") as dst,
        ):
            shutil.copyfileobj(src, dst, length=1 << 20)
    return matches[0]


def vsicurl_path(url: str) -> str:
    """GDAL path that reads a remote file with HTTP range requests (local paths unchanged)."""
    if urlparse(url).scheme in ("http", "https"):
        return f"/vsicurl/{url}"
    return unquote(urlparse(url).path) if urlparse(url).scheme == "file" else url
