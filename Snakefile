"""County land-use carbon budgets and horizontal carbon compensation (see README.md)."""

import os
import sys
from pathlib import Path

from snakemake.logging import logger
from snakemake.utils import min_version

min_version("9.0")


# This repository (the Snakefile's own directory), also when the workflow is a module of
# another workflow or runs elsewhere (-s path/to/Snakefile): see lucarbon/core/repository.py.
ROOT = Path(workflow.current_basedir)
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
from lucarbon.config.checks import check_config
from lucarbon.config.layers import DEFAULTS, SCHEMA, layered_config, read_yaml, validate_config
from lucarbon.core.io import InputError
from lucarbon.core.repository import repository_path, repository_paths

# The demo study by default; --configfile files given on the command line replace it (merged
# with each other in order, so a study never inherits the demo's tables), all of them over
# config/defaults.yaml (below).
if not workflow.overwrite_configfiles:

    configfile: repository_path("config.yaml", ROOT)


config_files = workflow.configfiles
if not config and not config_files:
    # A module given no config (`config: config` in a host workflow without one): the demo.
    config_files = [ROOT / "config.yaml"]
    config.update(read_yaml(config_files[0]))

try:
    # config/defaults.yaml under the study config and its overrides (merged in order by
    # Snakemake), validated against the schema with its defaults filled in.
    defaults = ROOT / DEFAULTS
    layered = layered_config(config, defaults)
    config.clear()
    config.update(layered)
    validate_config(
        config,
        ROOT / SCHEMA,
        [os.path.relpath(path) for path in [defaults, *config_files]],
    )
    config.update(repository_paths(config, ROOT))
    check_config(config, config_files)
except InputError as err:
    # An expected input error: its message names the file, key and value; no traceback.
    logger.error(f"Error: {err}")
    sys.exit(1)


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
# report() helpers (figure_outputs, report_table) before any rule file that uses them
include: "workflow/rules/report.smk"
include: "workflow/rules/acquire.smk"
include: "workflow/rules/landuse.smk"
include: "workflow/rules/zonal.smk"
include: "workflow/rules/budget.smk"
include: "workflow/rules/compensation.smk"
include: "workflow/rules/analysis.smk"
include: "workflow/rules/spatial.smk"
include: "workflow/rules/figures.smk"


for part, reason in SKIPPED.items():
    logger.warning(f"skipped {part}: {reason} (listed in {OUT}/skipped_outputs.csv)")


rule all:
    default_target: True
    input:
        TABLES,
        FIGURES,
        LANDUSE_RASTERS,
