# Quick start: `make report` then `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Reinstall when the package, its templates or its metadata change: tests run
# against the installed package, as an officer's machine would.
SOURCES := pyproject.toml $(shell find wfs_reports templates -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: report test bench sample-workbook clean

$(STAMP): $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ".[test]"
	touch $(STAMP)

## Render the sample workbook into output/ (uses the templates/ folder as it is now).
report: $(STAMP)
	$(BIN)/make-report input/action_plan.xlsx --out output --templates templates

## Run the whole test suite against the installed package.
test: $(STAMP)
	$(BIN)/ruff check wfs_reports tests tools bench
	$(BIN)/pytest -q

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
	rm -rf $(VENV) build *.egg-info output/*.docx output/*.pdf output/*.json
