"""Render data tables at build time.

``data-table`` renders a table of ``data/datapackage.json`` as a numbered,
captioned docutils table. Cells are inserted as text nodes, so markup in a
CSV cell is shown, never interpreted; citation-key cells go through the same
``cite:p`` role as prose, so they link to the one bibliography page.

The data are validated once, when the builder starts (a later build whose data and checking
code are unchanged uses the tables validated before). Invalid data stop the build with the
list of problems (file, row, column) and no traceback.

The paths of the data package and the bibliography are config values
(``review_datapackage``, ``review_bibliography``), relative to the source
directory; :func:`data_paths` is the one place that resolves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

from ..datapackage import DataError, Record, Table, load_package, package_inputs, shown_text, value_labels


class InvalidData(SphinxError):
    category = "Invalid data (fix the rows below, then rebuild)"


class DataTableDirective(SphinxDirective):
    """Render rows of a data table; the directive body is the caption.

    Options: ``:name:`` a label for ``{numref}``; ``:columns:`` a comma-separated
    subset and order of columns, where ``a+b+c`` shows several columns as one (their non-empty
    values joined by "; ", under the first column's title with the others' in brackets);
    ``:filter:`` ``column=value`` keeps matching rows (several conditions joined by ``;`` keep the
    rows that meet all of them);
    ``:row-anchors:`` a prefix: each row becomes a link target ``prefix-<primary key>``
    (the ``search`` role links the search log's rows this way).
    """

    required_arguments = 1
    has_content = True
    option_spec = {
        "name": directives.unchanged,
        "columns": directives.unchanged,
        "filter": directives.unchanged,
        "row-anchors": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        tables: dict[str, Table] = self.env.review_tables
        name = self.arguments[0]
        if name not in tables:
            raise self.error(f'unknown data table "{name}"; known tables: {", ".join(sorted(tables))}')
        table = tables[name]
        self.env.note_dependency(str(table.schema.path))

        try:
            records = filtered(tables, table, self.options["filter"]) if "filter" in self.options else table.records
            columns = self._columns(table)
        except ValueError as error:
            raise self.error(str(error)) from None

        caption = " ".join(self.content).strip() or table.schema.title
        table_node, messages = table_of_cells(
            self,
            caption,
            [merged_title(table, merged) for merged in columns],
            [
                table_row(
                    [self._merged_cell(table, record, merged) for merged in columns], self._row_ids(table, record)
                )
                for record in records
            ],
            classes=["data-table", f"data-table-{name}"],
        )
        table_node["review_table"] = name
        self.add_name(table_node)
        return [table_node, download_link(self, table), *messages]

    def _row_ids(self, table: Table, record) -> list[str]:
        prefix = self.options.get("row-anchors")
        if not prefix:
            return []
        key = record.text[table.schema.primary_key]
        anchor = row_anchor(prefix, key)
        self.env.get_domain("std").note_hyperlink_target(anchor, self.env.docname, anchor, key)
        return [anchor]

    def _columns(self, table: Table) -> list[list[str]]:
        """The shown columns, each a list of the data columns it joins."""
        if "columns" in self.options:
            columns = [[part.strip() for part in c.split("+")] for c in self.options["columns"].split(",") if c.strip()]
            check_columns(table, [part for merged in columns for part in merged])
            return columns
        hidden = {f.range_end for f in table.schema.fields if f.range_end}
        return [[f.name] for f in table.schema.fields if f.name not in hidden]

    def _merged_cell(self, table: Table, record, merged: list[str]) -> nodes.Node:
        if len(merged) == 1:
            return self._cell(table, record, merged[0])
        texts = [self._cell(table, record, column).astext() for column in merged]
        return nodes.paragraph(text="; ".join(text for text in texts if text))

    def _cell(self, table: Table, record, column: str) -> nodes.Node:
        spec = table.schema.field(column)
        text = record.text[column]
        if spec.citation_keys and text:
            return nodes.paragraph("", "", *cite_keys(self, record.values[column]))
        if spec.labelled:
            text = shown_text(spec, record.values[column], self.env.review_labels)
        if spec.range_end and record.text[spec.range_end]:
            text = f"{text}–{record.text[spec.range_end]}"
        return nodes.paragraph(text=text)


def merged_title(table: Table, merged: list[str]) -> str:
    """The title of joined columns: the first column's title, the others' in brackets.

    For example "Result (hazard ratio; confidence interval)".
    """
    first, *others = (table.schema.field(column).title for column in merged)
    return f"{first} ({'; '.join(title[0].lower() + title[1:] for title in others)})" if others else first


def check_columns(table: Table, columns: list[str]) -> None:
    unknown = [c for c in columns if c not in table.schema.field_names]
    if unknown:
        raise ValueError(
            f'table "{table.schema.name}" has no column {", ".join(unknown)}; '
            f"columns: {', '.join(table.schema.field_names)}"
        )


def filtered(tables: dict[str, Table], table: Table, spec: str) -> list[Record]:
    """The rows that every ``;``-separated condition of ``spec`` keeps (see :func:`kept_by`).

    ValueError says what is wrong: an unknown column, a column that is no foreign key, or no row kept.
    """
    kept = table.records
    for condition in spec.split(";"):
        allowed = {id(record) for record in kept_by(tables, table, condition)}
        kept = [record for record in kept if id(record) in allowed]
    if not kept:
        raise ValueError(f'filter "{spec}" matches no row of table "{table.schema.name}"')
    return kept


def kept_by(tables: dict[str, Table], table: Table, spec: str) -> list[Record]:
    """The rows that ``column=value`` keeps, or ``column.other=value`` following a foreign key to another table."""
    column, _, wanted = (part.strip() for part in spec.partition("="))
    column, _, remote = column.partition(".")
    check_columns(table, [column])
    if not remote:
        kept = [record for record in table.records if record.text[column] == wanted]
    else:
        resource, referenced = next(
            ((resource, referenced) for local, resource, referenced in table.schema.foreign_keys if local == column),
            (None, None),
        )
        if resource is None:
            raise ValueError(f'column "{column}" of table "{table.schema.name}" is not a foreign key')
        check_columns(tables[resource], [remote])
        matching = {r.text[referenced] for r in tables[resource].records if r.text[remote] == wanted}
        kept = [record for record in table.records if record.text[column] in matching]
    return kept


def row_anchor(prefix: str, key: str) -> str:
    """The link target of one table row, as ``:row-anchors:`` names it."""
    return nodes.make_id(f"{prefix}-{key}")


def table_row(cells: list[nodes.Node], ids: list[str] | None = None) -> nodes.row:
    row = nodes.row(ids=ids or [])
    for content in cells:
        entry = nodes.entry()
        entry += content
        row += entry
    return row


# Only the text builder reads a column's width (as the width it wraps the column's text to); the HTML and
# LaTeX builders size columns by their content. A width of 1 would wrap every word letter by letter.
TEXT_TABLE_WIDTH = 100
NARROWEST_TEXT_COLUMN = 12


def text_column_width(columns: int) -> int:
    return max(NARROWEST_TEXT_COLUMN, TEXT_TABLE_WIDTH // columns)


def table_of_cells(
    directive: SphinxDirective, caption: str, header: list[str], rows: list[nodes.row], classes: list[str]
) -> tuple[nodes.table, list[nodes.system_message]]:
    """A captioned table: ``caption`` is parsed as inline markup, ``header`` cells are text."""
    table_node = nodes.table(classes=classes)
    title_nodes, messages = directive.state.inline_text(caption, directive.lineno)
    table_node += nodes.title(caption, "", *title_nodes)
    group = nodes.tgroup(cols=len(header))
    table_node += group
    group.extend(nodes.colspec(colwidth=text_column_width(len(header))) for _ in header)
    head = nodes.thead()
    head += table_row([nodes.paragraph(text=title) for title in header])
    group += head
    body = nodes.tbody()
    body.extend(rows)
    group += body
    return table_node, messages


def download_link(directive: SphinxDirective, table: Table) -> nodes.paragraph:
    """A link to the CSV file behind a table; Sphinx copies the file into the site."""
    source = Path(table.schema.path).resolve().relative_to(Path(directive.env.srcdir).resolve())
    link = addnodes.download_reference(
        "", "", nodes.literal(text=source.name), reftarget=f"/{source.as_posix()}", refexplicit=True
    )
    return nodes.paragraph("", "", nodes.Text("Data: "), link, classes=["data-table-download"])


def cite_keys(directive: SphinxDirective, keys: Iterable[str]) -> list[nodes.Node]:
    """Citations of references.bib keys through the ``cite:p`` role, parsed as the pages (MyST) write them."""
    produced, messages = directive.parse_inline(f"{{cite:p}}`{','.join(keys)}`")
    return [*produced, *messages]


def data_paths(app: Sphinx) -> tuple[Path, Path]:
    """The data package descriptor and the bibliography, from the source directory and the config."""
    return (
        Path(app.srcdir, app.config.review_datapackage).resolve(),
        Path(app.srcdir, app.config.review_bibliography).resolve(),
    )


def load_and_validate(app: Sphinx) -> None:
    """Validate every table before any page is read; invalid data stop the build.

    The tables an earlier build validated (kept in the pickled environment) are used again while
    the files they came from and the code that checks them are unchanged (:func:`package_inputs`).
    """
    paths = data_paths(app)
    inputs = package_inputs(*paths)
    if inputs is None or inputs != getattr(app.env, "review_tables_inputs", None):
        try:
            app.env.review_tables = load_package(*paths)
        except DataError as error:
            raise InvalidData(str(error)) from None
        app.env.review_tables_inputs = inputs
    app.env.review_labels = value_labels(app.env.review_tables)


def register(app: Sphinx) -> None:
    app.add_config_value("review_datapackage", "data/datapackage.json", "env", types=[str])
    app.add_config_value("review_bibliography", "references.bib", "env", types=[str])
    app.add_directive("data-table", DataTableDirective)
