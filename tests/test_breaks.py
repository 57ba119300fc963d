"""Class breaks of value maps (mapclassify Fisher-Jenks or quantiles, rounded to two
significant digits), checked against mapclassify's own classes computed here and on values
with outliers that grow over the years, the case where quantile classes saturate."""

import time

import mapclassify
import numpy as np
import pytest

from lucarbon.figures.breaks import diverging_breaks, sequential_breaks

CLASSIFIERS = {"fisher_jenks": mapclassify.FisherJenks, "quantiles": mapclassify.Quantiles}


def two_digits(x: float) -> float:
    """x rounded to 2 significant digits through its printed form."""
    return float(f"{x:.2g}")


@pytest.mark.parametrize("scheme", CLASSIFIERS)
def test_sequential_breaks_are_mapclassify_classes_rounded(scheme):
    values = np.random.default_rng(3).lognormal(3.0, 1.0, 200).clip(2.0, 900.0)
    values[[0, 1]] = 1.234, 987.0  # the extremes: rounded outwards to 1.2 and 990
    inner = CLASSIFIERS[scheme](values, k=6).bins[:-1]  # upper bounds but the maximum's
    expected = sorted({1.2, 990.0, *(two_digits(b) for b in inner)})
    assert sequential_breaks(values, 6, scheme).tolist() == pytest.approx(expected)


def test_diverging_breaks_classify_each_side_apart():
    rng = np.random.default_rng(4)
    negative, positive = -rng.lognormal(1.0, 0.5, 40), rng.lognormal(2.0, 1.0, 80)
    negative[0], positive[0] = -27.3, 812.0  # rounded outwards: -28 and 820
    values = rng.permutation(np.concatenate([negative, positive]))
    sides = [mapclassify.FisherJenks(part, k=4).bins[:-1] for part in (negative, positive)]
    expected = sorted({-28.0, 0.0, 820.0, *(two_digits(b) for b in np.concatenate(sides))})
    assert diverging_breaks(values, 8, "fisher_jenks").tolist() == pytest.approx(expected)


def growing_units_with_outliers() -> np.ndarray:
    """Years × units: 123 units whose values grow by 2.8× from the first to the last of five
    years, three of them eight times the others."""
    base = np.random.default_rng(7).lognormal(4.0, 0.6, 123)
    base[:3] *= 8
    return np.outer([1.0, 1.3, 1.7, 2.2, 2.8], base)


def test_natural_breaks_keep_outliers_in_the_top_classes_in_every_year():
    values = growing_units_with_outliers()
    top_two = sequential_breaks(values.ravel(), 8, "fisher_jenks")[-3]
    in_top = [set(np.flatnonzero(year >= top_two)) for year in values]
    assert all(units <= {0, 1, 2} for units in in_top)  # the top two classes: outliers only
    assert in_top[-1] == {0, 1, 2}
    # Quantile classes of the same values: the top class, almost the whole range, holds more
    # than a quarter of the last year's units (the saturation natural breaks avoid).
    quantile_breaks = sequential_breaks(values.ravel(), 8, "quantiles")
    assert np.mean(values[-1] >= quantile_breaks[-2]) > 0.25


def test_natural_breaks_of_many_values_are_quick_and_independent_of_order():
    # 20,000 values (e.g. 2,000 units × 10 years): classified through 500 of their
    # quantiles, so the breaks do not depend on a random sample or the row order.
    values = np.random.default_rng(5).lognormal(3.0, 1.0, 20_000)
    start = time.process_time()
    breaks = sequential_breaks(values, 8, "fisher_jenks")
    assert time.process_time() - start < 5
    assert len(breaks) == 9 and breaks[0] <= values.min() and breaks[-1] >= values.max()
    shuffled = np.random.default_rng(6).permutation(values)
    assert sequential_breaks(shuffled, 8, "fisher_jenks").tolist() == breaks.tolist()


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="class scheme 'jenks'"):
        sequential_breaks(np.arange(10.0), 4, "jenks")
