"""Prose generated from the screening log and the coverage table.

``{screening}`included``` renders the number of included records, so that a
sentence such as "we screened N records" on the landing page or in the methods
chapter is generated from ``data/records.csv`` and cannot drift from it. The
names are those of :func:`lenvatinib_review.screening.summary`.

``{search}`r3-hedgehog-1``` links a statement to the logged search that backs
it: a negative claim ("no lenvatinib study of X was found") must name the query
that looked and found nothing. The link goes to the row of the search log in the
methods chapter; an id that is not in ``data/searches.csv`` stops the build,
naming the page and line.

The ``coverage-gaps`` directive writes the sentence that names the mechanism
classes for which no lenvatinib-specific primary study was verified, from
``data/coverage.csv``, so that the coverage page cannot contradict its table.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..screening import coverage_gap_searches, summary
from .data_tables import row_anchor

# The prefix of the search log's row anchors (the methods chapter's ``:row-anchors:``).
SEARCH_ANCHOR_PREFIX = "search"


class ScreeningRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        for name in ("records", "searches", "releases"):
            self.env.note_dependency(str(self.env.review_tables[name].schema.path))
        values = summary(self.env.review_tables)
        if self.text not in values:
            message = self.inliner.reporter.error(
                f'unknown screening count "{self.text}"; known: {", ".join(sorted(values))}', line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        return [nodes.inline(self.rawtext, values[self.text], classes=["screening-count"])], []


class SearchRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        searches = self.env.review_tables["searches"]
        self.env.note_dependency(str(searches.schema.path))
        if not any(row.text["id"] == self.text for row in searches.records):
            message = self.inliner.reporter.error(
                f'unknown search "{self.text}": no row of data/searches.csv has this id', line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        return [search_reference(self.text)], []


class CoverageGapsDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        tables = self.env.review_tables
        for name in ("coverage", "searches"):
            self.env.note_dependency(str(tables[name].schema.path))
        gaps = coverage_gap_searches(tables)
        if not gaps:
            text = "Every class in the table has at least one verified lenvatinib-specific primary study."
            return [nodes.paragraph(text, text, classes=["coverage-gaps"])]
        names = [name for name, _ in gaps]
        named = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
        text = (
            f"For {len(gaps)} of the classes ({named}) no lenvatinib-specific primary study could be "
            "verified; the chapters say so rather than cite reviews as evidence, and the search log "
            "keeps the queries that found nothing ("
        )
        paragraph = nodes.paragraph("", text, classes=["coverage-gaps"])
        links = [search_reference(search) for _, searches in gaps for search in searches]
        for index, link in enumerate(links):
            paragraph += [nodes.Text(", ")] * bool(index) + [link]
        paragraph += nodes.Text(").")
        return [paragraph]


def search_reference(search: str) -> addnodes.pending_xref:
    """A link to a row of the search log, as the ``search`` role makes it."""
    return addnodes.pending_xref(
        "",
        nodes.inline("", f"search {search}"),
        refdomain="std",
        reftype="ref",
        reftarget=row_anchor(SEARCH_ANCHOR_PREFIX, search),
        refexplicit=True,
        refwarn=True,
    )


def register(app: Sphinx) -> None:
    app.add_role("screening", ScreeningRole())
    app.add_role("search", SearchRole())
    app.add_directive("coverage-gaps", CoverageGapsDirective)
