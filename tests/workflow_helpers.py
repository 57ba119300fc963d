"""Run the Snakemake workflow in a throw-away copy of the repository."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COPIED = ["Snakefile", "config.yaml", "config", "workflow", "data", "envs", "profiles"]


def copy_project(dest: Path) -> Path:
    """Copy what the workflow needs (not results, resources or the venv) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run snakemake in ``workdir`` with this interpreter; raise with its output on failure."""
    cmd = [sys.executable, "-m", "snakemake", "--cores", "2", *args]
    result = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def edit_config(workdir: Path, **changes) -> None:
    """Set top-level or dotted keys (``compensation__price``) in the copy's config.yaml."""
    path = workdir / "config.yaml"
    config = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        *parents, last = key.split("__")
        node = config
        for parent in parents:
            node = node[parent]
        node[last] = value
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))


JOB = re.compile(r"^(?:local)?rule (\w+):\s*$")
WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")


def scheduled_jobs(workdir: Path, *args: str) -> set[str]:
    """Jobs a dry run would execute, as 'rule' or 'rule[wildcards]' strings."""
    out = snakemake(workdir, "--dry-run", *args).stdout.splitlines()
    jobs, current = set(), None
    for line in out:
        if match := JOB.match(line):
            current = match.group(1)
            jobs.add(current)
        elif current and (match := WILDCARDS.match(line)):
            jobs.discard(current)
            jobs.add(f"{current}[{match.group(1)}]")
            current = None
    return jobs - {"all"}
