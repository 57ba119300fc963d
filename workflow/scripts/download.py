"""Rule download_*: fetch a registry file into the cache (md5-verified) and expose it."""

from pathlib import Path

from lucarbon.acquire import fetch, link_or_copy
from lucarbon.logs import script_logging

with script_logging(snakemake.log[0]) as log:
    spec = snakemake.params.download
    cached = fetch(spec["url"], spec["md5"], Path(spec["cache"]))
    log.info("fetched %s (md5 %s) into %s", spec["url"], spec["md5"], cached)
    link_or_copy(cached, Path(snakemake.output[0]))
