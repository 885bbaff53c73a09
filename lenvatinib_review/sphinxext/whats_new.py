"""What's new: the releases of the book, generated from the data, and an Atom feed of them.

The ``whats-new`` directive writes, for each release of ``data/releases.csv``
(newest first), a section with its date and summary, a numbered table of the
evidence rows it added (mechanism, molecules and effect, and the sources cited
through the same ``cite:p`` role as the data tables) and what it added to the
screening log (records screened, included with their citations, excluded by
reason). Everything from the data is inserted as text nodes. The release dates are
checked when the builder starts, like the rest of the data: a date that does not
exist, or a newer version dated before an older one, stops the build.

When the HTML builder finishes a book that has the What's-new page (the config
value ``review_whats_new_page``), it writes the Atom feed ``FEED_NAME`` at the site's
root, and every page's head links to it (``<link rel="alternate">``) so that
feed readers find it. Other builders and other projects (for example the
one-page books of the tests) get neither.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..atom_feed import ATOM_MEDIA_TYPE, atom_feed
from ..book_metadata import BookMetadata
from ..datapackage import DataError
from ..releases import Release, counted, releases
from .data_tables import InvalidData, cite_keys, table_of_cells, table_row

FEED_NAME = "whats-new.atom"
# The tables the What's-new page is made from.
PAGE_TABLES = ("releases", "evidence", "records", "mechanisms", "searches")


def book_releases(env) -> list[Release]:
    """The releases of the loaded data; a problem with their dates stops the build, naming the file and row."""
    try:
        return releases(env.review_tables)
    except DataError as error:
        raise InvalidData(str(error)) from None


def check_releases(app: Sphinx) -> None:
    """Check the release dates before any page is read, as the other data are checked."""
    if "releases" in app.env.review_tables:
        book_releases(app.env)


def feed_url(base_url: str) -> str:
    return base_url + FEED_NAME


class WhatsNewDirective(SphinxDirective):
    """The releases of the book, newest first, each with what it added."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        for name in PAGE_TABLES:
            self.env.note_dependency(str(self.env.review_tables[name].schema.path))
        subscribe = nodes.reference("", "Subscribe (Atom feed)", refuri=feed_url(self.config.review_base_url))
        invitation = nodes.Text(" to hear of each new release in a feed reader.")
        output: list[nodes.Node] = [nodes.paragraph("", "", subscribe, invitation, classes=["whats-new-feed"])]
        for release in book_releases(self.env):
            output.append(self._release(release))
        return output

    def _release(self, release: Release) -> nodes.section:
        section = nodes.section(ids=[release.anchor], classes=["whats-new-release"])
        self.state.document.set_id(section)
        section += nodes.title(text=release.title)
        section += nodes.paragraph(text=release.summary)
        section += nodes.paragraph(text=release.cutoff_sentence, classes=["whats-new-cutoff"])
        if release.evidence:
            section += nodes.paragraph(text=f"{counted(len(release.evidence), 'evidence row')} added:")
            section += self._evidence_table(release)
        else:
            section += nodes.paragraph(text="No evidence rows were added.")
        screening = release.screening
        section += nodes.paragraph(text=screening.sentence())
        if screening.included:
            included = nodes.bullet_list(classes=["whats-new-included"])
            for study_type, keys in screening.included.items():
                item = nodes.paragraph("", "", nodes.Text(f"Included, {study_type} ({len(keys)}): "))
                item += cite_keys(self, keys)
                included += nodes.list_item("", item)
            section += included
        return section

    def _evidence_table(self, release: Release) -> list[nodes.Node]:
        rows = [
            table_row(
                [
                    nodes.paragraph(text=row.process),
                    nodes.paragraph(text=row.label),
                    nodes.paragraph("", "", *cite_keys(self, row.citations)),
                ]
            )
            for row in release.evidence
        ]
        table, messages = table_of_cells(
            self,
            f"Evidence rows added in version {release.version}.",
            ["Mechanism", "Molecules (effect on lenvatinib)", "Sources"],
            rows,
            ["whats-new-evidence"],
        )
        table["ids"] = [f"tbl-whats-new-{release.anchor}"]
        self.state.document.set_id(table)
        return [table, *messages]


def feed_enabled(app: Sphinx) -> bool:
    """Only the HTML site of a book with the What's-new page has a feed."""
    return app.builder.name == "html" and app.config.review_whats_new_page in app.env.found_docs


def link_feed(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not feed_enabled(app):
        return
    href = context["pathto"](FEED_NAME, 1)
    title = f"{app.book_metadata.title}: what's new"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" type="{ATOM_MEDIA_TYPE}" title="{escape(title)}" href="{escape(href)}" />'
    )


def write_feed(app: Sphinx, exception) -> None:
    if exception is not None or not feed_enabled(app):
        return
    metadata: BookMetadata = app.book_metadata
    page_url = metadata.page_url(app.config.review_whats_new_page)
    feed = atom_feed(book_releases(app.env), metadata, page_url, feed_url(metadata.base_url))
    Path(app.outdir, FEED_NAME).write_bytes(feed)


def register(app: Sphinx) -> None:
    app.add_config_value("review_whats_new_page", "book/whats-new", "env", types=[str])
    app.add_directive("whats-new", WhatsNewDirective)
    app.connect("html-page-context", link_feed)
    app.connect("build-finished", write_feed)
