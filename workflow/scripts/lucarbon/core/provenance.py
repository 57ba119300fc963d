"""Provenance fingerprints: short digests of the sources and settings a rule's inputs were
made from, passed to the rule as ``params`` (workflow/rules/common.smk, ``provenance``).

Snakemake reruns a job whose output is older than an input, or whose params changed since
it last ran; but when a job fails after an update (a raw raster replaced, then the clip
killed), Snakemake removes that job's outputs and the next run, finding the jobs downstream
complete and no input of theirs newer, does nothing: their results still come from the old
source. With the sources' fingerprints among the params of every rule downstream, such a
run sees the change in those params, reruns them and, for their missing inputs, the failed
job. A fingerprint is computed from the config and the user's files alone (never from files
the workflow makes), so it is the same before and after any job runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

# (path, size, mtime_ns) -> md5 of the file's content, computed once per process.
_FILE_DIGESTS: dict[tuple[str, int, int], str] = {}


def digest(value: object) -> str:
    """A 16-hex-digit digest of a JSON-able ``value`` (keys sorted)."""
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.md5(text.encode("utf-8")).hexdigest()[:16]


def file_digest(path: str | os.PathLike | None) -> str | None:
    """The md5 of a user's file (None for no file): content, so that a file touched or
    copied without change keeps its fingerprint."""
    if not path:
        return None
    path = Path(path)
    if not path.is_file():
        return f"missing: {path}"
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _FILE_DIGESTS:
        md5 = hashlib.md5()
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                md5.update(block)
        _FILE_DIGESTS[key] = md5.hexdigest()
    return _FILE_DIGESTS[key]
