"""Figure helpers whose output can be checked without looking at pixels."""

import numpy as np

from lucarbon.figures import diverging_breaks, diverging_colormap


def test_breaks_include_zero_cover_the_data_and_are_rounded():
    values = np.array([-0.687, -0.3, -0.1, 0.05, 1.2, 5.4, 12.3, 23.0, 328.2])
    breaks = diverging_breaks(values)
    assert 0.0 in breaks
    assert breaks[0] <= values.min() and breaks[-1] >= values.max()
    assert breaks[0] == -0.69 and breaks[-1] == 330
    assert np.all(np.diff(breaks) > 0)


def test_only_positive_values_give_only_warm_classes():
    breaks = diverging_breaks(np.array([1.0, 2.0, 3.0, 40.0]))
    assert breaks[0] == 0.0
    cmap = diverging_colormap(breaks)
    assert len(breaks) - 1 == cmap.N
