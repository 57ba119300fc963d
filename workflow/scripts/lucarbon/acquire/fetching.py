"""Fetching one file into the download cache: pooch over HTTP(S) (retries, timeouts, progress
in the job log) or a copy of a local file, checksum-verified and checked at every use
(lucarbon.acquire.cache). Errors are DownloadError: one message naming the URL, what went wrong (and
the config key that governs it) and the exact path where a file fetched by hand goes.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lucarbon.acquire import cache
from lucarbon.core.io import FULL_DISK, UserError, default_mode, free_bytes, human_bytes

USER_AGENT = "lucarbon-workflow/0.1 (county land-use carbon budgets; python-requests, pooch)"
CHUNK = 1 << 20  # bytes per read of a download
PROGRESS_STEP = 100 << 20  # a progress line every 100 MiB when the size is unknown
RETRY_WAIT_S = 2  # the first wait before a retry; doubled for each further one
log = logging.getLogger(__name__)


class DownloadError(UserError, RuntimeError):
    """A dataset could not be fetched; the message says where to put the file by hand."""


@dataclass(frozen=True)
class HttpSettings:
    """Retries and timeouts of downloads (config key ``download``, docs/config.md)."""

    retries: int = 3
    connect_timeout_s: float = 30
    read_timeout_s: float = 60
    total_timeout_s: float = 6 * 3600

    @property
    def timeout(self) -> tuple[float, float]:
        """requests' (connect, read) timeout."""
        return (self.connect_timeout_s, self.read_timeout_s)


DEFAULT_HTTP = HttpSettings()


class TotalTimeout(Exception):
    """A download took longer than download.total_timeout_s."""


def md5_from_record(checksum_url: str, name: str, settings: HttpSettings = DEFAULT_HTTP) -> str:
    """The md5 of file ``name`` in the Zenodo record at ``checksum_url`` (its API URL)."""
    # Imported where used: raster jobs import this module for DownloadError and USER_AGENT
    # and need neither pooch nor requests (0.2 CPU s a job, README Performance).
    from lucarbon.acquire.zenodo import record_checksums

    checksums = record_checksums(checksum_url, settings)
    if name not in checksums:
        raise DownloadError(f"{checksum_url}: no md5 checksum listed for file {name!r}.")
    return checksums[name]


def local_source(url: str) -> Path | None:
    """The local file a file:// URL or a plain path names; None for a remote URL."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    return None if parsed.scheme else Path(url)


def copy_local_file(url: str, output_file: str, pooch_obj: object | None = None) -> None:
    """Pooch downloader for local files (file:// URLs or paths): copy (pooch checks the hash)."""
    source = local_source(url)
    if not source.is_file():
        raise FileNotFoundError(f"{url}: local source file does not exist.")
    shutil.copyfile(source, output_file)


class LogProgress:
    """A pooch progress bar that writes to the job log, a line every tenth of the file (every
    PROGRESS_STEP bytes when the server gives no size), and stops a download that runs past
    its deadline (download.total_timeout_s)."""

    def __init__(self, url: str, deadline: float):
        self.url, self.deadline = url, deadline
        self.total, self.done, self.next_line = 0, 0, 0

    def update(self, size: int) -> None:
        self.done += size
        if time.monotonic() > self.deadline:
            raise TotalTimeout(f"{human_bytes(self.done)} of {human_bytes(self.total)} done")
        if self.done >= self.next_line:
            done = min(self.done, self.total) if self.total else self.done
            share = f" ({done / self.total:.0%})" if self.total else ""
            log.info("%s: %s%s", self.url, human_bytes(done), share)
            self.next_line = self.done + (self.total / 10 if self.total else PROGRESS_STEP)

    def reset(self) -> None:
        """pooch calls it at the end, then update(total): one last line when the size is known."""
        self.done, self.next_line = 0, 1

    def close(self) -> None:
        pass


def transient(err: BaseException) -> bool:
    """Whether a failed download is worth retrying: connection failures, timeouts, a broken
    or corrupted transfer and server errors; not a 4xx refusal (except 408 and 429), a full
    disk, a missing local file or the total timeout."""
    import requests

    if isinstance(err, requests.HTTPError) and err.response is not None:
        status = err.response.status_code
        return status >= 500 or status in (408, 429)
    return isinstance(err, requests.RequestException | ValueError)


def describe(err: BaseException, settings: HttpSettings) -> str:
    """What went wrong, in words that name the config key that governs it."""
    import requests

    if isinstance(err, requests.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code} {err.response.reason}"
    if isinstance(err, requests.ConnectTimeout):
        return f"no connection within download.connect_timeout_s = {settings.connect_timeout_s} s"
    if isinstance(err, requests.ReadTimeout | requests.exceptions.ChunkedEncodingError):
        what = "stalled" if isinstance(err, requests.ReadTimeout) else "broke off"
        return (
            f"the transfer {what} ({type(err).__name__}; download.read_timeout_s = "
            f"{settings.read_timeout_s} s)"
        )
    if isinstance(err, TotalTimeout):
        return f"not done within download.total_timeout_s = {settings.total_timeout_s} s ({err})"
    if isinstance(err, FileNotFoundError):
        return "there is no such local file"
    if isinstance(err, ValueError) and "hash" in str(err).lower():
        return "the file received does not have the registry's md5"
    return f"{type(err).__name__}: {err}"


def fetch(
    url: str, md5: str | None, cache_file: Path, settings: HttpSettings = DEFAULT_HTTP
) -> Path:
    """Fetch ``url`` into ``cache_file`` unless the cache holds a verified copy of it.

    A cache file is checked at every use (lucarbon.acquire.cache.verified: its stamp, else its md5);
    a damaged one is fetched again. pooch downloads to a temporary name, verifies the md5 and
    only then renames. Without an md5 (the registry names a checksum_url that could not be
    read) a file placed by hand is used as is.
    """
    cache_file = Path(cache_file)
    with cache.locked(cache_file.parent):
        if cache_file.is_file():
            if md5 is None:
                log.warning("%s: no md5 known, using the file in the cache unverified", cache_file)
                return cache_file
            if cache.verified(cache_file, md5):
                log.info("%s: in the cache, md5 %s verified", cache_file, md5)
                return cache_file
            log.warning(
                "%s: its content is not the registry's (md5 %s): damaged, or the file was "
                "updated; fetching it again", cache_file, md5,
            )  # fmt: skip
            cache.forget(cache_file)
        download(url, md5, cache_file, settings)
        default_mode(cache_file)  # pooch creates it 0600; the cache is shared
        if md5:
            cache.stamp(cache_file, md5)
    return cache_file


def download(url: str, md5: str | None, cache_file: Path, settings: HttpSettings) -> None:
    """Download with pooch, retrying transient failures with growing waits (all within
    download.total_timeout_s); each attempt and its outcome go to the job log."""
    deadline = time.monotonic() + settings.total_timeout_s
    attempts = settings.retries + 1
    for attempt in range(1, attempts + 1):
        log.info("fetching %s into %s (attempt %d of %d)", url, cache_file, attempt, attempts)
        progress = LogProgress(url, deadline)
        try:
            _pooch_fetch(url, md5, cache_file, settings, progress)
            return
        except Exception as err:
            reason = describe(err, settings)
            left = deadline - time.monotonic()
            if not transient(err) or attempt == attempts or left <= 0:
                raise _download_error(url, md5, cache_file, reason, err, progress.total) from err
            wait = min(RETRY_WAIT_S * 2 ** (attempt - 1), left)
            log.warning("%s failed (%s); retrying in %.0f s", url, reason, wait)
            time.sleep(wait)


def _pooch_fetch(
    url: str, md5: str | None, cache_file: Path, settings: HttpSettings, progress: LogProgress
) -> None:
    import pooch

    # Its own lines reach only the console; ours are in the job log.
    pooch.get_logger().setLevel(logging.WARNING)
    fetcher = pooch.create(
        path=cache_file.parent,
        base_url="",
        registry={cache_file.name: f"md5:{md5}" if md5 else None},
        urls={cache_file.name: url},
    )
    if local_source(url) is not None:
        downloader = copy_local_file
    else:
        downloader = pooch.HTTPDownloader(
            headers={"User-Agent": USER_AGENT},
            progressbar=progress,
            chunk_size=CHUNK,
            timeout=settings.timeout,
        )
    fetcher.fetch(cache_file.name, downloader=downloader)


def _download_error(
    url: str, md5: str | None, cache_file: Path, reason: str, err: BaseException, size: int
) -> DownloadError:
    place = cache_file.resolve()
    if isinstance(err, OSError) and err.errno in FULL_DISK:
        needs = f"; the file needs {human_bytes(size)}" if size else ""
        return DownloadError(
            f"Could not fetch {url} into {place}: the disk is full "
            f"({human_bytes(free_bytes(place.parent))} free in {place.parent}{needs}). Free "
            "some space and rerun."
        )
    return DownloadError(
        f"Could not fetch {url} ({reason}). If you are offline or the server refuses, "
        f"download the file by hand and place it at {place} (md5 "
        f"{md5 or 'as listed by the data provider'}); the workflow verifies the checksum "
        "and uses it without downloading."
    )
