# Build plumbing for biomarker-kb.  Run `make` (or `make help`) for the list of targets.
# Every target installs the pinned environment into $(VENV) first (once, then only when
# pyproject.toml or requirements.lock change).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY = $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
# The site generator: properdocs (default) or mkdocs; both build the same pages.
ENGINE ?= properdocs
PYTEST_ARGS ?=
# axe-core for the browser tests' accessibility audit (tests/browser/package.json, npm ci).
BROWSER_NODE_DEPS = tests/browser/node_modules/.package-lock.json
# Material prints a banner about MkDocs 2.0 on every build; it is not about this project.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install site serve check check-strict test test-browser lint goldens markdown \
	screenshots screenshots-baselines lock clean distclean new-biomarker

help: ## List the targets
	@echo 'Usage: make TARGET [VAR=value ...]'
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "} {printf "  %-15s %s\n", $$1, $$2}'
	@echo
	@echo 'Variables: VENV=$(VENV)  ADDR=$(ADDR)  PYTEST_ARGS=...'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install -c requirements.lock -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create/refresh the virtualenv from requirements.lock

$(BROWSER_NODE_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	@touch $@

site: $(VENV)/.installed ## Build the site strictly into site/ (replaced only on success)
	$(PY) -m biomarker_kb build --engine $(ENGINE)

serve: $(VENV)/.installed ## Live-preview the site (ADDR=host:port, default 127.0.0.1:8000)
	$(VENV)/bin/$(ENGINE) serve --config-file mkdocs.yml -a $(ADDR)

check: $(VENV)/.installed ## Validate data and citations
	$(PY) -m biomarker_kb check

check-strict: $(VENV)/.installed ## Validate, treating warnings as errors
	$(PY) -m biomarker_kb check --strict

new-biomarker: ## Start data/biomarkers/ID.yaml, commented; check fails until its TODOs are replaced (ID=crp)
	@if [ -z "$${ID:-}" ]; then \
		echo 'make new-biomarker: say which biomarker, e.g. make new-biomarker ID=crp' >&2; \
		echo '  (the id: lowercase letters, digits and single hyphens; it becomes the file name)' >&2; \
		exit 2; \
	fi
	@$(MAKE) --no-print-directory --silent $(VENV)/.installed
	$(PY) -m biomarker_kb new-biomarker -- "$$ID"

test: $(VENV)/.installed $(BROWSER_NODE_DEPS) ## Run the test suite, browser tests included (PYTEST_ARGS='-k foo')
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed $(BROWSER_NODE_DEPS) ## Run only the browser tests (needs /usr/bin/chromium)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

.PHONY: fuzz
FUZZ_EXAMPLES ?= 2000

fuzz: $(VENV)/.installed ## Fuzz the data checks long: FUZZ_EXAMPLES (2000) fresh random edits per kind
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -m fuzz tests/test_fuzz.py $(PYTEST_ARGS)

lint: $(VENV)/.installed ## ruff check + ruff format --check + mypy
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

goldens: $(VENV)/.installed ## Rewrite the golden files of the rendering tests
	$(PY) -m pytest tests/test_render.py --update-goldens

screenshots-baselines: $(VENV)/.installed $(BROWSER_NODE_DEPS) ## Rewrite the visual baselines (tests/browser/baselines/); review the diff
	$(PY) -m pytest tests/browser/test_screens.py --update-screenshots -k looks_as

screenshots: $(VENV)/.installed ## Retake the README's screenshots (content/assets/screenshots/)
	$(PY) scripts/screenshots.py

markdown: $(VENV)/.installed ## Write the generated Markdown to generated-md/ (for other engines)
	$(PY) -m biomarker_kb render generated-md

.PHONY: zensical
zensical: $(VENV)/.installed ## Opt-in: check the data, then build with Zensical into .zensical/site/ (no plugins there)
	$(PY) scripts/zensical_build.py

.PHONY: bench bench-full
BENCH_ARGS ?=

bench: $(VENV)/.installed ## Benchmark builds at N=10,100 synthetic biomarkers + the serve edit loop at N=100 (JSON lines)
	$(PY) scripts/bench.py --sizes 10 100 --serve-latency --serve-sizes 100 $(BENCH_ARGS)

bench-full: $(VENV)/.installed ## The same with N=1000 too (long; BENCH_ARGS='--repeat 1')
	$(PY) scripts/bench.py --sizes 10 100 1000 --serve-latency --serve-sizes 100 1000 $(BENCH_ARGS)

lock: ## Re-resolve newest versions and rewrite requirements.lock (in a temporary venv)
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	python3 -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e '.[dev]'; \
	{ echo '# Exact pins of the whole dependency closure (runtime + test + dev) of biomarker-kb.'; \
	  echo '# Regenerate with `make lock` (fresh venv, pip install -e ".[dev]", pip freeze);'; \
	  echo '# do not edit by hand: change the ranges in pyproject.toml, then run `make lock`.'; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } > "$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" requirements.lock
	@echo 'requirements.lock rewritten; the next make target re-syncs $(VENV).'

clean: ## Remove build outputs and tool caches (keeps the venv)
	rm -rf site/ .site-*/ generated-md/ .zensical/ .pytest_cache/ .mypy_cache/ .ruff_cache/ \
		tests/browser/_output/

distclean: clean ## clean, and remove the venv and tests/browser/node_modules too
	rm -rf '$(VENV)' tests/browser/node_modules/
