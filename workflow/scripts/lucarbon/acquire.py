"""Checksum-verified, cached, atomic acquisition of registry datasets (local or remote).

The same code path serves a user's online run (http/https through pooch with retries and a
User-Agent) and the offline demo or tests (relative paths and file:// URLs).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pooch

from .io import InputError, read_table

REGISTRY_COLUMNS = ("dataset", "version", "year", "url", "md5", "licence", "citation")
USER_AGENT = "lucarbon-workflow (county land-use carbon budgets; https://pypi.org/project/pooch)"


class DownloadError(RuntimeError):
    """A dataset could not be fetched; the message says where to put the file by hand."""


def read_registry(path: str | os.PathLike) -> pd.DataFrame:
    """Read a dataset registry (one row per file) and check its columns."""
    registry = read_table(path, REGISTRY_COLUMNS, dtypes={"md5": str, "url": str})
    registry["year"] = pd.to_numeric(registry["year"], errors="coerce").astype("Int64")
    return registry


def registry_entry(
    registry: pd.DataFrame, path: str | os.PathLike, dataset: str, year: int | None = None
) -> dict:
    """Return the single registry row for ``dataset`` (and ``year``), naming the file if absent."""
    rows = registry[registry["dataset"] == dataset]
    if year is not None:
        rows = rows[rows["year"] == int(year)]
    label = f"dataset '{dataset}'" + (f", year {year}" if year is not None else "")
    if len(rows) != 1:
        raise InputError(
            f"{path}: expected exactly one row for {label}, found {len(rows)}; "
            "add or fix the row (columns: " + ", ".join(REGISTRY_COLUMNS) + ")."
        )
    entry = rows.iloc[0].to_dict()
    entry["url"] = resolve_url(entry["url"], Path(path).parent)
    return entry


def resolve_url(url: str, base_dir: Path) -> str:
    """Turn a registry URL into an absolute one; a bare path is relative to the registry."""
    if urlparse(url).scheme in ("http", "https", "ftp", "file"):
        return url
    return (base_dir / url).resolve().as_uri()


def copy_local_file(url: str, output_file: str, pooch_obj: object | None = None) -> None:
    """Pooch downloader for file:// URLs: copy the file (pooch then checks the hash)."""
    source = Path(unquote(urlparse(url).path))
    if not source.is_file():
        raise FileNotFoundError(f"{url}: local source file does not exist.")
    shutil.copyfile(source, output_file)


def fetch(url: str, md5: str, cache_file: Path, retries: int = 3) -> Path:
    """Fetch ``url`` into ``cache_file`` unless a copy with the right md5 is already there.

    pooch downloads to a temporary name, verifies the md5 and only then renames, so a failed
    or corrupted download never leaves a file under the final name.
    """
    cache_file = Path(cache_file)
    fetcher = pooch.create(
        path=cache_file.parent,
        base_url="",
        registry={cache_file.name: f"md5:{md5}"},
        urls={cache_file.name: url},
        retry_if_failed=retries,
    )
    if urlparse(url).scheme == "file":
        downloader = copy_local_file
    else:
        downloader = pooch.HTTPDownloader(
            headers={"User-Agent": USER_AGENT}, progressbar=True, timeout=60
        )
    try:
        return Path(fetcher.fetch(cache_file.name, downloader=downloader))
    except Exception as err:
        raise DownloadError(
            f"Could not fetch {url} ({type(err).__name__}: {err}). If you are offline or the "
            f"server refuses, download the file by hand and place it at {cache_file.resolve()} "
            f"(md5 {md5}); the workflow verifies the checksum and uses it without downloading."
        ) from err


def link_or_copy(source: Path, target: Path) -> None:
    """Expose a cached file under a workflow path without copying when the disk allows."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
