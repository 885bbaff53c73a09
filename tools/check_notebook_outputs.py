"""Check that notebooks are stored without outputs, except the cells whose output the tests compare.

A code cell that starts with ``# NBVAL_CHECK_OUTPUT`` keeps its output (the expected
value ``pytest --nbval-lax`` compares, stored by ``make notebook-outputs``); every other
code cell must have no output and no execution count. Standard library only, so that
pre-commit can run it anywhere:

    python tools/check_notebook_outputs.py [NOTEBOOK ...]   (default: book/**/*.ipynb)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
ROOT = Path(__file__).resolve().parent.parent


def stored_outputs(path: Path) -> list[str]:
    """One line per code cell that keeps an output it should not."""
    problems = []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] != "code" or "".join(cell["source"]).startswith(CHECK_MARKER):
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(f"{path}: cell {number} stores an output (clear it, or mark the cell {CHECK_MARKER})")
    return problems


def main(paths: list[str]) -> int:
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "book").rglob("*.ipynb"))
    problems = [line for path in notebooks for line in stored_outputs(path)]
    print("\n".join(problems), end="\n" if problems else "")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
