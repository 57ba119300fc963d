"""The per-rule summary of Snakemake benchmark files (tools/benchmark_summary.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from benchmark_summary import read_benchmarks, rule_name, summarise


@pytest.mark.parametrize(
    ("stem", "rule"),
    [
        ("landuse_area_2005", "landuse_area"),
        ("landuse_transitions_2015_2020", "landuse_transitions"),
        ("reclassify_0_1_2005", "reclassify"),
        ("unit_grid_12_3", "unit_grid"),
        ("carbon_budget", "carbon_budget"),
    ],
)
def test_rule_names_drop_years_and_tiles(stem, rule):
    assert rule_name(Path(f"{stem}.tsv")) == rule


def test_jobs_of_a_rule_are_summed(tmp_path):
    header = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
    jobs = [
        ("reclassify_0_0_2000", 2.0, 300, 3.5),
        ("reclassify_0_1_2000", 1.0, 250, 1.5),
        ("budget", 4.0, "-", 4.0),
    ]
    for stem, s, rss, cpu in jobs:
        (tmp_path / f"{stem}.tsv").write_text(
            header + f"{s}\t0:00:0{s}\t{rss}\t1\t1\t1\t0\t0\t50\t{cpu}\n"
        )
    table = summarise(read_benchmarks(tmp_path)).set_index("rule")
    assert table.loc["reclassify"].tolist() == [2, 3.0, 5.0, 300]
    assert table.loc["budget"].tolist() == [1, 4.0, 4.0, 0]
    assert table.index[0] == "budget"  # slowest first
