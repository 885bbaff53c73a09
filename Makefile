# Two entry points: `make html` builds the website, `make test` runs every test.
# Both create .venv and install the pinned requirements the first time (or when
# requirements.txt changes); later runs reuse them and the notebook cache.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: html test clean notebook-outputs

html: $(INSTALLED)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(INSTALLED)
	$(BIN)/python -m pytest

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# After a data change that moves a checked number: re-run the notebooks, store the new expected outputs.
notebook-outputs: $(INSTALLED)
	$(BIN)/python tools/store_expected_outputs.py

clean:
	rm -rf _build
