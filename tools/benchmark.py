"""Measure build speed and page weight on this machine (run on demand: `make benchmark`).

Prints: a cold build (empty _build, notebooks executed), a cached full rebuild
(every page rebuilt, notebooks from the execution cache), a rebuild after
editing one chapter, the test-suite time, and for each page of the table of
contents the bytes a browser fetches (the page and every asset it loads),
uncompressed and gzip-compressed as a static host would serve them.
Builds run in a scratch copy of the working tree, so the repository's own
_build is left alone. The results are also added, dated, at the top of
MEASUREMENTS.md, above the earlier ones.
"""

from __future__ import annotations

import os
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


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def build(source: Path) -> float:
    return timed([str(JUPYTER_BOOK), "build", str(source), "-W", "-n", "--keep-going"], source)


def page_weights(site: Path, pages: list[str]) -> dict[str, tuple[int, int]]:
    """(uncompressed, gzip) bytes of each page with everything it loads."""
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        weights = {docname: page_weight(browser, f"{base}{docname}.html") for docname in pages}
        browser.close()
    return weights


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "book"
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
        cold = build(source)
        shutil.rmtree(source / "_build" / "html")
        shutil.rmtree(source / "_build" / ".doctrees")
        cached = build(source)
        chapter = source / "book" / "faq.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nAn edited sentence.\n", encoding="utf-8")
        one_chapter = build(source)
        pages = toc_pages(source)
        weights = page_weights(source / "_build" / "html", pages)
    lines = [
        f"cold build (empty _build, notebooks executed)  {cold:6.1f} s   target <= 60 s",
        f"cached full rebuild                           {cached:6.1f} s   {cached / cold:4.0%} of cold, target <= 25%",
        f"rebuild after editing one chapter             {one_chapter:6.1f} s   target <= 10 s",
    ]
    print("\n".join(lines), flush=True)
    start = time.perf_counter()
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
    tests = time.perf_counter() - start
    outcome = "passed" if suite.returncode == 0 else "FAILED"
    lines.append(f"test suite (pytest, site already built)       {tests:6.1f} s   {outcome}")
    print(lines[-1] + ("" if suite.returncode == 0 else ":\n" + suite.stdout[-3000:]))
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
    print("\n".join(lines[4:]))
    record(lines)


MEASUREMENTS = ROOT / "MEASUREMENTS.md"
ENTRIES_START = "\n## "


def record(lines: list[str]) -> None:
    """Add today's results to MEASUREMENTS.md, above the earlier entries, which stay as they are."""
    text = MEASUREMENTS.read_text(encoding="utf-8")
    head, _, entries = text.partition(ENTRIES_START)
    entry = f"## {date.today().isoformat()}: `make benchmark` on {os.cpu_count()} cores\n\n```text\n" + "\n".join(lines)
    earlier = ENTRIES_START + entries if entries else ""
    MEASUREMENTS.write_text(f"{head}\n\n{entry}\n```\n{earlier}", encoding="utf-8")


if __name__ == "__main__":
    main()
