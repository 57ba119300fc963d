"""What a cluster needs from every rule: threads and runtime (reach sbatch as --cpus-per-task
and -t), threads used by the script when there are several, downloads kept on the host."""

import re

import pytest

from rule_files import RULES, directive, rule_blocks

DOWNLOADS = {"download_landcover", "download_boundaries"}
BLOCKS = rule_blocks()


@pytest.mark.parametrize("rule", sorted(BLOCKS))
def test_threads_and_runtime(rule):
    smk, body = BLOCKS[rule]
    threads = re.search(r"^    threads: (\d+)$", body, re.M)
    runtime = re.search(r"^        runtime=(\d+),$", body, re.M)
    assert threads and int(threads.group(1)) >= 1, f"rule {rule} ({smk.name}): no threads"
    assert runtime and int(runtime.group(1)) >= 1, f"rule {rule} ({smk.name}): no runtime"
    if int(threads.group(1)) > 1:
        script = directive(body, "script").strip('"')
        code = (smk.parent / script).read_text()
        assert "snakemake.threads" in code, f"rule {rule}: {script} ignores its threads"


def test_downloads_are_local_rules():
    declared = set()
    for smk in RULES.glob("*.smk"):
        for names in re.findall(r"^localrules:\n((?:    \w+,?\n)+)", smk.read_text(), re.M):
            declared |= set(re.findall(r"\w+", names))
    assert declared >= DOWNLOADS, f"not localrules: {sorted(DOWNLOADS - declared)}"
    assert set(BLOCKS) >= DOWNLOADS, "a download rule was renamed: update this test"
