"""Atomic, verified file writing and validated table reading shared by every stage."""

from __future__ import annotations

import contextlib
import errno
import glob
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from lucarbon.core.verify import Unreadable, check_file, check_raster, same_bytes


class UserError(Exception):
    """An expected failure whose message names the user's file, URL, key or value and what to
    do: reported as one ``Error:`` line, without a traceback (lucarbon.core.logs)."""


class InputError(UserError, ValueError):
    """Bad user input: the message names the file, the key or column and what to do."""


class WriteError(UserError, OSError):
    """An output could not be written whole (a full disk, or it did not read back)."""


# Errors of a full disk or an exhausted quota.
FULL_DISK = (errno.ENOSPC, errno.EDQUOT)
# Free space below which a failed write is put down to a full disk.
NEARLY_FULL_BYTES = 1 << 20
PART_SUFFIX = ".part"


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike,
    verify: Callable[[Path], None] | None = None,
    needed_bytes: int | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; check what was written there and only then
    rename it onto ``path``.

    The check is ``verify(tmp)`` if given, else one by the type of ``path``
    (lucarbon.core.verify.check_file: a GeoTIFF is reopened and its blocks checked, a GeoPackage
    passes SQLite's quick_check, ...). Nothing half-written is ever left under the final name:
    on error the temporary file is removed. A full disk (while writing, or found by the check)
    raises WriteError naming the file, the free space and what it needs (``needed_bytes``
    when the writer knows it); a file that does not read back raises WriteError too. The
    temporary files of an earlier attempt that was killed (``.<name>.*.part``) are removed
    first: only one job ever writes a given output.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f".{glob.escape(final.name)}.*{PART_SUFFIX}"):
        stale.unlink(missing_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=PART_SUFFIX, dir=final.parent)
    except OSError as err:
        raise _write_error(final, None, needed_bytes, err, _disk_full(final, err)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    default_mode(tmp_path)  # mkstemp creates 0600
    try:
        try:
            yield tmp_path
        except OSError as err:  # a full disk; other errors (a missing input) propagate as is
            if not isinstance(err, UserError) and _disk_full(final, err):
                raise _write_error(final, tmp_path, needed_bytes, err, True) from err
            raise
        try:
            (verify or partial(check_file, suffix=final.suffix))(tmp_path)
        except (OSError, Unreadable) as err:
            full = _disk_full(final, err, needed_bytes)
            raise _write_error(final, tmp_path, needed_bytes, err, full) from err
        os.replace(tmp_path, final)
    finally:
        tmp_path.unlink(missing_ok=True)


def free_bytes(directory: Path) -> int:
    """Bytes free for this user on the file system of ``directory``."""
    stat = os.statvfs(directory)
    return stat.f_bavail * stat.f_frsize


def _disk_full(final: Path, err: BaseException, needed: int | None = None) -> bool:
    """Whether writing ``final`` failed for lack of space: the system says so, or less than
    NEARLY_FULL_BYTES (or than ``needed``) is left (GDAL reports some failed writes without
    the system's error)."""
    if getattr(err, "errno", None) in FULL_DISK or "No space left" in str(err):
        return True
    return free_bytes(final.parent) < max(NEARLY_FULL_BYTES, needed or 0)


def _write_error(
    final: Path, tmp: Path | None, needed: int | None, err: BaseException, full: bool
) -> WriteError:
    """The error for a failed write of ``final``: the disk is ``full``, or the file does not
    read back."""
    free = free_bytes(final.parent)
    written = tmp.stat().st_size if tmp is not None and tmp.exists() else 0
    if full:
        need = (
            f"up to {human_bytes(needed)}"
            if needed
            else f"more than the {human_bytes(written)} written before it failed"
        )
        return WriteError(
            f"{final}: not written, the disk is full ({human_bytes(free)} free in "
            f"{final.parent.resolve()}); the file needs {need}. Free some space (or put "
            f"resources/ and results/ on a larger disk) and rerun; nothing incomplete was kept."
        )
    return WriteError(
        f"{final}: the file written did not read back ({type(err).__name__}: {err}); it was "
        "not kept. Rerun; if this repeats, check the disk."
    )


def human_bytes(size: float) -> str:
    """``size`` in bytes, KiB, MiB or GiB."""
    if size < 1024:
        return f"{size:.0f} bytes"
    exponent = min(int(np.log2(size) // 10), 3)
    return f"{size / 1024**exponent:.1f} {('KiB', 'MiB', 'GiB')[exponent - 1]}"


@contextlib.contextmanager
def verified_raster(path: str | os.PathLike, profile: Mapping) -> Iterator[Path]:
    """``atomic_path`` for a raster written with ``rasterio.open(tmp, "w", **profile)``.

    After the writer has closed it, the raster must reopen with the profile's width, height,
    count and dtype, every block inside the file and its last block readable; a full disk is
    an error naming the file and the space the raster needs (at most its uncompressed size).
    Use it as ``with verified_raster(out, profile) as tmp, rasterio.open(tmp, "w", **profile)
    as dst:`` (the dataset closes before the check).
    """
    needed = profile["width"] * profile["height"] * profile["count"]
    needed *= np.dtype(profile["dtype"]).itemsize
    check = partial(check_raster, expected=profile)
    with atomic_path(path, verify=check, needed_bytes=needed) as tmp:
        yield tmp


def default_mode(path: Path) -> None:
    """Give ``path`` the permissions of a new file under the umask (0644 or 0664): files made
    under temporary names (mkstemp, pooch) start as 0600."""
    mask = os.umask(0)
    os.umask(mask)
    path.chmod(0o666 & ~mask)


def write_bytes(data: bytes, path: str | os.PathLike) -> None:
    """Write ``data`` to ``path`` atomically, checked to read back in full."""
    with atomic_path(path, verify=same_bytes(data), needed_bytes=len(data)) as tmp:
        tmp.write_bytes(data)


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``df`` as CSV atomically. Floats are written as the shortest text that reads back
    to the same value (Python's repr), so later rules see every digit and reruns are
    byte-identical."""
    write_bytes(df.to_csv(index=False, lineterminator="\n").encode("utf-8"), path)


def write_json(data: dict, path: str | os.PathLike) -> None:
    """Write ``data`` as sorted, indented JSON atomically (byte-identical on reruns)."""
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_bytes(text.encode("utf-8"), path)


# Encodings a user may declare; auto-detection tries UTF-8 (with or without BOM), then
# GB18030 (a superset of GBK/GB2312, what Chinese Excel writes as "CSV").
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")
DETECTED_ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: str | os.PathLike, encoding: str | None = None) -> str:
    """The text of ``path`` in the declared ``encoding``, else in the first of
    DETECTED_ENCODINGS that decodes it; an error naming the file when none does."""
    data = Path(path).read_bytes()
    # A declared utf-8 file may still start with a BOM: utf-8-sig reads both.
    tried = [{"utf-8": "utf-8-sig"}.get(encoding, encoding)] if encoding else DETECTED_ENCODINGS
    for name in tried:
        try:
            return data.decode(name)
        except UnicodeDecodeError as err:
            failure = err
    where = f"byte {failure.start}: {data[failure.start : failure.start + 4]!r}"
    if encoding:
        raise InputError(
            f"{path}: is not in the encoding {encoding} declared in the config ({where}); "
            f"declare its real encoding (one of {', '.join(ENCODINGS)}) or remove the "
            "declaration to have it detected."
        )
    raise InputError(
        f"{path}: cannot be read as {' or '.join(tried)} ({where}); save it as UTF-8 or "
        f"declare its encoding (one of {', '.join(ENCODINGS)}) in the config."
    )


def read_table(
    path: str | os.PathLike,
    required: Iterable[str],
    dtypes: dict[str, str] | type | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or GBK/GB18030; see read_text) and check that it
    has rows and the ``required`` columns, naming any that are missing. Rows that are
    entirely empty (Excel's trailing ",,,") are dropped."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found; check the path in the config.")
    text = read_text(path, encoding)
    if not text.strip():
        raise InputError(f"{path}: the file is empty; it needs a header row and data rows.")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=dtypes, keep_default_na=True)
    except pd.errors.ParserError as err:
        raise InputError(f"{path}: not a readable CSV table ({err}).") from err
    df = df.dropna(how="all").reset_index(drop=True)
    if df.empty:
        raise InputError(f"{path}: the file has a header ({list(df.columns)}) but no rows.")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {missing}; the file has columns {list(df.columns)}."
        )
    return df


def rows_named(
    table: pd.DataFrame, column: str, name: str, path: str | os.PathLike, config_key: str
) -> pd.DataFrame:
    """The rows of ``table`` whose ``column`` is ``name`` (a choice made by ``config_key``);
    an error listing the available names when there are none."""
    rows = table[table[column] == name]
    if rows.empty:
        raise InputError(
            f"{path}: no {column} '{name}' (config key {config_key}); "
            f"available: {sorted(table[column].unique())}."
        )
    return rows


# A number with thousands separators as Excel writes them: 12,345 or 1,234,567.89.
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_numbers(
    values: pd.Series, path: str | os.PathLike, column: str, rows: pd.Index | None = None
) -> pd.Series:
    """``values`` as floats. Thousands separators (12,345) are accepted; an empty cell or any
    other text (a yearbook's "—", a footnote mark, a unit) fails naming file, row and column.
    Rows are file lines: ``rows`` (default the index) + 2 for the header."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype(float)  # already numbers: the text round trip gives the same
    else:
        text = values.astype("string").str.strip()
        grouped = text.str.fullmatch(THOUSANDS.pattern).fillna(False).astype(bool)
        text = text.where(~grouped, text.str.replace(",", "", regex=False))
        numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() | ~np.isfinite(numbers.astype(float).fillna(0.0))
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        line = (values.index if rows is None else rows)[position] + 2
        value = values.iloc[position]
        what = (
            "is empty; give a value"
            if pd.isna(value) or not str(value).strip()
            else f"{value!r} is not a number; give a plain number (no units, dashes or notes)"
        )
        raise InputError(f"{path}: row {line}, column '{column}': {what}.")
    return numbers.astype(float)


def check_numeric(df: pd.DataFrame, columns: Iterable[str], path: str | os.PathLike) -> None:
    """Convert ``columns`` to floats in place; fail naming file, row and column when a value
    is missing or not a number (see parse_numbers)."""
    for column in columns:
        df[column] = parse_numbers(df[column], path, column, rows=pd.RangeIndex(len(df)))
