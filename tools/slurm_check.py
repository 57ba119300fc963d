"""Helpers of tools/ci_slurm.sh: the demo run through SLURM checked against a local run.

    slurm_check.py copy DIR...       throw-away copies of the workflow (tests/workflow_helpers.py)
    slurm_check.py profile DIR       write DIR/profiles/ci-slurm/config.yaml: profiles/slurm with
                                     profiles/ci-slurm merged over it
    slurm_check.py check --local DIR --slurm DIR --snakemake-log FILE --jobcomp FILE

``check`` asserts that both runs made byte-identical tables, that every job either ran on the
host (localrules) or in a SLURM job that completed, and that each SLURM job got the CPUs,
memory and time limit that its rule declares (``threads:``, ``mem_mb=``, ``runtime=`` in
workflow/rules/*.smk), as the job-completion log (jobcomp/filetxt) records them: exactly for a
job of one rule, at least the largest of its rules for a group job. It prints the jobs.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from rule_files import rule_blocks  # noqa: E402
from workflow_helpers import copy_project  # noqa: E402

STUDY_OUT = Path("results") / "demo"
SITE_PROFILE = Path("profiles") / "slurm" / "config.yaml"
CI_PROFILE = Path("profiles") / "ci-slurm" / "config.yaml"
# "Job 7 has been submitted with SLURM jobid 12 (log: .../slurm_logs/rule_x/2000/12.log)."
SUBMITTED = re.compile(r"submitted with SLURM jobid (\d+) \(log: (\S+)\)")
RULE_RUN = re.compile(r"^\s*rule (\w+):$", re.M)
WILDCARDS = re.compile(r"^\s+wildcards: (.*)$", re.M)
LOCAL_JOB = re.compile(r"^localrule (\w+):$", re.M)
STEPS = re.compile(r"^(\d+) of (\d+) steps \(100%\) done$", re.M)
RESOURCES = ("threads", "mem_mb", "runtime")


def merge_profile(site: dict, overrides: dict) -> dict:
    """``site`` with ``overrides`` on top: keys replaced, default-resources key by key, a null
    value drops the key."""
    merged = dict(site)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = merge_profile(merged[key], value)
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def declared_resources() -> dict[str, dict[str, int]]:
    """Rule → threads, mem_mb and runtime (minutes) as its rule file declares them."""
    patterns = {
        "threads": r"^    threads: (\d+)$",
        "mem_mb": r"^        mem_mb=(\d+),$",
        "runtime": r"^        runtime=(\d+),$",
    }
    declared = {}
    for name, (_, body) in rule_blocks().items():
        found = {key: re.search(pattern, body, re.M) for key, pattern in patterns.items()}
        declared[name] = {key: int(match.group(1)) for key, match in found.items() if match}
    return declared


def submitted_jobs(log_text: str) -> dict[str, Path]:
    """SLURM job id → the job's own log (kept: slurm-keep-successful-logs)."""
    return {job_id: Path(path) for job_id, path in SUBMITTED.findall(log_text)}


def job_rules(slurm_log: Path) -> tuple[list[str], str]:
    """The rules a SLURM job ran (one, or several for a group job), from its log, and the
    wildcards of a single job."""
    text = slurm_log.read_text(errors="replace")
    rules = RULE_RUN.findall(text)
    wildcards = WILDCARDS.findall(text)
    return rules, wildcards[0] if len(rules) == 1 and wildcards else "-"


def completion_records(path: Path) -> dict[str, dict[str, str]]:
    """SLURM job id → the key=value fields of its line in the jobcomp/filetxt log."""
    records = {}
    for line in path.read_text().splitlines():
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        if "JobId" in fields:
            records[fields["JobId"]] = fields
    return records


def minutes(limit: str) -> int:
    """A SLURM time limit (minutes, or [days-]hours:minutes:seconds) in whole minutes."""
    if re.fullmatch(r"\d+", limit):
        return int(limit)
    days, _, clock = limit.rpartition("-")
    hours, mins, secs = (int(part) for part in clock.split(":"))
    return (int(days or 0) * 24 + hours) * 60 + mins + (secs > 0)


def memory_mb(tres: str) -> int:
    """The memory of a TRES string such as cpu=1,mem=500M,node=1, in MB."""
    match = re.search(r"mem=(\d+(?:\.\d+)?)([MGT])", tres)
    if not match:
        raise ValueError(f"no memory in TRES {tres!r}")
    factor = {"M": 1, "G": 1024, "T": 1024 * 1024}[match.group(2)]
    return round(float(match.group(1)) * factor)


def duration(start: str, end: str) -> str:
    """Seconds from one SLURM timestamp (YYYY-MM-DDTHH:MM:SS) to another."""
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return f"{seconds:.0f} s"


