"""CPU probe for tools/cross_year_cpu.py. On PYTHONPATH with $CROSS_YEAR_CPU_DIR set, every
Python process writes at exit one JSON file there: its pid and parent pid, its own CPU
(getrusage), the job's rule and wildcards in a Snakemake job script, and the exact CPU of each
child it reaped (os.waitpid is replaced by os.wait4, which returns the child's rusage: all of
the child's time, its exit and its own reaped descendants included)."""

import atexit
import json
import os
import resource
import sys

_REAPED = {}


def _cpu(usage) -> float:
    return usage.ru_utime + usage.ru_stime


def _waitpid(pid, options):
    child, status, usage = os.wait4(pid, options)
    if child:
        _REAPED[child] = _cpu(usage)
    return child, status


def _record() -> None:
    job = getattr(sys.modules.get("__main__"), "snakemake", None)
    rule = getattr(job, "rule", None)
    record = {
        "pid": os.getpid(),
        "ppid": os.getppid(),
        "self_cpu": _cpu(resource.getrusage(resource.RUSAGE_SELF)),
        "reaped": _REAPED,
        "rule": rule,
        "wildcards": dict(job.wildcards.items()) if rule else {},
    }
    path = os.path.join(os.environ["CROSS_YEAR_CPU_DIR"], f"{os.getpid()}.json")
    with open(path, "w") as file:
        json.dump(record, file)


if os.environ.get("CROSS_YEAR_CPU_DIR"):
    os.waitpid = _waitpid
    atexit.register(_record)
