"""Lighthouse mobile performance of every page, served gzip-compressed as a static host would (`make lighthouse`).

Runs the Lighthouse pinned in tools/lighthouse/package-lock.json (installed by `make lighthouse`)
with Debian's Chromium, mobile form factor and simulated throttling (Lighthouse's defaults), on
each page of the table of contents (or the pages named on the command line, e.g.
``book/index book/evidence-explorer``). Prints one line per page and exits non-zero if any
page scores below the budget. Slow (about 10 s a page), so it is not part of `make test`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from lenvatinib_review.book_toc import toc_pages
from lenvatinib_review.site_check import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent

LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
BUDGET = 0.95


def score(url: str) -> tuple[float, dict[str, float]]:
    """Performance score and the main metrics (ms; CLS unitless) of one page."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)} --user-data-dir={scratch}/profile",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        )
        result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    metrics = {
        name: audits[audit]["numericValue"]
        for name, audit in [
            ("FCP", "first-contentful-paint"),
            ("LCP", "largest-contentful-paint"),
            ("TBT", "total-blocking-time"),
            ("CLS", "cumulative-layout-shift"),
        ]
    }
    return result["categories"]["performance"]["score"], metrics


def main(pages: list[str]) -> int:
    if not LIGHTHOUSE.is_file():
        print(f"{LIGHTHOUSE} is missing: run `make lighthouse`, which installs it with npm", file=sys.stderr)
        return 2
    below = []
    with serve(ROOT / "_build" / "html", compress=True) as url:
        for docname in pages or toc_pages(ROOT):
            performance, metrics = score(f"{url}{docname}.html")
            shown = "  ".join(f"{k} {v:.0f}" if k != "CLS" else f"{k} {v:.3f}" for k, v in metrics.items())
            print(f"{performance:.2f}  {docname:40}  {shown}", flush=True)
            if performance < BUDGET:
                below.append(docname)
    if below:
        print(f"below {BUDGET}: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
