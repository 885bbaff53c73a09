"""Every builder works: a page using the extension's directives, roles and its one custom node
(a figure's drawing, whole and in part) builds strictly as plain text and as LaTeX too."""

from __future__ import annotations

from lenvatinib_review.datapackage import load_package
from lenvatinib_review.figures import figure_texts

from conftest import build_sphinx_page, toc_pages

FIGURE = "fig-mechanism-schematic"
PAGE = f"""# Every builder

The book rates {{certainty}}`clinical-studies` clinical studies.

:::{{book-figure}} {FIGURE}
:::

:::{{book-figure}} {FIGURE}
:filter: process_group=cell-death-and-survival
:::

:::{{data-table}} trials
:name: tbl-trials-thyroid
:filter: indication=thyroid
:::

:::{{certainty-table}}
:filter: process_group=bypass-signalling
:name: tbl-certainty-bypass-signalling
:::

:::{{risk-of-bias}}
:filter: process_group=bypass-signalling
:name: tbl-bias-bypass-signalling
:::

```{{bibliography}}
```
"""


def pages_the_figures_link(project) -> None:
    """Stand-ins for the pages the figures link to: the figure's notebook, and the chapters its parts name."""
    for docname in ["book/notebooks/mechanism-schematic", *(page for page in toc_pages()[1:] if page.count("/") == 1)]:
        stand_in = project / f"{docname}.md"
        stand_in.parent.mkdir(parents=True, exist_ok=True)
        stand_in.write_text(f"---\norphan: true\n---\n# {docname}\n", encoding="utf-8")


def a_thyroid_trial() -> str:
    """The name of a trial the page's data table shows."""
    from lenvatinib_review.datapackage import load_package

    return next(r.text["trial"] for r in load_package()["trials"].records if r.text["indication"] == "thyroid")


def words(path) -> str:
    return " ".join(path.read_text(encoding="utf-8").split())


def test_the_text_builder_shows_the_figures_alt_text(project_copy):
    pages_the_figures_link(project_copy)
    result = build_sphinx_page(project_copy, PAGE, builder="text")
    assert result.returncode == 0, result.stderr
    text = words(project_copy / "_build" / "text" / "index.txt")
    assert "Every builder" in text and a_thyroid_trial() in text
    assert f"[{' '.join(figure_texts(load_package())[FIGURE].alt.split())}]" in text, "the figure's alt text is missing"
    assert "[Part of the mechanism schematic" in text, "a part of a figure shows its own alt text"


def test_the_latex_builder_writes_the_chapter(project_copy):
    pages_the_figures_link(project_copy)
    result = build_sphinx_page(project_copy, PAGE, builder="latex")
    assert result.returncode == 0, result.stderr
    (document,) = (project_copy / "_build" / "latex").glob("*.tex")
    latex = document.read_text(encoding="utf-8")
    assert "The book rates" in latex and "\\begin{sphinxthebibliography}" in latex
    assert a_thyroid_trial() in latex
