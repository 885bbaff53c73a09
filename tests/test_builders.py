"""Every builder works: the book builds as plain text and as LaTeX too, strictly, with its chapters' text."""

from __future__ import annotations

import re

from sphinx.util.texescape import escape

from lenvatinib_review.figures import BOOK_FIGURES

from conftest import ROOT, build_book_elsewhere, toc_pages

BUILDERS = {"text": ["--builder", "custom", "--custom-builder", "text"], "latex": ["--builder", "latex"]}


def chapter_with_a_figure() -> tuple[str, str, str]:
    """(docname, title, figure label) of the first chapter (not the landing page) that places a figure."""
    for docname in toc_pages()[1:]:
        source = (ROOT / f"{docname}.md").read_text(encoding="utf-8") if (ROOT / f"{docname}.md").is_file() else ""
        figure = re.search(r"^:::\{book-figure\} (\S+)\n(?!:filter:)", source, re.M)  # a whole figure, not a part
        if figure:
            return docname, re.search(r"^# (.+)$", source, re.M).group(1), figure.group(1)
    raise AssertionError("no chapter places a figure")


def test_the_text_and_latex_builders_build_the_book(built_site, tmp_path):
    """Both builds at once (one per core), strict; each has the chapter, the text build its figure's alt text."""
    builds = {name: build_book_elsewhere(tmp_path / name, *options) for name, options in BUILDERS.items()}
    for name, process in builds.items():
        output, _ = process.communicate(timeout=900)
        assert process.returncode == 0, f"the {name} build failed:\n{output[-4000:]}"
    docname, title, figure = chapter_with_a_figure()

    text = (tmp_path / "text" / "_build" / "text" / f"{docname}.txt").read_text(encoding="utf-8")
    words = " ".join(text.split())
    assert title in words
    assert f"[{' '.join(BOOK_FIGURES[figure].alt.split())}]" in words, "the figure's alt text is missing"
    part = (tmp_path / "text" / "_build" / "text" / "book" / "cell-death.txt").read_text(encoding="utf-8")
    assert "[Part of the mechanism schematic" in " ".join(part.split()), "a part of a figure shows its own alt text"
    for page in toc_pages():
        assert (tmp_path / "text" / "_build" / "text" / f"{page}.txt").is_file(), f"{page} has no text page"

    (document,) = (tmp_path / "latex" / "_build" / "latex").glob("*.tex")
    assert f"\\chapter{{{escape(title)}}}" in document.read_text(encoding="utf-8")
