"""The evidence explorer: every finding in one table that the reader filters and sorts.

``evidence-explorer`` renders every row of ``evidence.csv`` at build time, with its
mechanism's process, category and process group, as a numbered table of text cells;
citations go through the same ``cite:p`` role as the data tables. Beside the table
it writes the filter controls (hidden where scripts do not run) and, as JSON, each
finding's filter values and sort ranks. ``static/evidence-explorer.js``, added to
that page alone, filters and sorts the rows and keeps the view in the address;
without JavaScript the full table stays readable.

``{explore}`text <level=patient-cohort&sort=year>``` links to a view of the explorer
from any page. Its keys and values are checked against the data when the page is
read (:func:`lenvatinib_review.evidence_filters.check_view`); an unknown one stops
the build, naming the page, the line and the values allowed.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import split_explicit_title

from ..certainty import rating_label
from ..datapackage import bibliography_entries
from ..evidence_filters import (
    COLUMNS,
    FILTER_HINTS,
    FILTERS,
    Finding,
    ViewError,
    check_view,
    filter_options,
    findings,
    sort_ranks,
)
from .data_tables import cite_keys, data_paths, download_link, table_of_cells, table_row

SCRIPT = "evidence-explorer.js"
STYLE = "evidence-explorer.css"
ROW_ID_PREFIX = "finding-"


class InvalidExplorerLink(SphinxError):
    category = "Invalid evidence explorer link"


def controls_html(options: dict[str, list[tuple[str, str]]], rows: list[Finding]) -> str:
    """The filter form, hidden by the stylesheet where scripts do not run; every value from the data is escaped.

    Each option names how many findings it keeps; each filter whose label alone could mislead has a hint.
    """
    fields = []
    for key, label in FILTERS:
        counts = Counter(value for row in rows for value in row.values[key])
        choices = "".join(
            f'<option value="{escape(value)}">{escape(text)} ({counts[value]})</option>' for value, text in options[key]
        )
        hint = FILTER_HINTS.get(key)
        described = f' aria-describedby="explorer-{key}-hint"' if hint else ""
        hint_html = f'<small id="explorer-{key}-hint">{escape(hint)}</small>' if hint else ""
        fields.append(
            f'<div class="evidence-explorer-field"><label for="explorer-{key}">{escape(label)}</label>'
            f'<select id="explorer-{key}" name="{key}"{described}><option value="">All ({len(rows)})</option>'
            f"{choices}</select>{hint_html}</div>"
        )
    fields.append(
        '<div class="evidence-explorer-field"><label for="explorer-q">Search the text</label>'
        '<input type="search" id="explorer-q" name="q"></div>'
    )
    return (
        '<button type="button" class="evidence-explorer-toggle" aria-expanded="false" aria-controls="explorer-form">'
        "Filters</button>\n"
        '<form class="evidence-explorer-controls" id="explorer-form" aria-label="Filter the findings">'
        + "".join(fields)
        + '<div class="evidence-explorer-actions">'
        '<button type="button" class="evidence-explorer-clear">Show all, unsorted</button>'
        '<button type="button" class="evidence-explorer-copy">Copy a link to this view</button></div></form>\n'
        '<p class="evidence-explorer-status" role="status"></p>\n'
        '<p class="evidence-explorer-notice" hidden></p>\n'
    )


def data_html(rows: list[Finding], ranks: dict[str, list[int | None]]) -> str:
    """Each finding's filter values and sort ranks, as JSON that cannot close its script element."""
    data = {
        "columns": [column.key for column in COLUMNS],
        "filters": [key for key, _ in FILTERS],
        "rowIdPrefix": ROW_ID_PREFIX,
        "rows": {row.id: {"values": row.values, "ranks": ranks[row.id]} for row in rows},
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" class="evidence-explorer-data">{text}</script>\n'


class EvidenceExplorerDirective(SphinxDirective):
    """Every finding, filterable and sortable; the directive body is the caption. Option: ``:name:``."""

    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        if self.env.docname in self.env.review_explorer_pages:
            raise self.error("only one evidence explorer per page (its controls have fixed ids)")
        self.env.review_explorer_pages.add(self.env.docname)
        tables = self.env.review_tables
        note_data_dependencies(self)
        rows = self.env.review_findings
        labels = self.env.review_labels
        body = []
        for row in rows:
            record, mechanism = row.record, row.mechanism
            texts = {
                "finding": [record.text["finding"]],
                "mechanism": [
                    mechanism.values["process"],
                    f"{labels[mechanism.values['category']]} / {labels[mechanism.values['process_group']].lower()}",
                ],
                "certainty": [rating_label(row.values["certainty"][0])],
                "molecules": ["; ".join(record.values["molecules"])],
                "effect": [labels[record.values["effect"]]],
                "models": [record.text["models"]],
                "level": [
                    labels[record.values["evidence_level"]],
                    f"all models: {'; '.join(labels[kind].lower() for kind in record.values['shown_in'])}",
                ],
                "drug": [labels[record.values["drug"]]],
                "year": ["; ".join(row.values["year"])],
            }
            cells = [
                [nodes.paragraph("", "", *cite_keys(self, record.values["citations"]))]
                if column.key == "citations"
                else [
                    nodes.paragraph(text=text, classes=[f"evidence-explorer-{column.key}"])
                    for text in texts[column.key]
                ]
                for column in COLUMNS
            ]
            body.append(table_row(cells, ids=[ROW_ID_PREFIX + row.id]))
        caption = " ".join(self.content).strip() or tables["evidence"].schema.title
        table, messages = table_of_cells(
            self, caption, [column.title for column in COLUMNS], body, classes=["data-table", "evidence-explorer-table"]
        )
        self.add_name(table)
        container = nodes.container(classes=["evidence-explorer"])
        container += nodes.raw("", controls_html(self.env.review_filter_options, rows), format="html")
        container += table
        container += nodes.raw("", data_html(rows, sort_ranks(rows)), format="html")
        return [
            container,
            download_link(self, tables["evidence"]),
            download_link(self, tables["mechanisms"]),
            *messages,
        ]


def note_data_dependencies(directive: SphinxDirective | SphinxRole) -> None:
    """A page showing or linking to the explorer is read again when the evidence changes."""
    for path in directive.env.review_explorer_sources:
        directive.env.note_dependency(path)


class ExploreRole(SphinxRole):
    """``{explore}`text <key=value&...>```: a link to a view of the explorer, checked against the data."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        has_title, title, query = split_explicit_title(self.text)
        if not has_title:
            raise InvalidExplorerLink(
                f"{self.get_location()}: write {{explore}}`text <key=value&...>`, not {{explore}}`{self.text}`"
            )
        try:
            view = check_view(query, self.env.review_findings, self.env.review_filter_options)
        except ViewError as error:
            raise InvalidExplorerLink(f"{self.get_location()}: {{explore}} link <{query}>: {error}") from None
        note_data_dependencies(self)
        link = addnodes.pending_xref(
            self.rawtext, nodes.inline(title, title), refdomain="", reftype="explore", reftarget=view, refexplicit=True
        )
        return [link], []


def resolve_explore_link(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Node):
    """The relative address of the explorer's page from the linking page, with the view as its query."""
    if node["reftype"] != "explore":
        return None
    pages = sorted(env.review_explorer_pages)
    if len(pages) != 1:
        where = f"on {len(pages)} pages ({', '.join(pages)})" if pages else "on no page"
        raise InvalidExplorerLink(
            f"{env.doc2path(node['refdoc'])}: {{explore}} links need one evidence-explorer directive; it is {where}"
        )
    address, _, fragment = app.builder.get_relative_uri(node["refdoc"], pages[0]).partition("#")
    uri = f"{address}?{node['reftarget']}" + (f"#{fragment}" if fragment else "")
    return nodes.reference("", "", contnode, internal=True, refuri=uri, classes=["explore-link"])


def prepare(app: Sphinx) -> None:
    """The findings and their filter values, computed once per build from the validated data."""
    tables = app.env.review_tables
    bibliography = data_paths(app)[1]
    app.env.review_findings = findings(tables, bibliography_entries(bibliography))
    app.env.review_explorer_sources = app.env.review_certainty_sources  # the findings carry their mechanism's rating
    app.env.review_filter_options = filter_options(tables, app.env.review_findings)
    if not hasattr(app.env, "review_explorer_pages"):
        app.env.review_explorer_pages = set()


def forget_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.review_explorer_pages.discard(docname)


def merge_pages(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env.review_explorer_pages |= other.review_explorer_pages


def add_assets_to_explorer_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """The script and its styles on the explorer's page only, so no other page grows."""
    if pagename in app.env.review_explorer_pages:
        app.add_js_file(SCRIPT, loading_method="defer")
        app.add_css_file(STYLE)


def register(app: Sphinx) -> None:
    app.add_directive("evidence-explorer", EvidenceExplorerDirective)
    app.add_role("explore", ExploreRole())
    app.connect("env-purge-doc", forget_page)
    app.connect("env-merge-info", merge_pages)
    app.connect("missing-reference", resolve_explore_link)
    # Before unused_assets filters the page's asset list (it replaces the list this call adds to).
    app.connect("html-page-context", add_assets_to_explorer_page, priority=400)
