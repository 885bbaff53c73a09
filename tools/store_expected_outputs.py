"""Run each notebook and store only the outputs that the tests check.

Notebooks are kept without outputs so that they diff well; the exception is a
cell that starts with ``# NBVAL_CHECK_OUTPUT``: its text output is the expected
value that ``pytest --nbval-lax`` compares against on every test run. Run this
after a deliberate change to the data that moves a checked number
(``make notebook-outputs``), and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "book" / "notebooks"


def store(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if cell.source.startswith(CHECK_MARKER):
            continue
        cell.outputs = []
        cell.execution_count = None
    nbformat.write(notebook, path)


def main(paths: list[str]) -> None:
    for path in [Path(p) for p in paths] or sorted(NOTEBOOKS.glob("*.ipynb")):
        store(path)
        print(f"stored expected outputs of {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
