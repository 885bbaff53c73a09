"""The book's pages in reading order, from ``_toc.yml`` (parts, chapters and their sections)."""

from __future__ import annotations

from pathlib import Path

import yaml


def toc_pages(root: Path) -> list[str]:
    """The document names of every page in the table of contents, the root page first."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))

    def files(entries: list[dict]) -> list[str]:
        return [name for entry in entries for name in [entry["file"], *files(entry.get("sections", []))]]

    return [toc["root"], *files([chapter for part in toc["parts"] for chapter in part["chapters"]])]
