"""The one compiled loop of the raster path: count (unit, class of year a, class of year b) over
the pixels of a window that lie in a unit, walking the unit grid's runs (so pixels outside every
unit cost nothing) and reclassifying each raw code through a lookup on the fly.

Compiled by numba (cached on disk after the first call): the same count in numpy needs a key
array per pixel and np.bincount, measured 3-4 times slower here (README, "Performance")."""

from __future__ import annotations

import sys

import numpy as np


def _numba_without_blas():
    """numba's ``njit``, its array-math implementations loaded as if scipy's BLAS were not
    installed: at the first call (even from the on-disk cache) numba imports them and, only to
    offer np.dot and np.linalg in compiled code, scipy.linalg (0.13 CPU-s of every reclassify
    job, measured). The counting loop uses no linear algebra; in a process that has already
    imported scipy.linalg nothing changes."""
    blas = "scipy.linalg.cython_blas"
    if blas in sys.modules:
        from numba import njit

        return njit
    sys.modules[blas] = None  # makes `import scipy.linalg.cython_blas` raise ImportError
    try:
        import numba.np.arraymath  # noqa: F401
        from numba import njit
    finally:
        del sys.modules[blas]
    return njit


njit = _numba_without_blas()
COPIES = 4  # interleaved histograms: consecutive pixels of one class do not wait on one counter


@njit(nogil=True, cache=True)
def _count(a, b, lut_a, lut_b, row_ptr, runs, row0, col0, base, row_area, weighted, ints, floats):
    """Add the pixels of window arrays ``a`` and ``b`` (top-left at grid row ``row0``, column
    ``col0``) to ``ints[copy, (unit·base + lut_a[a])·base + lut_b[b]]``; with ``weighted``,
    each row's counts move to ``floats`` times that row's pixel area at the end of the row."""
    height, width = a.shape
    stride = base * base
    for i in range(height):
        r = row0 + i
        for k in range(row_ptr[r], row_ptr[r + 1]):
            c0 = max(runs[k, 0] - col0, 0)
            c1 = min(runs[k, 1] - col0, width)
            unit = runs[k, 2] * stride
            j = c0
            while j + COPIES <= c1:
                for c in range(COPIES):
                    ints[c, unit + lut_a[a[i, j + c]] * base + lut_b[b[i, j + c]]] += 1
                j += COPIES
            while j < c1:
                ints[0, unit + lut_a[a[i, j]] * base + lut_b[b[i, j]]] += 1
                j += 1
        if weighted:
            for k in range(row_ptr[r], row_ptr[r + 1]):
                unit = runs[k, 2] * stride
                for key in range(unit, unit + stride):
                    for c in range(COPIES):
                        if ints[c, key]:
                            floats[key] += ints[c, key] * row_area[i]
                            ints[c, key] = 0


def count_window(
    a: np.ndarray,
    b: np.ndarray,
    luts: tuple[np.ndarray, np.ndarray],
    runs: tuple[np.ndarray, np.ndarray],
    origin: tuple[int, int],
    n_keys: int,
    base: int,
    row_area: np.ndarray | None = None,
) -> np.ndarray:
    """Pixel count per key (unit·base + class_a)·base + class_b of one window, or with
    ``row_area`` (one area per row of the window, for a geographic grid) the area per key,
    summed row by row."""
    weighted = row_area is not None
    ints = np.zeros((COPIES, n_keys), dtype=np.int64)
    floats = np.zeros(n_keys if weighted else 0)
    _count(a, b, luts[0], luts[1], runs[0], runs[1], origin[0], origin[1], base,
           np.zeros(0) if row_area is None else row_area, weighted, ints, floats)  # fmt: skip
    return floats if weighted else ints.sum(axis=0)
