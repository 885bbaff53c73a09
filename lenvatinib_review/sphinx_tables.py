"""Sphinx extension: render data tables at build time and keep notebook outputs fresh.

``data-table`` renders a table of ``data/datapackage.json`` as a numbered,
captioned docutils table. Cells are inserted as text nodes, so markup in a
CSV cell is shown, never interpreted; citation-key cells go through the same
``cite:p`` role as prose, so they link to the one bibliography page.

The data are validated once, when the builder starts. Invalid data stop the
build with the list of problems (file, row, column) and no traceback.

jupyter-cache keys an execution on the notebook's code only, so a notebook
reading an edited CSV would be served stale outputs. The extension therefore
keys the cache folder on a fingerprint of the data, the bibliography and this
package, and re-reads every page when it changes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives, roles
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

from . import __version__
from .datapackage import (
    BIBLIOGRAPHY_VARIABLE,
    DESCRIPTOR_VARIABLE,
    DataError,
    Table,
    fingerprint,
    load_package,
)

PACKAGE_DIR = Path(__file__).resolve().parent
CACHE_PREFIX = "data-"


class InvalidData(SphinxError):
    category = "Invalid data (fix the rows below, then rebuild)"


class DataTableDirective(SphinxDirective):
    """Render rows of a data table; the directive body is the caption.

    Options: ``:name:`` a label for ``{numref}``; ``:columns:`` a comma-separated
    subset and order of columns; ``:filter:`` ``column=value`` keeps matching rows.
    """

    required_arguments = 1
    has_content = True
    option_spec = {
        "name": directives.unchanged,
        "columns": directives.unchanged,
        "filter": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        tables: dict[str, Table] = self.env.review_tables
        name = self.arguments[0]
        if name not in tables:
            raise self.error(f'unknown data table "{name}"; known tables: {", ".join(sorted(tables))}')
        table = tables[name]
        self.env.note_dependency(str(table.schema.path))

        records = table.records
        if "filter" in self.options:
            records = [r for r in records if self._matches_filter(tables, table, r)]
            if not records:
                raise self.error(f'filter "{self.options["filter"]}" matches no row of table "{name}"')
        columns = self._columns(table)

        table_node = nodes.table(classes=["data-table", f"data-table-{name}"])
        table_node["review_table"] = name
        caption = " ".join(self.content).strip() or table.schema.title
        title_nodes, messages = self.state.inline_text(caption, self.lineno)
        table_node += nodes.title(caption, "", *title_nodes)
        group = nodes.tgroup(cols=len(columns))
        table_node += group
        group.extend(nodes.colspec(colwidth=1) for _ in columns)
        head = nodes.thead()
        head += self._row([nodes.paragraph(text=table.schema.field(c).title) for c in columns])
        group += head
        body = nodes.tbody()
        for record in records:
            body += self._row([self._cell(table, record, column) for column in columns])
        group += body
        self.add_name(table_node)
        return [table_node, self._download_link(table), *messages]

    def _download_link(self, table: Table) -> nodes.paragraph:
        """A link to the CSV file behind the table; Sphinx copies the file into the site."""
        source = Path(table.schema.path).resolve().relative_to(Path(self.env.srcdir).resolve())
        link = addnodes.download_reference(
            "", "", nodes.literal(text=source.name), reftarget=f"/{source.as_posix()}", refexplicit=True
        )
        return nodes.paragraph("", "", nodes.Text("Data: "), link, classes=["data-table-download"])

    def _matches_filter(self, tables: dict[str, Table], table: Table, record) -> bool:
        """``column=value``, or ``column.other=value`` to follow a foreign key to another table."""
        column, _, wanted = (part.strip() for part in self.options["filter"].partition("="))
        column, _, remote = column.partition(".")
        self._check_columns(table, [column])
        if not remote:
            return record.text[column] == wanted
        for local, resource, referenced in table.schema.foreign_keys:
            if local == column:
                self._check_columns(tables[resource], [remote])
                target = next(r for r in tables[resource].records if r.text[referenced] == record.text[column])
                return target.text[remote] == wanted
        raise self.error(f'column "{column}" of table "{table.schema.name}" is not a foreign key')

    def _columns(self, table: Table) -> list[str]:
        if "columns" in self.options:
            columns = [c.strip() for c in self.options["columns"].split(",") if c.strip()]
            self._check_columns(table, columns)
            return columns
        hidden = {f.range_end for f in table.schema.fields if f.range_end}
        return [f.name for f in table.schema.fields if f.name not in hidden]

    def _check_columns(self, table: Table, columns: list[str]) -> None:
        unknown = [c for c in columns if c not in table.schema.field_names]
        if unknown:
            raise self.error(
                f'table "{table.schema.name}" has no column {", ".join(unknown)}; '
                f'columns: {", ".join(table.schema.field_names)}'
            )

    def _cell(self, table: Table, record, column: str) -> nodes.Node:
        spec = table.schema.field(column)
        text = record.text[column]
        if spec.citation_keys and text:
            return self._citation(",".join(record.values[column]))
        if spec.range_end and record.text[spec.range_end]:
            text = f"{text}–{record.text[spec.range_end]}"
        return nodes.paragraph(text=text)

    def _citation(self, keys: str) -> nodes.Node:
        role, _ = roles.role("cite:p", self.state_machine.language, self.lineno, self.state.reporter)
        rawtext = f":cite:p:`{keys}`"
        produced, messages = role("cite:p", rawtext, keys, self.lineno, self.state.inliner)
        return nodes.paragraph("", "", *produced, *messages)

    @staticmethod
    def _row(cells: list[nodes.Node]) -> nodes.row:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            entry += content
            row += entry
        return row


def data_files(app: Sphinx) -> list[Path]:
    descriptor = Path(app.srcdir, app.config.review_datapackage)
    sources = [descriptor, Path(app.srcdir, app.config.review_bibliography)]
    sources += sorted(descriptor.parent.glob("*.csv"))
    sources += sorted(PACKAGE_DIR.glob("*.py"))
    return sources


def load_and_validate(app: Sphinx) -> None:
    """Validate every table before any page is read, and key the notebook cache on the data."""
    descriptor = Path(app.srcdir, app.config.review_datapackage).resolve()
    bibliography = Path(app.srcdir, app.config.review_bibliography).resolve()
    try:
        app.env.review_tables = load_package(descriptor, bibliography)
    except DataError as error:
        raise InvalidData(str(error)) from None
    # Notebook kernels inherit this process's environment: they read the same files.
    os.environ[DESCRIPTOR_VARIABLE] = str(descriptor)
    os.environ[BIBLIOGRAPHY_VARIABLE] = str(bibliography)
    app.env.review_current_fingerprint = fingerprint(data_files(app))
    config = getattr(app.env, "mystnb_config", None)
    if config is not None:
        base = Path(config.execution_cache_path)
        current = base / (CACHE_PREFIX + app.env.review_current_fingerprint[:16])
        for stale in base.glob(CACHE_PREFIX + "*"):
            if stale != current:
                shutil.rmtree(stale)
        app.env.mystnb_config = config.copy(execution_cache_path=str(current))


def outdate_data_readers(app: Sphinx, env, added, changed, removed) -> list[str]:
    """When the data or this package changed, re-read (and so re-write) every page.

    Tables, citations, notebooks and the page-render hooks all come from the
    fingerprinted files; a whole re-read is a few seconds and is never stale.
    """
    if getattr(env, "review_fingerprint", None) == env.review_current_fingerprint:
        return []
    env.review_fingerprint = env.review_current_fingerprint
    return sorted(env.found_docs - added - removed)


def setup(app: Sphinx) -> dict:
    app.add_config_value("review_datapackage", "data/datapackage.json", "env")
    app.add_config_value("review_bibliography", "references.bib", "env")
    app.add_directive("data-table", DataTableDirective)
    # After myst-nb's own builder-inited handler (priority 500) has set its cache path.
    app.connect("builder-inited", load_and_validate, priority=600)
    app.connect("env-get-outdated", outdate_data_readers)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