def compare_tables(local: Path, slurm: Path) -> list[str]:
    """Problems: result tables that differ between the two runs or exist in one only."""
    problems = []
    names = {
        path.relative_to(run / STUDY_OUT)
        for run in (local, slurm)
        for path in [*(run / STUDY_OUT / "tables").iterdir(), *(run / STUDY_OUT).glob("*.csv")]
    }
    for name in sorted(names):
        made = [run / STUDY_OUT / name for run in (local, slurm)]
        if not all(path.is_file() for path in made):
            problems.append(f"{name}: made by one run only")
        elif made[0].read_bytes() != made[1].read_bytes():
            problems.append(f"{name}: differs between the local and the SLURM run")
    print(f"tables compared: {len(names)} ({len(names) - len(problems)} byte-identical)")
    return problems


def resource_problems(rules: list[str], got: dict[str, int], declared: dict) -> list[str]:
    """What is wrong with the resources ``got`` of a SLURM job that ran ``rules``."""
    problems = []
    for key in RESOURCES:
        values = [declared.get(rule, {}).get(key) for rule in rules]
        if None in values:
            problems.append(f"a rule of {', '.join(rules)} declares no {key}")
        elif len(rules) == 1 and got[key] != values[0]:
            problems.append(f"{key} {got[key]}, declared {values[0]}")
        elif got[key] < max(values):
            problems.append(f"{key} {got[key]}, less than its largest rule's {max(values)}")
    return problems


def check_jobs(log_text: str, records: dict, declared: dict) -> list[str]:
    """Problems with the SLURM jobs; prints the table of jobs and resources."""
    problems = []
    header = ("slurm id", "rule(s)", "wildcards", "state", "cpus", "mem MB", "limit min", "ran")
    rows = []
    run_in_slurm = 0
    for job_id, slurm_log in sorted(submitted_jobs(log_text).items(), key=lambda j: int(j[0])):
        rules, wildcards = job_rules(slurm_log)
        run_in_slurm += len(rules)
        name = " + ".join(sorted(set(rules))) or "?"
        record = records.get(job_id)
        if record is None:
            problems.append(f"SLURM job {job_id} ({name}): not in the job-completion log")
            continue
        got = {
            "threads": int(record["ProcCnt"]),
            "mem_mb": memory_mb(record["Tres"]),
            "runtime": minutes(record["TimeLimit"]),
        }
        if not rules:
            problems.append(f"SLURM job {job_id}: its log {slurm_log} names no rule")
        if record["JobState"] != "COMPLETED":
            problems.append(f"SLURM job {job_id} ({name}): state {record['JobState']}")
        problems += [
            f"SLURM job {job_id} ({name}): {problem}"
            for problem in resource_problems(rules, got, declared)
        ]
        if len(rules) > 1:
            name = f"{len(rules)} jobs: {name}"
        ran = duration(record["StartTime"], record["EndTime"])
        rows.append((job_id, name, wildcards, record["JobState"], *got.values(), ran))
    print_table(header, rows)
    on_host = len(LOCAL_JOB.findall(log_text))
    print(
        f"SLURM jobs: {len(rows)} running {run_in_slurm} jobs; on the host (localrules): {on_host}"
    )
    steps = STEPS.findall(log_text)
    if not steps:
        problems.append("Snakemake's log has no '100% done' line")
    elif run_in_slurm + on_host != int(steps[-1][1]):
        problems.append(
            f"{steps[-1][1]} jobs, but {run_in_slurm} ran in SLURM, {on_host} on the host"
        )
    return problems


def print_table(header: tuple, rows: list[tuple]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * width for width in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def write_ci_profile(workdir: Path) -> Path:
    """The CI profile in the copy ``workdir``: the site profile with the CI settings over it."""
    site = yaml.safe_load((ROOT / SITE_PROFILE).read_text(encoding="utf-8"))
    overrides = yaml.safe_load((ROOT / CI_PROFILE).read_text(encoding="utf-8"))
    target = workdir / CI_PROFILE
    target.write_text(yaml.safe_dump(merge_profile(site, overrides), sort_keys=False))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    copy = commands.add_parser("copy", help="throw-away copies of the workflow")
    copy.add_argument("dirs", nargs="+", type=Path)
    profile = commands.add_parser("profile", help="write the merged CI profile into a copy")
    profile.add_argument("dir", type=Path)
    check = commands.add_parser("check", help="compare the runs, check the SLURM jobs")
    check.add_argument("--local", type=Path, required=True)
    check.add_argument("--slurm", type=Path, required=True)
    check.add_argument("--snakemake-log", type=Path, required=True)
    check.add_argument("--jobcomp", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "copy":
        for dest in args.dirs:
            copy_project(dest)
        return 0
    if args.command == "profile":
        print(write_ci_profile(args.dir).read_text(), end="")
        return 0
    problems = compare_tables(args.local, args.slurm)
    problems += check_jobs(
        args.snakemake_log.read_text(), completion_records(args.jobcomp), declared_resources()
    )
    for problem in problems:
        print(f"Error: {problem}")
    print("SLURM check:", "FAILED" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
