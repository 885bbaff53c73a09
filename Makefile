# Two entry points: `make html` builds the website, `make test` runs every test.
# `make test` also installs Debian's Chromium, Java and the PDF's Pango and fonts if they are missing
# (browser tests, HTML validation, PDF); where it cannot (no root or no apt-get) it stops, naming
# CHROMIUM=, JAVA= and PDF_FONT=.
# Both create .venv and install the pinned requirements the first time (or when
# requirements.txt changes); later runs reuse them and the notebook cache.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
JAVA ?= /usr/bin/java
# The PDF's font for the Chinese titles the screening log quotes (Debian's fonts-wqy-microhei).
PDF_FONT ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
APT_GET ?= apt-get
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-wqy-microhei
# The tests read the browser and the Java runtime from these.
export CHROMIUM JAVA

.PHONY: html test check lint pdf clean notebook-outputs zenodo benchmark lighthouse

html: $(INSTALLED)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(INSTALLED) $(CHROMIUM) $(JAVA) $(PDF_FONT) lint
	$(BIN)/python -m pytest

# Data, schema, citations and method rules in seconds, without a build (CONTRIBUTING.md).
check: $(INSTALLED)
	$(BIN)/python -m lenvatinib_review.check

# The checks of .pre-commit-config.yaml, with the versions pinned in requirements.txt.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell
	$(BIN)/python tools/check_notebook_outputs.py

# The whole book as one PDF beside the website, which links it from every page: the website as
# `make html` builds it, then printed by WeasyPrint (lenvatinib_review/print_edition.py; no TeX).
pdf: html $(PDF_FONT)
	$(BIN)/python -m lenvatinib_review.print_edition _build/html

# Browser tests need Chromium; the HTML validator needs Java; the PDF needs Pango and fonts. All from Debian.
$(CHROMIUM) $(JAVA) $(PDF_FONT):
	@if [ "$$(id -u)" != 0 ] || ! command -v $(APT_GET) >/dev/null; then \
		echo "$@ is missing and cannot be installed here (no root or no apt-get): install Chromium, a Java runtime and, for the PDF, Pango and a Chinese font (Debian: $(PDF_PACKAGES)), then run make again with CHROMIUM=/path/to/chromium JAVA=/path/to/java PDF_FONT=/path/to/the/font" >&2; \
		exit 1; \
	fi
	$(APT_GET) update -qq && $(APT_GET) install -y -qq chromium default-jre-headless $(PDF_PACKAGES)
	@test -e $@ || { echo "$@ is still missing after installing Debian's chromium, default-jre-headless and $(PDF_PACKAGES): set CHROMIUM=, JAVA= and PDF_FONT=" >&2; exit 1; }

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
