# Traditional-Chinese figure extraction and reconciliation pipeline.
# `make` sets up .venv on first use and brings OUT up to date with CORPUS.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
OUT ?= outputs
JOBS ?= 0
MAX_BYTES ?= 20000000
GOLD ?= ../shared/gold/seeds_gold.json
SEEDS ?= ../shared/corpus/seeds
BENCH_DOCS ?= 300
PYTEST_ARGS ?=
export PIPELINE_CACHE ?= $(CURDIR)/.cache
STAMP := $(VENV)/.installed
RUN_ARGS = --corpus "$(CORPUS)" --out "$(OUT)" --jobs $(JOBS) --max-bytes $(MAX_BYTES)

.DEFAULT_GOAL := all
.PHONY: all help setup ingest extract reingest test lint eval bench clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

all: $(STAMP) ## set up on first use, then run every stage on CORPUS (incremental)
	$(BIN)/python -m pipeline run $(RUN_ARGS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m pipeline setup
	touch $@

setup: $(STAMP) ## create .venv, install pinned dependencies, build the dictionary cache

ingest: $(STAMP) ## read and normalize new or changed files only
	$(BIN)/python -m pipeline ingest $(RUN_ARGS)

extract: $(STAMP) ## ingest, then segment and extract figures, dates and entities
	$(BIN)/python -m pipeline extract $(RUN_ARGS)

reingest: $(STAMP) ## redo every stage for every document
	$(BIN)/python -m pipeline run $(RUN_ARGS) --force

test: $(STAMP) ## run the test suite (reads ../shared when present)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/mypy pipeline

eval: $(STAMP) ## precision/recall against ../shared/gold (runs the pipeline on the seeds)
	$(BIN)/python -m pipeline eval --gold "$(GOLD)" --seeds "$(SEEDS)" --out "$(OUT)/eval" --jobs $(JOBS)

bench: $(STAMP) ## throughput and incremental cost on a synthetic corpus (BENCH_DOCS=n)
	$(BIN)/python -m pipeline bench --docs $(BENCH_DOCS) --out "$(OUT)/bench" --jobs $(JOBS) --seeds "$(SEEDS)"

clean: ## remove generated outputs (keeps .venv and the dictionary cache)
	rm -rf "$(OUT)"

distclean: clean ## also remove .venv and the dictionary cache
	rm -rf $(VENV) .cache
