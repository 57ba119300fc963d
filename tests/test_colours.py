"""Every legend of categories has colours a reader tells apart: CIEDE2000 differences
(tests/colour_distance.py, checked here on published test pairs) between every two colours of
a palette, with normal colour vision and under simulated dichromacy."""

import itertools
from pathlib import Path

import pytest
from colour_distance import ciede2000, colour_difference

from lucarbon.analysis.regional import read_strategy_labels
from lucarbon.figures.style import CATEGORY_COLOURS, PALETTES

# Minimum ΔE00 of two colours of one legend: with normal vision, then under simulated
# protanopia and deuteranopia (together about 6 % of men) and tritanopia (rare). Ordered
# classes (levels of one statistic, read in order) are allowed closer neighbours.
NOMINAL = {None: 20, "protanopia": 15, "deuteranopia": 15, "tritanopia": 10}
ORDERED = {None: 15, "protanopia": 12, "deuteranopia": 12, "tritanopia": 10}
ORDERED_PALETTES = {"hotspot_class"}
STRATEGIES = Path(__file__).resolve().parents[1] / "data/analysis/strategy_labels.csv"

# Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 17, 25, 31 and 34 (L*, a*, b*) and ΔE00.
SHARMA_PAIRS = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA_PAIRS)
def test_ciede2000_reproduces_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_okabe_ito_orange_and_vermilion_are_too_close_for_one_legend():
    # The pair that marked two ECC/ESC zones: apart with normal vision, not for deuteranopes.
    assert colour_difference("#E69F00", "#D55E00") > NOMINAL[None]
    assert colour_difference("#E69F00", "#D55E00", "deuteranopia") < NOMINAL["deuteranopia"]


def legends() -> dict[str, dict[str, str]]:
    """Each legend's category → colour: the fixed palettes and the strategy labels' table."""
    table = read_strategy_labels(STRATEGIES).drop_duplicates("strategy")
    strategies = dict(zip(table["strategy"], table["colour"], strict=True))
    return PALETTES | {"development_strategy": strategies}


@pytest.mark.parametrize("legend", list(legends()))
def test_colours_of_a_legend_differ_also_for_colour_blind_readers(legend):
    colours = legends()[legend]
    minimum = ORDERED if legend in ORDERED_PALETTES else NOMINAL
    too_close = [
        (a, b, vision or "normal", round(colour_difference(colours[a], colours[b], vision), 1))
        for a, b in itertools.combinations(colours, 2)
        for vision, least in minimum.items()
        if colour_difference(colours[a], colours[b], vision) < least
    ]
    assert too_close == []


def test_a_category_in_several_legends_has_one_colour():
    for palette in PALETTES.values():
        for category, colour in palette.items():
            assert CATEGORY_COLOURS[category] == colour, category


def test_strategies_named_like_zones_have_the_zones_colours():
    table = read_strategy_labels(STRATEGIES)
    shared = table[table["strategy"].isin(PALETTES["ecc_esc_zone"])]
    assert not shared.empty
    for strategy, colour in zip(shared["strategy"], shared["colour"], strict=True):
        assert colour.upper() == PALETTES["ecc_esc_zone"][strategy].upper(), strategy
