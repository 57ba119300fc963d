"""Atomic file writing and validated table reading shared by every stage."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

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
    """Write ``df`` as CSV atomically, with a fixed float format so reruns are byte-identical."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, float_format="%.10g", lineterminator="\n")


def write_json(data: dict, path: str | os.PathLike) -> None:
    """Write ``data`` as sorted, indented JSON atomically (byte-identical on reruns)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def read_table(
    path: str | os.PathLike,
    required: Iterable[str],
    dtypes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read a CSV and check that it has the ``required`` columns, naming any that are missing."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found; check the path in the config.")
    df = pd.read_csv(path, dtype=dtypes, keep_default_na=True)
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


def check_numeric(df: pd.DataFrame, columns: Iterable[str], path: str | os.PathLike) -> None:
    """Fail naming file, row and column when a value in ``columns`` is missing or not a number."""
    for column in columns:
        values = pd.to_numeric(df[column], errors="coerce")
        bad = values.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                f"{path}: row {row + 2}, column '{column}': {df[column].iloc[row]!r} "
                "is not a number."
            )
        df[column] = values.astype(float)
