# Quick start: `make report` then `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Reinstall when the package, its templates or its metadata change: tests run
# against the installed package, as an officer's machine would.
SOURCES := pyproject.toml $(shell find wfs_reports templates -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: report test test-fast docs docs-pictures bench sample-workbook clean browser-deps

$(STAMP): $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# setuptools builds through build/lib and keeps what is there: a module
	@# deleted or moved in the checkout would otherwise stay in the wheel.
	rm -rf build/lib build/bdist.*
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test,docs]"
	touch $(STAMP)

## Render the sample workbook into output/ (uses the templates/ folder as it is now).
report: $(STAMP)
	$(BIN)/make-report input/action_plan.xlsx --out output --templates templates

## Run the whole test suite against the installed package, and build the docs
## strictly (a broken link or a page missing from the nav fails).
test: $(STAMP) browser-deps
	$(BIN)/ruff check wfs_reports tests tools bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest -q
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir build/site

## The unit tests only (the domain's rules, no files, no processes; not the
## stress tests marked slow, which make test runs): seconds.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow" tests/domain

## Build the documentation site from docs/ into build/site/ (open build/site/index.html).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir build/site

## Redraw docs/images/ and docs/examples/ from the sample workbook (commit the results).
docs-pictures: $(STAMP)
	$(BIN)/python tools/docs_pictures.py

## What the HTML page's browser tests need: Debian's Chromium (installed with
## apt-get when run as root) and axe-core + puppeteer-core from tests/browser's
## package-lock.json. Without them the browser tests fail and say to run this;
## WFS_SKIP_BROWSER=1 skips them on purpose.
BROWSER_DIR   := tests/browser
BROWSER_STAMP := $(BROWSER_DIR)/node_modules/.installed
browser-deps: $(BROWSER_STAMP)
	@if ! command -v chromium >/dev/null; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     (apt-get install -y -q chromium >/dev/null 2>&1 \
	      || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
	       || echo "note: could not install Chromium; the browser tests will fail"; \
	   else echo "note: Chromium is not installed (apt-get install chromium, as root)"; fi; \
	 fi

$(BROWSER_STAMP): $(BROWSER_DIR)/package.json $(BROWSER_DIR)/package-lock.json
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	   apt-get update -q >/dev/null && apt-get install -y -q nodejs npm >/dev/null; fi
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Time make-report against Typst alone and LibreOffice (about 10 minutes).
## Quick look: make bench BENCH_ARGS="--sizes 14,100 --runs 3"
## It installs LibreOffice from Debian where it can (as root, with apt), for
## the comparison only, and otherwise says it is missing.
bench: $(STAMP)
	@if ! command -v soffice >/dev/null; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     apt-get install -y -q libreoffice-writer-nogui >/dev/null \
	       || echo "note: could not install LibreOffice"; \
	   else echo "note: LibreOffice is not installed (the bench reports it as missing)"; fi; \
	 fi
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Rebuild input/action_plan.xlsx from tools/build_sample_workbook.py.
sample-workbook: $(STAMP)
	$(BIN)/python tools/build_sample_workbook.py input/action_plan.xlsx

clean:
	rm -rf $(VENV) build *.egg-info output/*.docx output/*.pdf output/*.json output/*.html \
	  $(BROWSER_DIR)/node_modules
