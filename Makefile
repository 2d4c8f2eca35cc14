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

## Time make-report against WeasyPrint's floor and LibreOffice (about 15 minutes).
## Quick look: make bench BENCH_ARGS="--sizes 14,100 --runs 3"
## It installs LibreOffice and HarfBuzz's subsetter from Debian where it can
## (as root, with apt), and otherwise says what is missing.
bench: $(STAMP)
	@missing=""; command -v soffice >/dev/null || missing="libreoffice-writer-nogui"; \
	 ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	 if [ -n "$$missing" ]; then \
	   if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	     apt-get install -y -q $$missing >/dev/null || echo "note: could not install $$missing"; \
	   else echo "note: not installed: $$missing (the bench reports them as missing)"; fi; \
	 fi
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Rebuild input/action_plan.xlsx from tools/build_sample_workbook.py.
sample-workbook: $(STAMP)
	$(BIN)/python tools/build_sample_workbook.py input/action_plan.xlsx

clean:
	rm -rf $(VENV) build *.egg-info output/*.docx output/*.pdf output/*.json
