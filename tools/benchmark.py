"""Measure build speed and page weight on this machine (run on demand: `make benchmark`).

Prints, in one run and as ratios to its cold build (empty _build, notebooks
executed): a cached full rebuild (every page rebuilt, notebooks from the
execution cache), a rebuild after editing one chapter, after editing one cell of
a CSV file, and after editing a static file, each with the number of pages Sphinx
re-read; then the test-suite time (``--no-suite`` leaves it out), and for each
page of the table of contents the bytes a browser fetches (the page and every
asset it loads), uncompressed and gzip-compressed as a static host would serve them.
Builds run in a scratch copy of the working tree, so the repository's own
_build is left alone. The results are also added, dated, at the top of
MEASUREMENTS.md, above the earlier ones.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from playwright.sync_api import sync_playwright

from lenvatinib_review.book_toc import toc_pages
from lenvatinib_review.site_check import launch_chromium, page_weight, serve

ROOT = Path(__file__).resolve().parent.parent

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
DEFAULT_THEME_PAGE_BYTES = 2.4e6  # the default sphinx-book-theme page, as measured in the issue


# Sphinx's summary of what it re-reads: "updating environment: [config changed ('x')] 0 added, 3 changed, 0 removed".
READ_SUMMARY = re.compile(r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed")
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


def build(source: Path) -> tuple[float, int]:
    """Build strictly; return the seconds taken and how many pages Sphinx read."""
    start = time.perf_counter()
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(source), "-W", "-n", "--keep-going"],
        cwd=source,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(source)},  # the copy's package (its static files), not the tree's
    )
    seconds = time.perf_counter() - start
    summary = READ_SUMMARY.search(ANSI_CODES.sub("", result.stdout))
    return seconds, sum(map(int, summary.groups())) if summary else 0


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit_one_cell(source: Path) -> str:
    """Change the text of one free-text cell of trials.csv (no number the notebooks check); say which."""
    table = source / "data" / "trials.csv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("design")
    rows[1][column] += " (edited)"
    with table.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return "data/trials.csv, row 2, column design"


def page_weights(site: Path, pages: list[str]) -> dict[str, tuple[int, int]]:
    """(uncompressed, gzip) bytes of each page with everything it loads."""
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        weights = {docname: page_weight(browser, f"{base}{docname}.html") for docname in pages}
        browser.close()
    return weights


# (what is measured, the goal as a share of the cold build; None: no goal on time)
GOALS = {
    "cached full rebuild": 0.35,
    "one chapter edited (book/faq.md)": 0.12,
    "one data cell edited": 0.35,
    "one static file edited (book.css)": None,
}


def measure_builds(source: Path) -> list[str]:
    cold, pages = build(source)
    shutil.rmtree(source / "_build" / "html")
    shutil.rmtree(source / "_build" / ".doctrees")
    results = {"cached full rebuild": build(source)}
    append(source / "book" / "faq.md", "\nAn edited sentence.\n")
    results["one chapter edited (book/faq.md)"] = build(source)
    cell = edit_one_cell(source)
    results["one data cell edited"] = build(source)
    append(source / "lenvatinib_review" / "sphinxext" / "static" / "book.css", "\n/* edited */\n")
    results["one static file edited (book.css)"] = build(source)
    lines = [f"{'cold build (empty _build, notebooks executed)':45} {cold:6.1f} s          {pages:3d} pages read"]
    for name, (seconds, read) in results.items():
        goal = GOALS[name]
        verdict = "" if goal is None else f", goal <= {goal:.2f}" + (" met" if seconds / cold <= goal else " NOT MET")
        lines.append(f"{name:45} {seconds:6.1f} s  {seconds / cold:4.2f}  {read:3d} pages read{verdict}")
    lines.append(f"(the data cell: {cell})")
    return lines


def main() -> None:
    run_suite = "--no-suite" not in sys.argv[1:]
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "book"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
        lines = measure_builds(source)
        print("\n".join(lines), flush=True)
        pages = toc_pages(source)
        weights = page_weights(source / "_build" / "html", pages)
    if run_suite:
        lines.append(suite_time())
    lines += [
        "",
        f"page weight (page and all assets; target <= {DEFAULT_THEME_PAGE_BYTES / 3 / 1e6:.2f} MB uncompressed,",
        f"one third of the default theme's {DEFAULT_THEME_PAGE_BYTES / 1e6:.1f} MB)",
        f"{'page':40} {'uncompressed':>12} {'gzip':>10}",
        *(
            f"{docname:40} {raw / 1e3:9.0f} kB {compressed / 1e3:7.0f} kB"
            for docname, (raw, compressed) in weights.items()
        ),
    ]
    print("\n".join(lines[-len(weights) - 4 :]))
    record(lines)


def suite_time() -> str:
    start = time.perf_counter()
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
    tests = time.perf_counter() - start
    outcome = "passed" if suite.returncode == 0 else "FAILED"
    line = f"test suite (pytest, site already built)       {tests:6.1f} s   {outcome}"
    print(line + ("" if suite.returncode == 0 else ":\n" + suite.stdout[-3000:]))
    return line


MEASUREMENTS = ROOT / "MEASUREMENTS.md"
ENTRIES_START = "\n## "


def record(lines: list[str]) -> None:
    """Add today's results to MEASUREMENTS.md, above the earlier entries, which stay as they are."""
    text = MEASUREMENTS.read_text(encoding="utf-8")
    head, _, entries = text.partition(ENTRIES_START)
    entry = f"## {date.today().isoformat()}: `make benchmark` on {os.cpu_count()} cores\n\n```text\n" + "\n".join(lines)
    earlier = ENTRIES_START + entries if entries else ""
    MEASUREMENTS.write_text(f"{head.rstrip()}\n\n{entry}\n```\n{earlier}", encoding="utf-8")


if __name__ == "__main__":
    main()
