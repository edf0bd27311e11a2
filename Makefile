# rckg: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

NODE_STAMP := node_modules/.package-lock.json
# The web pages' bundle (api/web → api/static, not in git); rebuilt when a source changes.
WEB_STAMP := api/static/build.json
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run build serve test lint web load system-deps bench-store bench clean

$(STAMP): pyproject.toml
	@echo "rckg: installing Python packages into $(VENV) (about a minute the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@echo "rckg: installing the pinned Node packages into node_modules (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error

$(WEB_STAMP): $(NODE_STAMP) $(wildcard api/web/*)
	@echo "rckg: building the web page (api/web -> api/static)"
	node api/web/build.mjs

## Build the web pages (explorer and YASGUI) from api/web/ into api/static/ with esbuild.
web: $(WEB_STAMP)

## Build the graph from seeds/ into the embedded store and print its summary.
build: $(STAMP)
	$(BIN)/rckg build

## The main job: build the graph if seeds or ontology changed, then serve it on 127.0.0.1:8000.
run: $(STAMP) $(WEB_STAMP)
	@echo "rckg: building the graph if seeds or ontology changed (about 30 s the first time)"
	$(BIN)/rckg build --if-changed
	@echo "rckg: serving on http://127.0.0.1:8000 (Ctrl+C stops); the rckg command is in $(BIN)"
	$(BIN)/rckg serve

## Lint, type-check, check the import contracts and run every test (the docs site's build
## with its link check among them).
test: $(STAMP) $(NODE_STAMP) $(WEB_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph api rckg.py
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy graph api rckg.py
	$(BIN)/lint-imports

## Debian packages the tests need: Chromium for the browser tests, a CJK font for its labels,
## Virtuoso for the remote-store tests (they start their own virtuoso-t on loopback; the
## package's service is not used, and noninteractive skips its dba-password question).
system-deps:
	$(SUDO) apt-get update
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		chromium fonts-noto-cjk virtuoso-opensource

## Load test on loopback: 32 clients for 60 s over the built graph (stops by itself).
load: $(STAMP)
	$(BIN)/rckg build --if-changed
	$(BIN)/python -m bench.load --clients 32 --seconds 60 --json var/load.json

## Benchmark side by side on loopback: rckg (REST, /sparql), Oxigraph server, rdflib-endpoint and
## a bare FastAPI floor, at 10k, 100k and 1M synthetic triples (about 30 min; QUICK=1: a few).
bench: $(STAMP)
	$(BIN)/rckg bench $(if $(QUICK),--quick) --json var/bench/bench$(if $(QUICK),-quick).json

## Measure the embedded-store candidates side by side (rdflib Memory vs pyoxigraph).
bench-store: $(STAMP)
	$(BIN)/python -m bench.store_choice

clean:
	rm -rf var site .pytest_cache .ruff_cache .mypy_cache
