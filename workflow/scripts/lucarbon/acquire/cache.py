"""The download cache (resources/cache/<dataset>/<version>/, shared by studies and runs).

Every use of a cached file checks it: a stamp beside it (``<name>.verified.json``) records
its md5 with the size and modification time it had when last verified, so an unchanged file
is trusted at the cost of one ``stat``; a file whose size or time differs from its stamp (or
that has none) is hashed again. The workflow's own copy of a file is written out of the
cache while its md5 is computed, so damage to the cache never reaches the workflow's inputs
(no hard links) and a cache file changed in place is found when it is next copied.
One download at a time writes into a cache directory (a lock beside it), which makes it
safe to remove what an interrupted download left there. Cache files are readable by the
group and others as the umask allows (0644 or 0664), like every other output.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from lucarbon.core.io import PART_SUFFIX, atomic_path, write_json
from lucarbon.core.verify import has_size

STAMP_SUFFIX = ".verified.json"
# Temporary names of pooch's downloads (tempfile.NamedTemporaryFile in the cache directory).
POOCH_TEMPORARY = re.compile(r"tmp[a-z0-9_]{8}")
CHUNK = 1 << 20
log = logging.getLogger(__name__)


class Damaged(Exception):
    """A cache file's content is not what its checksum says."""


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold the lock of cache ``directory`` (across jobs and runs), then remove the temporary
    files that interrupted downloads left in it: while the lock is held, none is running."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory.with_name(directory.name + ".lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("waiting for another download into %s", directory)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            for path in directory.iterdir():
                if POOCH_TEMPORARY.fullmatch(path.name) or path.name.endswith(PART_SUFFIX):
                    log.info("removing %s, left by an interrupted download", path)
                    path.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def stamp_path(path: Path) -> Path:
    return path.with_name(path.name + STAMP_SUFFIX)


def _fingerprint(path: Path, md5: str) -> dict:
    stat = path.stat()
    return {"md5": md5.lower(), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def stamp(path: Path, md5: str) -> None:
    """Record that ``path`` was verified to have checksum ``md5``."""
    write_json(_fingerprint(path, md5), stamp_path(path))


def verified(path: Path, md5: str) -> bool:
    """Whether cache file ``path`` has checksum ``md5``: by its stamp when its size and time
    are those stamped, else by hashing it (and stamping it when it matches)."""
    try:
        stamped = json.loads(stamp_path(path).read_text())
    except (OSError, ValueError):
        stamped = None
    if stamped == _fingerprint(path, md5):
        return True
    if file_md5(path) != md5.lower():
        return False
    stamp(path, md5)
    return True


def forget(path: Path) -> None:
    """Remove a cache file and its stamp."""
    path.unlink(missing_ok=True)
    stamp_path(path).unlink(missing_ok=True)


def copy_verified(source: Path, target: Path, md5: str | None) -> None:
    """Copy ``source`` to ``target`` atomically, computing its md5 on the way: Damaged if it
    is not ``md5`` (nothing is written then); ``md5`` None copies unchecked."""
    digest = hashlib.md5()
    size = source.stat().st_size
    with atomic_path(target, verify=has_size(size), needed_bytes=size) as tmp:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            while block := src.read(CHUNK):
                digest.update(block)
                dst.write(block)
        if md5 is not None and digest.hexdigest() != md5.lower():
            raise Damaged(f"its md5 is {digest.hexdigest()}, the registry's is {md5}")
