# Two entry points: `make html` builds the website, `make test` runs every test.
# `make test` also installs Debian's Chromium and Java if they are missing (browser tests, PDF,
# HTML validation); where it cannot (no root or no apt-get) it stops, naming CHROMIUM= and JAVA=.
# Both create .venv and install the pinned requirements the first time (or when
# requirements.txt changes); later runs reuse them and the notebook cache.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
JAVA ?= /usr/bin/java
APT_GET ?= apt-get
# The tests read the browser and the Java runtime from these.
export CHROMIUM JAVA

.PHONY: html test lint pdf clean notebook-outputs zenodo benchmark lighthouse

html: $(INSTALLED)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(INSTALLED) $(CHROMIUM) $(JAVA) lint
	$(BIN)/python -m pytest

# The checks of .pre-commit-config.yaml, with the versions pinned in requirements.txt.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell
	$(BIN)/python tools/check_notebook_outputs.py

# The whole book as one PDF: a single-page HTML build printed by Debian's Chromium (no TeX).
pdf: $(INSTALLED) $(CHROMIUM)
	$(BIN)/jupyter-book build . --builder singlehtml -W -n --keep-going
	mkdir -p _build/pdf
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --no-pdf-header-footer \
		--user-data-dir=$(CURDIR)/_build/pdf/.chromium-profile \
		--print-to-pdf=$(CURDIR)/_build/pdf/lenvatinib-resistance.pdf \
		file://$(CURDIR)/_build/singlehtml/book/index.html

# Browser tests and the PDF need Chromium; the HTML validator needs Java. Both from Debian.
$(CHROMIUM) $(JAVA):
	@if [ "$$(id -u)" != 0 ] || ! command -v $(APT_GET) >/dev/null; then \
		echo "$@ is missing and cannot be installed here (no root or no apt-get): install Chromium and a Java runtime, then run make again with CHROMIUM=/path/to/chromium JAVA=/path/to/java" >&2; \
		exit 1; \
	fi
	$(APT_GET) update -qq && $(APT_GET) install -y -qq chromium default-jre-headless
	@test -x $@ || { echo "$@ is still missing after installing Debian's chromium and default-jre-headless: set CHROMIUM= and JAVA=" >&2; exit 1; }

# Build speed and page weight on this machine (minutes; not part of the tests).
benchmark: $(INSTALLED) $(CHROMIUM)
	$(BIN)/python tools/benchmark.py

# Lighthouse mobile performance of every page as hosted (gzip); Lighthouse pinned in tools/lighthouse (npm).
lighthouse: $(INSTALLED) $(CHROMIUM) tools/lighthouse/node_modules/.installed
	$(BIN)/python tools/lighthouse_report.py $(PAGES)

tools/lighthouse/node_modules/.installed: tools/lighthouse/package-lock.json
	cd tools/lighthouse && npm ci --no-audit --no-fund --silent
	touch $@

# After editing CITATION.cff: regenerate the archive metadata Zenodo reads on a release.
zenodo: $(INSTALLED)
	$(BIN)/python -m lenvatinib_review.book_metadata

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# After a data change that moves a checked number: re-run the notebooks, store the new expected outputs.
notebook-outputs: $(INSTALLED)
	$(BIN)/python tools/store_expected_outputs.py

clean:
	rm -rf _build
