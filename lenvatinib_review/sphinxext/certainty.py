"""The certainty of each mechanism, its risk of bias, and the blanks in the study tables, on the page.

``certainty-table`` renders, for the mechanisms a ``:filter:`` selects (``column=value`` on
``mechanisms.csv``, as ``data-table`` filters), or with ``:best:`` the best-supported ones, a
numbered table: the mechanism, its rating in words, how many studies are behind it (works cited,
not rows), its strongest evidence and the factors of the rule that lowered or raised it.
``risk-of-bias`` renders for the same selection how the studies behind it were judged on the
items of SYRCLE and the domains of QUIPS, with how many are not yet recorded and how many fields
are blank. ``study-fields`` counts, for every field of the study tables, the rows that state it
and those that leave it blank; ``exposure-table`` sets each stated concentration against the
clinical reference. ``{certainty}`name``` writes a count into prose (the names of
:func:`lenvatinib_review.certainty.summary`).

The ratings are computed once per build from the validated data
(:func:`lenvatinib_review.certainty.assess`); a rule the code does not match stops the build with
the file, row and column. Every page that shows them is read again when any table they read
changes. Everything from the data is inserted as text nodes.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..certainty import (
    assess,
    best_supported,
    clinical_exposure,
    field_blanks,
    rating_label,
    read_rule,
    risk_of_bias,
    summary,
)
from ..datapackage import DataError, bibliography_entries
from ..figure_data import readable
from .data_tables import InvalidData, cite_keys, data_paths, download_link, table_of_cells, table_row

# Every table the ratings, the risk of bias and the exposure comparison read.
SOURCES = (
    "evidence",
    "mechanisms",
    "studies",
    "clinical_quality",
    "certainty_rule",
    "conflicts",
    "pharmacology",
    "records",
)


def note_sources(directive: SphinxDirective | SphinxRole) -> None:
    for path in directive.env.review_certainty_sources:
        directive.env.note_dependency(path)


def text_cell(*texts: str) -> list[nodes.paragraph]:
    return [nodes.paragraph(text=text) for text in texts]


def factor_cell(factors) -> list[nodes.paragraph]:
    """Each factor with its points; a cap with the score it caps at."""
    return text_cell(
        *(f"{f.label} (at most {f.points})" if f.kind == "cap" else f"{f.label} ({signed(f.points)})" for f in factors)
    ) or text_cell("—")


def signed(points: int) -> str:
    """+1, −1 (a true minus sign), 0."""
    return f"{points:+d}".replace("-", "\N{MINUS SIGN}") if points else "0"


class FilteredDirective(SphinxDirective):
    """Shared by the directives that take ``:filter: column=value`` on mechanisms.csv."""

    has_content = True

    def selected(self) -> list:
        """The assessments of the mechanisms the filter keeps, in table order."""
        assessments = self.env.review_certainty
        if "filter" not in self.options:
            raise self.error("give :filter: column=value on mechanisms.csv")
        column, _, wanted = (part.strip() for part in self.options["filter"].partition("="))
        columns = self.env.review_tables["mechanisms"].schema.field_names
        if column not in columns:
            raise self.error(f'mechanisms.csv has no column "{column}"; columns: {", ".join(columns)}')
        chosen = [a for a in assessments.values() if a.mechanism.text[column] == wanted]
        if not chosen:
            raise self.error(f'filter "{self.options["filter"]}" matches no mechanism')
        return chosen

    def caption(self, default: str) -> str:
        return " ".join(self.content).strip() or default


class CertaintyTableDirective(FilteredDirective):
    """Each selected mechanism's rating and the factors behind it. Options: ``:filter:`` or ``:best:``, ``:name:``."""

    option_spec = {"filter": directives.unchanged, "best": directives.flag, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        note_sources(self)
        if "best" in self.options:
            chosen = best_supported(self.env.review_certainty)
        else:
            chosen = self.selected()
        body = [
            table_row(
                [
                    text_cell(a.mechanism.values["process"]),
                    text_cell(rating_label(a.rating), f"score {a.score}".replace("-", "\N{MINUS SIGN}")),
                    [
                        nodes.paragraph(text=str(len(a.studies))),
                        nodes.paragraph("", "", *cite_keys(self, a.studies)),
                    ],
                    text_cell(readable(a.start.id.removeprefix("start-"))),
                    factor_cell(a.lowered_by + a.capped_by),
                    factor_cell(a.raised_by),
                ]
            )
            for a in chosen
        ]
        header = ["Mechanism", "Certainty", "Studies", "Strongest evidence", "Lowered by", "Raised by"]
        table, messages = table_of_cells(
            self,
            self.caption("Certainty of each mechanism, by the rule of the methods chapter."),
            header,
            body,
            classes=["data-table", "certainty-table"],
        )
        self.add_name(table)
        return [table, download_link(self, self.env.review_tables["certainty_rule"]), *messages]


class RiskOfBiasDirective(FilteredDirective):
    """How the studies behind the selected mechanisms were judged. Options: ``:filter:``, ``:name:``."""

    option_spec = {"filter": directives.unchanged, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        note_sources(self)
        keys = list(dict.fromkeys(key for a in self.selected() for key in a.studies))
        bias = risk_of_bias(self.env.review_tables, keys)
        assessed = {"studies": bias.preclinical, "clinical_quality": bias.clinical}
        items = [item for item in bias.items if assessed[item.table]]
        if not items:
            raise self.error("no preclinical or clinical study stands behind these mechanisms")
        recorded = sum(len(rows) for rows in bias.recorded.values())
        others = len(keys) - len(bias.preclinical) - len(bias.clinical)
        text = (
            f"These mechanisms rest on {len(keys)} studies: {len(bias.preclinical)} preclinical "
            f"({len(bias.recorded['studies'])} recorded in studies.csv), {len(bias.clinical)} clinical "
            f"({len(bias.recorded['clinical_quality'])} recorded in clinical_quality.csv) and "
            f"{others} of another kind (pharmacology, labels, reviews). "
        )
        if recorded:
            text += (
                f"The {recorded} recorded rows leave {bias.blank_fields} fields blank; "
                f"{bias.abstract_only} of them were read from the abstract only."
            )
        else:
            text += "None is recorded yet, so their risk of bias is not yet assessed."
        rows = [
            table_row(
                [
                    text_cell(item.title),
                    text_cell("; ".join(f"{readable(value)}: {count}" for value, count in item.judgements) or "—"),
                    text_cell(str(item.not_recorded)),
                ]
            )
            for item in items
        ]
        table, messages = table_of_cells(
            self,
            self.caption("Risk of bias of the studies behind these mechanisms (SYRCLE items, design and QUIPS)."),
            ["Item", "Judgements (studies)", "Studies not yet assessed"],
            rows,
            classes=["data-table", "risk-of-bias-table"],
        )
        self.add_name(table)
        summary = nodes.paragraph("", text + " Data: ", classes=["risk-of-bias-summary"])
        for name in ("studies", "clinical_quality"):  # the files the judgements are read from, linked
            summary += download_link(self, self.env.review_tables[name]).children[1]
            summary += nodes.Text(" and " if name == "studies" else ".")
        return [summary, table, *messages]


class StudyFieldsDirective(SphinxDirective):
    """For every field of the study tables, how many rows state it and how many leave it blank. Option: ``:name:``."""

    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        note_sources(self)
        rows = [
            table_row(text_cell(f"{item.table}.csv", item.title, str(item.filled), str(item.blank)))
            for item in field_blanks(self.env.review_tables)
        ]
        table, messages = table_of_cells(
            self,
            " ".join(self.content).strip() or "How many rows of the study tables state each field.",
            ["Table", "Field", "Stated", "Blank"],
            rows,
            classes=["data-table", "study-fields-table"],
        )
        self.add_name(table)
        return [table, *messages]


class ExposureTableDirective(SphinxDirective):
    """Each preclinical study's stated highest concentration against the clinical reference. Option: ``:name:``."""

    has_content = True
    option_spec = {"name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        note_sources(self)
        exposure = self.env.review_exposure
        rows = [
            table_row(
                [
                    [nodes.paragraph("", "", *cite_keys(self, [record.values["id"]]))],
                    text_cell(record.text["max_concentration_um"]),
                    text_cell(f"{record.values['max_concentration_um'] * exposure.molar_mass:,.0f}"),
                    text_cell(exposure.describe(record.values["max_concentration_um"])),
                    text_cell("yes" if exposure.far_above(record.values["max_concentration_um"]) else "no"),
                ]
            )
            for record in self.env.review_tables["studies"].records
            if record.values["max_concentration_um"] is not None
        ]
        if not rows:
            raise self.error("no row of studies.csv states a highest concentration")
        table, messages = table_of_cells(
            self,
            " ".join(self.content).strip() or "Highest concentrations against clinical exposure.",
            ["Study", "Highest concentration (µM)", "ng/mL", "Against clinical exposure", "Far above"],
            rows,
            classes=["data-table", "exposure-table"],
        )
        self.add_name(table)
        return [table, *messages]


class CertaintyRole(SphinxRole):
    """``{certainty}`name``` renders a named count; ``{certainty}`rating:<mechanism id>``` that mechanism's rating."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        note_sources(self)
        kind, _, mechanism = self.text.partition(RATING_PREFIX)
        if not kind and mechanism:
            assessments = self.env.review_certainty
            if mechanism not in assessments:
                return self.unknown(f'unknown mechanism "{mechanism}" (ids of data/mechanisms.csv)')
            rating = assessments[mechanism].rating
            return [nodes.inline(self.rawtext, rating_label(rating), classes=["certainty-rating", rating])], []
        values = self.env.review_certainty_counts
        if self.text not in values:
            return self.unknown(f'unknown certainty count "{self.text}"; known: {", ".join(sorted(values))}')
        return [nodes.inline(self.rawtext, values[self.text], classes=["certainty-count"])], []

    def unknown(self, text: str) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        message = self.inliner.reporter.error(text, line=self.lineno)
        return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]


RATING_PREFIX = "rating:"


def prepare(app: Sphinx) -> None:
    """The rule, the clinical reference and every mechanism's rating, once per build; a bad rule stops it."""
    tables = app.env.review_tables
    bibliography = data_paths(app)[1]
    app.env.review_certainty_sources = [str(tables[name].schema.path) for name in SOURCES] + [str(bibliography)]
    try:
        app.env.review_rule = read_rule(tables)
        app.env.review_exposure = clinical_exposure(tables, app.env.review_rule)
        app.env.review_certainty = assess(tables, bibliography_entries(bibliography))
    except DataError as error:
        raise InvalidData(str(error)) from None
    app.env.review_certainty_counts = summary(tables, app.env.review_certainty)


def register(app: Sphinx) -> None:
    app.add_directive("certainty-table", CertaintyTableDirective)
    app.add_directive("risk-of-bias", RiskOfBiasDirective)
    app.add_directive("study-fields", StudyFieldsDirective)
    app.add_directive("exposure-table", ExposureTableDirective)
    app.add_role("certainty", CertaintyRole())
