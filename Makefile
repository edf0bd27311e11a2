# rckg: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run build test lint system-deps bench-store clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Build the graph from seeds/ into the embedded store and print its summary.
build: $(STAMP)
	$(BIN)/rckg build

## The main job: build the graph (if needed) and serve it.
run: build

## Lint, type-check and run every test.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph rckg.py
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph rckg.py

## Debian packages the tests need (none yet beyond Python; later Chromium, a triple store).
system-deps:
	@echo "system-deps: nothing to install yet"

## Measure the embedded-store candidates side by side (rdflib Memory vs pyoxigraph).
bench-store: $(STAMP)
	$(BIN)/python -m bench.store_choice

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
