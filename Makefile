# rckg: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

NODE_STAMP := node_modules/.package-lock.json

.PHONY: run build serve test lint system-deps bench-store clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## Build the graph from seeds/ into the embedded store and print its summary.
build: $(STAMP)
	$(BIN)/rckg build

## The main job: build the graph if seeds or ontology changed, then serve it on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/rckg build --if-changed
	$(BIN)/rckg serve

## Lint, type-check and run every test.
test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph api rckg.py
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph api rckg.py

## Debian packages the tests need (none yet beyond Python; later Chromium, a triple store).
system-deps:
	@echo "system-deps: nothing to install yet"

## Measure the embedded-store candidates side by side (rdflib Memory vs pyoxigraph).
bench-store: $(STAMP)
	$(BIN)/python -m bench.store_choice

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache
