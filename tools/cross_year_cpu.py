"""CPU seconds of the cross-year jobs of a finished study: what adding a year reruns besides
that year's raster jobs (issue 10 item 5: at most 15 CPU s for 123 units and 5 years).

Usage: .venv/bin/python tools/cross_year_cpu.py [--configfile FILE] [--cores N] [--repeat N]

The study is first brought up to date (not measured). Then Snakemake reruns, on ``--cores``
(2 by default, as a workstation run), everything downstream of the three tables that gather
the per-year results (``--forcerun`` of CROSS_YEAR_ROOTS): the cross-year tables, analyses
and figures, none of the per-year raster jobs and none of the once-per-study ones (units,
unit grid). Jobs may run side by side; each is still measured alone, by its own rusage,
and the figures job draws in the processes its threads allow, as in a real run.

CPU is exact, not sampled: tools/cpu_probe/ is put on PYTHONPATH, so that every Python
process records at exit its own CPU and, for a job script, the job's rule and wildcards; and
Snakemake's process takes the kernel's rusage of every child it reaps (os.wait4): a job's
whole process tree, from start to exit. Snakemake's benchmark files are not used: their
``cpu_time`` is sampled from the process tree and reads 0 for a job shorter than about half a
second. Snakemake's own process (DAG, scheduling, output checks) is not a job; its CPU is
printed apart, and so is the rest of all processes' CPU (getrusage of this tool's children:
small helper processes Snakemake starts). With ``--repeat N`` every number is the median of
N reruns.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "tools" / "cpu_probe"
# The tables that gather per-year results; everything downstream of them is cross-year.
CROSS_YEAR_ROOTS = (
    "collect_landuse_area",
    "collect_landuse_transitions",
    "collect_nodata_inside_units",
)
HENAN_SYNTHETIC = "resources/henan_synthetic/inputs/config.yaml"


def job_name(record: dict) -> str:
    """``rule`` or ``rule[key=value, ...]`` of a probe record of a job script."""
    wildcards = ", ".join(f"{key}={value}" for key, value in record["wildcards"].items())
    return f"{record['rule']}[{wildcards}]" if wildcards else record["rule"]


def summarise(records: list[dict], snakemake_pid: int, total_cpu: float) -> dict:
    """Per-job CPU, Snakemake's own CPU and the rest of ``total_cpu`` (all processes of the
    run) from one run's probe records; ``snakemake_pid`` is the Snakemake process. A job's CPU
    is what Snakemake reaped of the job's process, or of the shell that started it (its parent):
    the job script, its children and its interpreter's exit."""
    snakemake = next(r for r in records if r["pid"] == snakemake_pid)
    reaped = {int(pid): cpu for pid, cpu in snakemake["reaped"].items()}
    jobs = {}
    for r in records:
        started = next((pid for pid in (r["pid"], r["ppid"]) if pid in reaped), None)
        if r["rule"] and started is not None:
            jobs[job_name(r)] = reaped[started]
    return {
        "jobs": dict(sorted(jobs.items(), key=lambda item: -item[1])),
        "jobs_total": sum(jobs.values()),
        "snakemake": snakemake["self_cpu"],
        "other": total_cpu - snakemake["self_cpu"] - sum(jobs.values()),
    }


def median_runs(runs: list[dict]) -> dict:
    """The median of each number over runs that ran the same jobs."""
    names = [set(run["jobs"]) for run in runs]
    if any(n != names[0] for n in names):
        raise ValueError("the reruns ran different jobs")
    jobs = {name: statistics.median(run["jobs"][name] for run in runs) for name in names[0]}
    return {
        "jobs": dict(sorted(jobs.items(), key=lambda item: -item[1])),
        "jobs_total": statistics.median(run["jobs_total"] for run in runs),
        "snakemake": statistics.median(run["snakemake"] for run in runs),
        "other": statistics.median(run["other"] for run in runs),
    }


def format_summary(summary: dict, runs: int) -> str:
    """The per-job table, the total of the jobs, and Snakemake's cost and the rest apart."""
    width = max(len(name) for name in summary["jobs"])
    lines = [f"{'job':<{width}}  CPU s"]
    lines += [f"{name:<{width}}  {cpu:5.2f}" for name, cpu in summary["jobs"].items()]
    of = f" (median of {runs} reruns)" if runs > 1 else ""
    lines += [
        f"{len(summary['jobs'])} cross-year jobs: {summary['jobs_total']:.2f} CPU s{of}",
        f"not jobs: Snakemake's own process {summary['snakemake']:.2f} CPU s, "
        f"other processes {summary['other']:.2f} CPU s",
    ]
    return "\n".join(lines)


def snakemake_command(configfile: str, *args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("snakemake")), "--configfile", configfile, *args]


def rerun(configfile: str, cores: str) -> dict:
    """Rerun the cross-year jobs on ``cores`` under the probe; their summary."""
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "CROSS_YEAR_CPU_DIR": folder,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROBE), os.environ.get("PYTHONPATH")])),
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        args = ("--cores", cores, "--quiet", "all", "--forcerun", *CROSS_YEAR_ROOTS)
        process = subprocess.Popen(snakemake_command(configfile, *args), cwd=ROOT, env=env)
        if process.wait():
            raise SystemExit(f"snakemake failed ({process.returncode})")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        records = [json.loads(path.read_text()) for path in Path(folder).glob("*.json")]
    return summarise(records, process.pid, total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configfile", default=HENAN_SYNTHETIC)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cores", default="2")
    args = parser.parse_args()
    update = snakemake_command(args.configfile, "--cores", args.cores, "--quiet", "all")
    done = subprocess.run(update, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bringing the study up to date failed:\n{done.stderr}")
    runs = [rerun(args.configfile, args.cores) for _ in range(args.repeat)]
    print(format_summary(median_runs(runs), args.repeat))


if __name__ == "__main__":
    main()
