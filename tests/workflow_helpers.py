"""Run the Snakemake workflow in a throw-away copy of the repository."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
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


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state, parent, ...)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    """The processes descended from ``pid`` (children first), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))):
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def snakemake_killing(
    workdir: Path, script: str, *args: str, kill_snakemake: bool = False, cores: int = 1
) -> subprocess.CompletedProcess:
    """Run snakemake (on ``cores``) and SIGKILL the first job that runs rule script ``script``
    (e.g. ``reclassify.py``) as soon as it starts, as an out-of-memory kill would; with
    ``kill_snakemake`` kill Snakemake itself instead (a power cut, as far as Snakemake's
    records go), leaving that job to finish. Only processes this call started are killed.
    Fails if no such job started."""
    cmd = [sys.executable, "-m", "snakemake", "--cores", str(cores), *args]
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    killed, deadline = None, time.monotonic() + 600
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        for pid in descendants(proc.pid):
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(arg.decode().endswith(script) for arg in argv):
                killed = pid
                job = [pid, *descendants(pid)]
                os.kill(proc.pid if kill_snakemake else pid, signal.SIGKILL)
                break
        time.sleep(0.02)
    out = proc.communicate(timeout=900)[0].decode()
    if killed is None:
        raise AssertionError(f"no job ran {script}:\n{out}")
    if kill_snakemake:  # wait for the orphaned job to end
        while any((fields := _stat(pid)) and fields[0] != "Z" for pid in job):
            time.sleep(0.05)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, "")


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
