"""Sphinx extension: the ``screening`` role, counts from the screening log in prose.

``{screening}`included``` renders the number of included records, so that a
sentence such as "we screened N records" on the landing page or in the methods
chapter is generated from ``data/records.csv`` and cannot drift from it. The
names are those of :func:`lenvatinib_review.screening.summary`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxRole

from . import __version__
from .screening import summary


class ScreeningRole(SphinxRole):
    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        values = summary(self.env.review_tables)
        if self.text not in values:
            message = self.inliner.reporter.error(
                f'unknown screening count "{self.text}"; known: {", ".join(sorted(values))}', line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        return [nodes.inline(self.rawtext, values[self.text], classes=["screening-count"])], []


def setup(app: Sphinx) -> dict:
    app.add_role("screening", ScreeningRole())
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
