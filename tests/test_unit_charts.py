"""Per-unit charts at any number of units (the compensation standard of 8, 123 and 300
synthetic units on one page of a sane size) and the footnote in the figure language."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lucarbon.figures.labels import Labels
from lucarbon.figures.style import BARS_PER_COLUMN, bar_columns, footnote, save_figures, start
from lucarbon.figures.zoning import compensation_standard

PAGE_IN = (11.7, 8.3)  # landscape A4


def test_few_bars_make_one_column():
    assert bar_columns(8) == [list(range(8))]


def test_henan_scale_makes_three_balanced_columns_of_every_unit():
    columns = bar_columns(123)
    assert [len(c) for c in columns] == [41, 41, 41]
    assert [p for c in columns for p in c] == list(range(123))


def test_beyond_the_room_the_middle_bars_are_one_summary_row():
    columns = bar_columns(300)
    positions = [p for c in columns for p in c]
    assert len(columns) == 3 and all(len(c) <= BARS_PER_COLUMN for c in columns)
    assert positions.count(None) == 1
    kept = [p for p in positions if p is not None]
    middle = positions.index(None)
    # the largest and the smallest values kept, in order, the summary between them
    assert kept == [*range(middle), *range(300 - (len(kept) - middle), 300)]
    assert len(positions) == 3 * BARS_PER_COLUMN


def synthetic_units(n: int) -> tuple[pd.DataFrame, Labels]:
    """n units' compensation values in the last of two years: payers and receivers."""
    rng = np.random.default_rng(n)
    value = rng.normal(0, 5e6, n)
    table = pd.DataFrame(
        {
            "unit_id": [f"U{i:03d}" for i in range(n)],
            "year": 2020,
            "value_yuan": value,
            "zone": np.where(value > 0, "payment", "receiving"),
        }
    )
    names = pd.DataFrame({"unit_id": table["unit_id"], "name": [f"County {i}" for i in range(n)]})
    earlier = table.assign(year=2015, value_yuan=0.0, zone="balanced")
    return pd.concat([earlier, table]), Labels("en", units=names)


@pytest.mark.parametrize(("n", "columns", "bars"), [(8, 1, 8), (123, 3, 123), (300, 3, 134)])
def test_compensation_standard_fits_one_page_at_any_number_of_units(n, columns, bars):
    table, labels = synthetic_units(n)
    fig = compensation_standard(table, "value_yuan", labels)
    width, height = fig.get_size_inches()
    assert width <= PAGE_IN[0] and height <= PAGE_IN[1]
    axes = [ax for ax in fig.axes if ax.patches]
    assert len(axes) == columns
    widths = [bar.get_width() for ax in axes for bar in ax.patches]
    assert len(widths) == bars
    last = table[table["year"] == 2020]["value_yuan"].sort_values(ascending=False) / 1e4
    ticks = [t.get_text() for ax in axes for t in ax.get_yticklabels()]
    if bars == n:  # every unit, largest first down each column, left to right
        assert sorted(widths, reverse=True) == pytest.approx(last.tolist())
        assert ticks[0] == f"County {last.index[0]}" and len(ticks) == n
    else:  # the largest payers and receivers, the units between them summarised
        assert sorted(widths) == pytest.approx(sorted([*last[:67], *last[-67:]]))
        summary = [t for t in ticks if t.startswith("…")]
        assert summary == [summary[0]] and summary[0].startswith(f"… {n - 134} more units, ")
    plt.close(fig)


def test_footnote_is_printed_in_the_figure_language(tmp_path):
    start({"language": "zh"})
    note = {"en": "SYNTHETIC demo data", "zh": "合成演示数据"}
    assert footnote(note, "zh") == "合成演示数据"
    assert footnote({"en": "English only"}, "zh") == "English only"
    assert footnote("one text", "zh") == "one text"
    fig = plt.figure(figsize=(2, 1))
    output = SimpleNamespace(f=tmp_path / "f.png", f_print=tmp_path / "f.pdf")
    save_figures({"f": fig}, output, {"note": note, "language": "zh", "dpi": 50})
    assert [t.get_text() for t in fig.texts] == ["合成演示数据"]
    assert output.f.exists() and output.f_print.exists()
