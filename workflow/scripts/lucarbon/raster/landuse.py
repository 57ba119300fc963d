"""Land-use types and the reclassification of land-cover codes into them."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from lucarbon.core.io import InputError, read_table

NODATA_LABEL = "nodata"
UNMAPPED = -1  # lookup entry of a code the reclass table does not mention (never a real code)
LOOKUP_DTYPES = ("uint8", "uint16")  # land-cover products are 8- or 16-bit unsigned rasters


def read_landuse_types(path: str | os.PathLike) -> pd.DataFrame:
    """The land-use types with their raster codes (1..n), in code order."""
    types = read_table(path, ("landuse", "code", "name_en", "name_zh", "source"))
    codes = types["code"].tolist()
    if sorted(codes) != list(range(1, len(codes) + 1)):
        raise InputError(f"{path}: column 'code' must number the types 1..{len(codes)}.")
    return types.sort_values("code").reset_index(drop=True)


def read_reclass(path: str | os.PathLike) -> pd.DataFrame:
    """The reclass table (code, class_name, landuse, source) with whole-number codes."""
    reclass = read_table(path, ("code", "class_name", "landuse", "source"), {"code": str})
    codes = pd.to_numeric(reclass["code"].str.strip(), errors="coerce")
    limit = np.iinfo(LOOKUP_DTYPES[-1]).max
    bad = codes.isna() | (codes % 1 != 0) | (codes < 0) | (codes > limit)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"{path}: row {row + 2}, column 'code': {reclass['code'].iloc[row]!r} is not a "
            f"whole number in 0..{limit}."
        )
    duplicated = codes[codes.duplicated()]
    if len(duplicated):
        raise InputError(f"{path}: code(s) {sorted(set(duplicated.astype(int)))} appear twice.")
    return reclass.assign(code=codes.astype(int))


def build_lookup(
    reclass: pd.DataFrame,
    types: pd.DataFrame,
    reclass_path: str | os.PathLike,
    dtype: str = "uint8",
) -> np.ndarray:
    """A lookup from every value of a ``dtype`` raster to its land-use code (0 nodata,
    ``UNMAPPED`` for codes the table does not mention); codes beyond the dtype are ignored."""
    if str(dtype) not in LOOKUP_DTYPES:
        raise ValueError(f"no lookup for rasters of type {dtype}")
    known = dict(zip(types["landuse"], types["code"], strict=True)) | {NODATA_LABEL: 0}
    lookup = np.full(np.iinfo(dtype).max + 1, UNMAPPED, dtype="int16")
    for row, (code, landuse) in enumerate(zip(reclass["code"], reclass["landuse"], strict=True)):
        if landuse not in known:
            raise InputError(
                f"{reclass_path}: row {row + 2}, column 'landuse': {landuse!r} is not one of "
                f"{sorted(known)}."
            )
        if int(code) < len(lookup):
            lookup[int(code)] = known[landuse]
    return lookup
