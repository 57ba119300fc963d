"""The summary of the cross-year CPU benchmark (tools/cross_year_cpu.py) from probe records."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from cross_year_cpu import format_summary, median_runs, summarise


def record(pid, ppid, rule=None, self_cpu=0.0, reaped=None, **wildcards):
    return {"pid": pid, "ppid": ppid, "self_cpu": self_cpu, "reaped": reaped or {},
            "rule": rule, "wildcards": wildcards}  # fmt: skip


RECORDS = [
    # Snakemake (pid 10), with what it reaped: two jobs, one started through a shell (21)
    record(10, 1, self_cpu=2.0, reaped={"20": 1.5, "21": 0.75, "22": 0.01}),
    record(20, 10, "figure_spatial", self_cpu=1.2),  # its exit after the probe: reaped 1.5
    record(30, 21, "kernel_density", self_cpu=0.5),
    record(40, 20, "figure_spatial", self_cpu=0.2),  # a forked child of a job: no job itself
    record(50, 30, "landuse_area", year="2005"),  # not reaped by Snakemake: not a job of its
]


def test_jobs_are_what_snakemake_reaped_of_them():
    summary = summarise(RECORDS, snakemake_pid=10, total_cpu=4.5)
    assert summary["jobs"] == {"figure_spatial": 1.5, "kernel_density": 0.75}
    assert list(summary["jobs"]) == ["figure_spatial", "kernel_density"]  # costliest first
    assert summary["jobs_total"] == pytest.approx(2.25)
    assert summary["snakemake"] == 2.0
    assert summary["other"] == pytest.approx(0.25)


def test_a_job_is_named_by_its_wildcards():
    records = [
        record(10, 1, reaped={"20": 1.0}),
        record(20, 10, "landuse_transitions", year_from="2000", year_to="2005"),
    ]
    summary = summarise(records, snakemake_pid=10, total_cpu=1.0)
    assert list(summary["jobs"]) == ["landuse_transitions[year_from=2000, year_to=2005]"]


def test_reruns_are_summarised_by_their_medians():
    runs = [
        {"jobs": {"a": cpu, "b": 1.0}, "jobs_total": cpu + 1, "snakemake": 2.0, "other": 0.1}
        for cpu in (1.0, 3.0, 2.0)
    ]
    summary = median_runs(runs)
    assert summary["jobs"] == {"a": 2.0, "b": 1.0}
    assert summary["jobs_total"] == 3.0
    text = format_summary(summary, 3)
    assert "2 cross-year jobs: 3.00 CPU s (median of 3 reruns)" in text
    assert "Snakemake's own process 2.00 CPU s" in text


def test_reruns_of_different_jobs_are_refused():
    runs = [{"jobs": {"a": 1.0}}, {"jobs": {"b": 1.0}}]
    with pytest.raises(ValueError, match="different jobs"):
        median_runs(runs)
