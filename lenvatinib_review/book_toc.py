"""The book's pages in reading order, from ``_toc.yml`` (parts, chapters and their sections)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class TocEntry:
    """A page of the table of contents: 0 deep for the root page, 1 for a chapter, 2 for its section…"""

    docname: str
    depth: int
    part: str | None = None


def toc_entries(root: Path) -> list[TocEntry]:
    """Every page of the table of contents in reading order, the root page first, with its part's caption."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))

    def entries(items: list[dict], depth: int, part: str | None) -> list[TocEntry]:
        return [
            entry
            for item in items
            for entry in [TocEntry(item["file"], depth, part), *entries(item.get("sections", []), depth + 1, part)]
        ]

    chapters = [entry for part in toc.get("parts", []) for entry in entries(part["chapters"], 1, part.get("caption"))]
    return [TocEntry(toc["root"], 0), *chapters]


def toc_pages(root: Path) -> list[str]:
    """The document names of every page in the table of contents, the root page first."""
    return [entry.docname for entry in toc_entries(root)]
