# The two commands of the README: `make run` (demo workflow) and `make test` (full test suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 8

.PHONY: setup run test test-slurm lint format lock demo-data example-data henan-registry henan-synthetic bench bench-cross-year scaling clean

setup: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	$(BIN)/python -m pytest

# The demo on a real single-node SLURM cluster on this machine (Debian 12, as root: installs
# slurm-wlm and munge, starts and stops its own daemons), checked against a local run.
test-slurm: $(STAMP)
	bash tools/ci_slurm.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/snakefmt Snakefile workflow/rules

# Re-resolve requirements.in into the full pinned requirements.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	(echo "# Full pinned environment (pip freeze of requirements.in on Python 3.11). Regenerate: make lock"; \
	 .lock-venv/bin/pip freeze) > requirements.txt
	rm -rf .lock-venv

# Regenerate the synthetic demo study (fixed seed) into data/demo/.
demo-data: $(STAMP)
	$(BIN)/python tools/make_demo_data.py

# Regenerate the SYNTHETIC geographic-CRS CNLUCC example study (fixed seed) into
# data/examples/geo_cnlucc/ (config/example_geo_cnlucc.yaml runs it).
example-data: $(STAMP)
	$(BIN)/python tools/make_example_geo_study.py

# Online: fill the md5 of every CLCD file of the Henan registries from the Zenodo record API.
henan-registry: $(STAMP)
	$(BIN)/python tools/zenodo_registry.py --record 5816591 \
		--pattern 'CLCD_v01_{year}_albert_province.zip' --years 1985 1990-2021 \
		--out data/henan/registry_clcd_zip.csv
	$(BIN)/python tools/zenodo_registry.py --record 8176941 \
		--pattern 'CLCD_v01_{year}_albert.tif' --years 1985 1990-2022 \
		--out data/henan/registry_clcd_cog.csv

# Performance check: SYNTHETIC land cover on the real Henan extent (generated once into the
# git-ignored resources/henan_synthetic/inputs/), the whole workflow, then time and memory per rule.
HENAN_SYNTHETIC := resources/henan_synthetic/inputs/config.yaml

henan-synthetic: $(STAMP) $(HENAN_SYNTHETIC)
	$(BIN)/snakemake --cores $(CORES) --configfile $(HENAN_SYNTHETIC)
	$(BIN)/python tools/benchmark_summary.py results/henan_synthetic/benchmarks

$(HENAN_SYNTHETIC): | $(STAMP)
	$(BIN)/python tools/make_henan_synthetic.py

# The raster path against the decode floor, rasterstats, exactextract and numpy on the
# SYNTHETIC Henan-extent raster (generated once, reused): wall, CPU, peak RSS, ratios, counts.
bench: $(STAMP) $(HENAN_SYNTHETIC)
	$(BIN)/python bench/raster_benchmark.py --threads 2

# CPU seconds of the cross-year jobs (tables, analyses, figures) of the SYNTHETIC Henan study,
# rerun on 2 cores after the study is made: per job, their total, Snakemake's own apart.
bench-cross-year: $(STAMP) $(HENAN_SYNTHETIC)
	$(BIN)/python tools/cross_year_cpu.py --configfile $(HENAN_SYNTHETIC) --repeat 3

# The national projection of docs/scaling.md: the SYNTHETIC Henan-extent study in 2 x 2 tiles
# (config/scaling_tiles.yaml), its measured throughput projected to all of China.
scaling: $(STAMP) $(HENAN_SYNTHETIC)
	$(BIN)/snakemake --cores $(CORES) --configfile $(HENAN_SYNTHETIC) config/scaling_tiles.yaml
	$(BIN)/python tools/scaling_projection.py results/henan_synthetic_tiles/benchmarks \
		resources/henan_synthetic_tiles/grid

clean:
	rm -rf results/demo resources/demo .snakemake
