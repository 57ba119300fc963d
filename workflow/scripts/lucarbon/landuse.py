"""Land-use types and the reclassification of land-cover codes into them."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import rasterio

from .io import InputError, atomic_path, read_table
from .raster import GDAL_ENV, output_profile, row_bands

NODATA_LABEL = "nodata"
UNMAPPED = 255  # sentinel in the lookup table: a code the reclass table does not mention


def read_landuse_types(path: str | os.PathLike) -> pd.DataFrame:
    """The land-use types with their raster codes (1..n), in code order."""
    types = read_table(path, ("landuse", "code", "name_en", "name_zh", "source"))
    codes = types["code"].tolist()
    if sorted(codes) != list(range(1, len(codes) + 1)):
        raise InputError(f"{path}: column 'code' must number the types 1..{len(codes)}.")
    return types.sort_values("code").reset_index(drop=True)


def build_lookup(
    reclass: pd.DataFrame, types: pd.DataFrame, reclass_path: str | os.PathLike
) -> np.ndarray:
    """A 256-entry lookup from land-cover code to land-use code (0 nodata, 255 unmapped)."""
    known = dict(zip(types["landuse"], types["code"], strict=True)) | {NODATA_LABEL: 0}
    lookup = np.full(256, UNMAPPED, dtype="uint8")
    for row, (code, landuse) in enumerate(zip(reclass["code"], reclass["landuse"], strict=True)):
        if landuse not in known:
            raise InputError(
                f"{reclass_path}: row {row + 2}, column 'landuse': {landuse!r} is not one of "
                f"{sorted(known)}."
            )
        if not 0 <= int(code) <= 254:
            raise InputError(f"{reclass_path}: row {row + 2}, column 'code': {code} not in 0..254.")
        lookup[int(code)] = known[landuse]
    return lookup


def reclassify_raster(
    src_path: str | os.PathLike,
    dst_path: str | os.PathLike,
    lookup: np.ndarray,
    reclass_path: str | os.PathLike = "reclass table",
) -> None:
    """Map every pixel through ``lookup`` block by block; an unmapped code is an error that
    names the code(s) and the raster, and leaves no output behind."""
    with rasterio.Env(**GDAL_ENV), rasterio.open(src_path) as src:
        lookup = lookup.copy()
        if src.nodata is not None:
            lookup[int(src.nodata)] = 0
        profile = output_profile(src.profile, src.width, src.height, src.transform)
        profile["nodata"] = 0
        with atomic_path(dst_path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
            for band in row_bands(src.height, src.width):
                data = lookup[src.read(1, window=band)]
                if (data == UNMAPPED).any():
                    codes = np.unique(src.read(1, window=band)[data == UNMAPPED]).tolist()
                    raise InputError(
                        f"{src_path}: land-cover code(s) {codes} are not in {reclass_path}; add "
                        "a row for each (map it to a land-use type, or to 'nodata')."
                    )
                dst.write(data, 1, window=band)
