"""Atomic file writing and validated table reading shared by every stage."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd


class InputError(ValueError):
    """Bad user input: the message names the file, the key or column and what to do."""


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success.

    Nothing half-written is ever left under the final name: on error the temporary file is
    removed and the exception propagates.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part", dir=final.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    tmp_path.chmod(0o666 & ~_umask())  # mkstemp creates 0600; outputs get normal permissions
    try:
        yield tmp_path
        os.replace(tmp_path, final)
    finally:
        tmp_path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``df`` as CSV atomically. Floats are written as the shortest text that reads back
    to the same value (Python's repr), so later rules see every digit and reruns are
    byte-identical."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n")


def write_json(data: dict, path: str | os.PathLike) -> None:
    """Write ``data`` as sorted, indented JSON atomically (byte-identical on reruns)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


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
