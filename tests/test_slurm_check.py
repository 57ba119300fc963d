"""The SLURM profiles and the checks of tools/ci_slurm.sh (the cluster run itself is
`make test-slurm`, run by .ci/run after the test suite)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from rule_files import rule_blocks

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import slurm_check  # noqa: E402

SITE = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text())
CI = yaml.safe_load((ROOT / "profiles" / "ci-slurm" / "config.yaml").read_text())
# One line of the job-completion log (jobcomp/filetxt) of slurm 22.05, as CI's cluster wrote it.
JOBCOMP = (
    "JobId=9 UserId=root(0) GroupId=root(0) Name=7b54fe45 JobState=COMPLETED Partition=ci "
    "TimeLimit=60 StartTime=2026-12-01T10:47:02 EndTime=2026-12-01T10:47:34 NodeList=vm "
    "NodeCnt=1 ProcCnt=2 WorkDir=/tmp/x/slurm ReservationName= "
    "Tres=cpu=2,mem=1000M,node=1,billing=2 Account= QOS= WcKey= Cluster=unknown "
    "SubmitTime=2026-12-01T10:47:01 EligibleTime=2026-12-01T10:47:01 DerivedExitCode=0:0 "
    "ExitCode=0:0 \n"
)


def test_site_profile_groups_name_existing_rules():
    rules = set(rule_blocks())
    assert set(SITE["groups"]) <= rules, sorted(set(SITE["groups"]) - rules)
    assert set(SITE["group-components"]) == set(SITE["groups"].values())
    assert not {"download_landcover", "download_boundaries"} & set(SITE["groups"])


def test_ci_profile_is_the_site_profile_with_ci_settings():
    merged = slurm_check.merge_profile(SITE, CI)
    assert merged["executor"] == "slurm"
    assert merged["groups"] == SITE["groups"]
    assert "software-deployment-method" not in merged  # no conda on CI
    assert merged["slurm-status-command"] == "squeue"
    assert "slurm_account" not in merged["default-resources"]
    assert merged["default-resources"]["mem_mb"] == SITE["default-resources"]["mem_mb"]


def test_completion_record_and_units(tmp_path):
    path = tmp_path / "jobcomp.txt"
    path.write_text(JOBCOMP)
    record = slurm_check.completion_records(path)["9"]
    assert (record["ProcCnt"], record["JobState"]) == ("2", "COMPLETED")
    assert slurm_check.memory_mb(record["Tres"]) == 1000
    assert slurm_check.memory_mb("cpu=1,mem=1.5G,node=1") == 1536
    assert slurm_check.minutes(record["TimeLimit"]) == 60
    assert slurm_check.minutes("01:30:00") == 90
    assert slurm_check.minutes("1-00:00:30") == 24 * 60 + 1
    assert slurm_check.duration(record["StartTime"], record["EndTime"]) == "32 s"


def test_resources_are_exact_for_one_rule_and_cover_the_largest_in_a_group():
    declared = {
        "a": {"threads": 2, "mem_mb": 1000, "runtime": 60},
        "b": {"threads": 1, "mem_mb": 500, "runtime": 5},
    }
    assert slurm_check.resource_problems(["a"], declared["a"], declared) == []
    fewer = {"threads": 1, "mem_mb": 1000, "runtime": 60}
    assert slurm_check.resource_problems(["a"], fewer, declared) == ["threads 1, declared 2"]
    group = {"threads": 2, "mem_mb": 1500, "runtime": 65}
    assert slurm_check.resource_problems(["a", "b", "b"], group, declared) == []
    assert slurm_check.resource_problems(["a", "b"], fewer, declared) == [
        "threads 1, less than its largest rule's 2"
    ]
    assert slurm_check.resource_problems(["c"], fewer, declared) == [
        f"a rule of c declares no {key}" for key in slurm_check.RESOURCES
    ]
