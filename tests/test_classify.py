"""lucarbon.core.classify gives mapclassify's class breaks bit for bit, without importing it."""

import subprocess
import sys
import warnings
from pathlib import Path

import mapclassify
import numpy as np
import pytest

from lucarbon.core.classify import fisher_jenks, quantiles

SCRIPTS = Path(__file__).resolve().parents[1] / "workflow" / "scripts"

KINDS = {
    "normal": lambda rng, n: rng.normal(size=n),
    "skewed": lambda rng, n: rng.lognormal(3, 2, size=n),
    "ties": lambda rng, n: rng.integers(0, 6, size=n).astype(float),
    "yuan": lambda rng, n: np.round(rng.exponential(1e6, size=n), 1),
}


@pytest.mark.parametrize("kind", KINDS)
def test_breaks_equal_mapclassify_exactly(kind):
    rng = np.random.default_rng(len(kind))
    compared = 0
    for _ in range(150):
        n, k = int(rng.integers(3, 70)), int(rng.integers(2, 7))
        values = KINDS[kind](rng, n)
        if np.unique(values).size < k:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed", "Not enough unique values"
            expected_fj = mapclassify.FisherJenks(values, k=k).bins
            expected_q = mapclassify.Quantiles(values, k=k).bins
        assert np.array_equal(fisher_jenks(values, k), expected_fj), (values, k)
        assert np.array_equal(quantiles(values, k), expected_q), (values, k)
        compared += 1
    assert compared > 100


def test_two_classes_by_hand():
    # 1, 2, 3 | 10, 11: the split with the least within-class sum of squares.
    assert fisher_jenks(np.array([11.0, 1, 10, 3, 2]), 2).tolist() == [3.0, 11.0]
    with pytest.raises(ValueError, match="unique"):
        fisher_jenks(np.array([1.0, 1.0]), 2)


def test_zoning_and_map_classes_do_not_import_mapclassify():
    code = (
        "import lucarbon.model.zoning, lucarbon.figures.breaks, sys; "
        "print('mapclassify' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=SCRIPTS,
    )
    assert out.stdout.strip() == "False"
