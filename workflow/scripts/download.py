"""Rules download_*: fetch a registry file into the cache (md5-verified, the cache file checked
at every use) and write the workflow's own copy of it; in zip mode, extract the one member
matching the configured pattern."""

from pathlib import Path

from lucarbon.acquire.datasets import fetch_into
from lucarbon.acquire.fetching import HttpSettings
from lucarbon.core.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    entry = snakemake.params.download
    # Retries and timeouts are read from the config, not params: changing them must not
    # rerun a download that has succeeded.
    settings = HttpSettings(**snakemake.config["download"])
    member = fetch_into(
        entry,
        Path(entry["cache"]),
        Path(snakemake.output[0]),
        snakemake.params.get("member_pattern"),
        settings,
    )
    log.info("%s is %s", snakemake.output[0], member or entry["cache"])
