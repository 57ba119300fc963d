"""Per-rule wall time and peak memory from a folder of Snakemake benchmark TSVs.

Usage: .venv/bin/python tools/benchmark_summary.py results/<study>/benchmarks

Each file is one job (columns ``s``, ``cpu_time`` and ``max_rss`` in MB, among others); the
rule is the file name without trailing wildcard values that are years or tiles
(``landuse_area_2005.tsv``, ``reclassify_0_1_2005.tsv`` → ``landuse_area``, ``reclassify``).
Prints rule, jobs, total wall and CPU seconds and the largest peak RSS, slowest first.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

YEAR_SUFFIX = re.compile(r"(_\d{4}|_\d+_\d+)+$")  # years, and tiles <row>_<column>


def rule_name(path: Path) -> str:
    """Rule of a benchmark file: its stem without trailing ``_<year>`` and tile parts."""
    return YEAR_SUFFIX.sub("", path.stem)


def read_benchmarks(folder: Path) -> pd.DataFrame:
    """One row per job: rule, s, cpu_s, max_rss (MB; 0 where Snakemake recorded none)."""
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        job = pd.read_csv(path, sep="\t", na_values=["-", "NA"]).fillna(0).iloc[-1]
        rows.append((rule_name(path), float(job["s"]), float(job["cpu_time"]),
                     float(job["max_rss"])))  # fmt: skip
    return pd.DataFrame(rows, columns=["rule", "s", "cpu_s", "max_rss"])


def summarise(jobs: pd.DataFrame) -> pd.DataFrame:
    """Per rule: jobs, total wall and CPU seconds and max of max_rss (MB), slowest first."""
    table = jobs.groupby("rule").agg(
        jobs=("s", "size"),
        total_s=("s", "sum"),
        cpu_s=("cpu_s", "sum"),
        max_rss_mb=("max_rss", "max"),
    )
    return table.sort_values(["total_s", "jobs"], ascending=False).reset_index()


def main(argv: list[str] | None = None) -> None:
    """Print the per-rule table of the benchmark folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    jobs = read_benchmarks(args.folder)
    if jobs.empty:
        raise SystemExit(f"{args.folder}: no benchmark files (*.tsv)")
    table = summarise(jobs)
    print(table.to_string(index=False, formatters={"total_s": "{:.1f}".format,
                                                   "cpu_s": "{:.1f}".format}))  # fmt: skip
    print(f"all jobs: {len(jobs)}, {jobs['s'].sum():.1f} s wall and {jobs['cpu_s'].sum():.1f} "
          "CPU s summed over jobs")  # fmt: skip


if __name__ == "__main__":
    main()
