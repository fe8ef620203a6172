# Two commands matter: `make synth` and `make test`. Each does its own set-up.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

CONFIG ?= config/default.yaml
UV_VERSION := 0.13.8
# The one place the Python version is named (uv, the workflow and the pipeline read it too).
PYTHON_VERSION := $(file < .python-version)

VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := $(VENV)/bin/python

# The virtualenv's bin holds Python, ruff, pytest and Node 24 (scripts/link_node.py).
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Compile bytecode at install: with PYTHONDONTWRITEBYTECODE set (as on CI machines)
# every synth would otherwise recompile aws-cdk-lib's modules (aws_ec2 alone is 7 MB)
# from source, about 3 s per process.
export UV_COMPILE_BYTECODE := 1
export CDK_DISABLE_CLI_TELEMETRY := true

CDK := npx --no-install cdk
CDK_FLAGS := --no-notices --no-version-reporting

.PHONY: help setup synth review test lint fmt tables images tool-locks container-locks bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	$(PY) scripts/link_node.py
	@touch $@

# checkov in its own virtualenv: its pins would hold back the project's (see the .in file).
$(TOOLS)/checkov/.installed: scripts/checkov-requirements.txt | $(UV)
	rm -rf $(TOOLS)/checkov
	$(UV) venv --quiet --python python3 $(TOOLS)/checkov
	$(UV) pip install --quiet --python $(TOOLS)/checkov/bin/python --require-hashes \
	  -r scripts/checkov-requirements.txt
	@touch $@

node_modules/.installed: package.json package-lock.json $(VENV)/.synced
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.synced node_modules/.installed $(TOOLS)/checkov/.installed ## virtualenv (locked), Node 24, the pinned CDK CLI, checkov

synth: setup ## synthesize CONFIG (default config/default.yaml) into cdk.out/ and print the summary
	$(PY) -m infra check $(CONFIG)
	rm -rf cdk.out
	$(CDK) synth --quiet $(CDK_FLAGS) -c config=$(CONFIG) > /dev/null
	$(PY) -m infra summary $(CONFIG)

BASELINE ?=
REVIEW_OUT ?= review.md
FAIL_ON ?=

review: synth ## synthesize, then write the pull-request report to REVIEW_OUT (compare with BASELINE=<cdk.out of main>; FAIL_ON=broadening,replace-stateful)
	$(PY) -m infra.review cdk.out $(if $(BASELINE),--baseline $(BASELINE)) --output $(REVIEW_OUT) \
	  $(if $(FAIL_ON),--fail-on $(FAIL_ON)) || { status=$$?; echo "wrote $(REVIEW_OUT)"; exit $$status; }
	@echo "wrote $(REVIEW_OUT)"

# Two workers: the suite is CPU-bound (synths, linters, servers) and CI has 2 cores.
PYTEST_WORKERS ?= 2

test: setup ## ruff, then the whole test suite (PYTEST_WORKERS=2 processes)
	ruff check .
	ruff format --check .
	$(PY) -m pytest -n $(PYTEST_WORKERS)

lint: setup ## ruff lint and format check
	ruff check .
	ruff format --check .

fmt: setup ## ruff format and autofix
	ruff format .
	ruff check --fix .

tables: setup ## regenerate the image-registry and instance-type tables from the SDK and botocore
	$(PY) scripts/generate_tables.py

images: tables ## alias of `tables`

tool-locks: setup ## re-lock scripts/checkov-requirements.txt (hashes)
	$(UV) pip compile --quiet --generate-hashes --no-header --python-version $(PYTHON_VERSION) \
	  scripts/checkov-requirements.in -o scripts/checkov-requirements.txt

container-locks: setup ## re-lock containers/requirements-{cpu,gpu}.txt and containers/drift/requirements.txt (hashes, linux/amd64, Python 3.12)
	for device in cpu gpu; do $(UV) pip compile --quiet --generate-hashes --no-header \
	  --python-platform x86_64-manylinux_2_28 --python-version 3.12 \
	  containers/requirements-$$device.in -o containers/requirements-$$device.txt; done
	$(UV) pip compile --quiet --generate-hashes --no-header \
	  --python-platform x86_64-manylinux_2_28 --python-version 3.12 \
	  containers/drift/requirements.in -o containers/drift/requirements.txt

bench: setup ## benchmarks (medians of several runs; see bench/README.md)
	$(PY) bench/run.py

clean: ## remove build outputs (keeps the virtualenv)
	rm -rf cdk.out .pytest_cache .ruff_cache bench/results
