"""Rules download_*: fetch a registry file into the cache (md5-verified) and expose it; in zip
mode, extract the one member matching the configured pattern."""

from pathlib import Path

from lucarbon.acquire import extract_member, fetch_entry, link_or_copy
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    entry = snakemake.params.download
    cached = fetch_entry(entry, Path(entry["cache"]))
    log.info("fetched %s into %s", entry["url"], cached)
    if snakemake.params.get("member_pattern"):
        member = extract_member(cached, snakemake.params.member_pattern, snakemake.output[0])
        log.info("extracted %s", member)
    else:
        link_or_copy(cached, Path(snakemake.output[0]))
