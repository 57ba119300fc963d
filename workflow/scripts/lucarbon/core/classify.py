"""Class breaks as mapclassify 2.10 computes them (FisherJenks and Quantiles ``.bins``), bit
for bit, without importing mapclassify: it imports scikit-learn, scipy.stats and matplotlib,
and with numba installed it compiles its Fisher-Jenks at import, 2-4 CPU-s in every rule
process that zones or classes anything (more than the work itself for a county study).
tests/test_classify.py checks both against mapclassify on random data.

Fisher-Jenks is mapclassify's dynamic programme (``_fisher_jenks_means``), in float32 as
there, with the inner loop over the last class's first value done as numpy vector
operations: the same sums in the same order, the same ``>=`` tie rule (the last candidate
equal to the minimum wins), so the same breaks.
"""

from __future__ import annotations

import numpy as np


def fisher_jenks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` Fisher-Jenks natural-break classes of ``values`` (the
    last is the maximum), as ``mapclassify.FisherJenks(values, k).bins``; ``values`` need
    at least ``k`` distinct values."""
    x = np.sort(np.asarray(values, dtype="f8").ravel())
    if np.unique(x).size < k:
        raise ValueError(f"Fewer unique values ({np.unique(x).size}) than classes ({k}).")
    n = x.size
    # ssd[l - 1, s - 1]: squared deviations of the class of the s values ending at x[l - 1],
    # summed from x[l - 1] downwards in float32 as mapclassify does
    length = np.arange(1, n + 1)[:, None]
    size = np.arange(1, n + 1)[None, :]
    inside = size <= length
    tail = np.where(inside, x.astype(np.float32)[np.clip(length - size, 0, None)], 0)
    s1 = np.cumsum(tail, axis=1, dtype=np.float32)
    s2 = np.cumsum(tail * tail, axis=1, dtype=np.float32)
    ssd = s2 - (s1 * s1) / size.astype(np.float32)
    # cost[l, j] (its mat2): least total of j classes of the first l values; first[l, j]
    # (its mat1): 1-based position where the last of them starts
    cost = np.zeros((n + 1, k + 1), dtype=np.float32)
    first = np.ones((n + 1, k + 1), dtype=np.int64)
    cost[2:, 1] = ssd[np.arange(1, n), np.arange(1, n)]
    before = (length - size)[1:]  # values before the last class, for l = 2 .. n
    for j in range(2, k + 1):
        candidates = np.where(
            (before >= 1), ssd[1:] + cost[np.clip(before, 0, None), j - 1], np.inf
        ).astype(np.float32)
        # the last class size with the least total wins ties (mapclassify's >=)
        best = n - 1 - np.argmin(candidates[:, ::-1], axis=1)
        rows = np.arange(n - 1)
        cost[2:, j] = candidates[rows, best]
        first[2:, j] = np.arange(2, n + 1) - (best + 1) + 1
    bins = np.zeros(k + 1, dtype=x.dtype)
    bins[k], bins[0] = x[-1], x[0]
    row = n
    for c in range(k, 1, -1):
        pivot = int(first[row, c])
        bins[c - 1] = x[pivot - 2]
        row = pivot - 1
    return bins[1:]


def _score_at_percentile(ordered: np.ndarray, per: float) -> float:
    """scipy.stats.scoreatpercentile(ordered, per) (interpolation 'fraction')."""
    idx = per / 100.0 * (ordered.size - 1)
    i = int(idx)
    if i == idx:
        return float(ordered[i])
    weights = np.array([(i + 1 - idx), (idx - i)], float)
    return float(np.add.reduce(ordered[i : i + 2] * weights) / weights.sum())


def quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes (fewer where quantiles repeat), as
    ``mapclassify.Quantiles(values, k).bins``."""
    ordered = np.sort(np.asarray(values).ravel())
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    return np.unique(np.array([_score_at_percentile(ordered, p) for p in percents]))
