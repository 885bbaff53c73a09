"""Author–year citations in round brackets, "(Jin et al., 2021)", with "et al." for partial author lists.

sphinxcontrib-bibtex's ``author_year`` style uses square brackets; life-science
readers expect round ones. Following sphinxcontrib-bibtex's documented way to
customise a reference style (a dataclass subclass whose fields are brackets and
a person style, registered as a plugin), ``_config.yml`` selects it by name with
``bibtex_reference_style: author_year_round``.

A BibTeX author list that ends in "and others" (the record showed only the
first authors) is cited as "Qin et al., 2024", not "Qin and others, 2024": the
person style's templates drop the "others" and add its ``other`` text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.database import Entry
from pybtex.richtext import Text
from pybtex.style.template import field as entry_field
from pybtex.style.template import first_of, optional, tag
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import names, node

STYLE_NAME = "author_year_round"


@node
def names_with_et_al(children, data, role, **kwargs):
    """sphinxcontrib-bibtex's ``names`` template, reading a trailing BibTeX "others" as "et al."."""
    entry = data["entry"]
    persons = entry.persons.get(role, [])
    if not persons or str(persons[-1]) != "others":
        return names(role, **kwargs).format_data(data)
    known = persons[:-1]
    shortened = Entry(entry.type, fields=entry.fields, persons={role: known})
    text = names(role, **kwargs).format_data({**data, "entry": shortened})
    already_shortened = kwargs.get("other") is not None and len(known) > 2
    return text if already_shortened else Text(text, data["style"].person.other)


@node
def author_or_editor_or_title_with_et_al(children, data, **kwargs):
    """sphinxcontrib-bibtex's ``author_or_editor_or_title`` with :func:`names_with_et_al`.

    A work known by its identifier alone (an abstract read on PubMed Central whose stored
    record showed neither authors nor title) is cited by that identifier, "(PMC9277415)".
    """
    return first_of[
        optional[names_with_et_al("author", **kwargs)],
        optional[names_with_et_al("editor", **kwargs)],
        optional[tag("em")[entry_field("title")]],
        optional[entry_field("pmcid")],
        optional[entry_field("pmid")],
        entry_field("doi"),
    ].format_data(data)


@dataclass
class EtAlPersonStyle(PersonStyle):
    """The default person style, but an author list ending in "others" ends in "et al."."""

    def names(self, role: str, full: bool):
        return names_with_et_al(
            role=role, sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, other=None if full else self.other
        )

    def author_or_editor_or_title(self, full: bool):
        return author_or_editor_or_title_with_et_al(
            sep=self.sep, sep2=self.sep2, last_sep=self.last_sep, other=None if full else self.other
        )


def round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")")


def round_brackets_semicolons() -> BracketStyle:
    """Several works in one parenthesis: "(Jin et al., 2021; He et al., 2022)"."""
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets_semicolons)
    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)
    person: PersonStyle = field(default_factory=EtAlPersonStyle)


def cache_plugin_lookups() -> None:
    """Cache pybtex's entry-point look-ups for the rest of the process.

    pybtex looks its plugins up in the installed packages' entry points on every
    call (``pybtex.plugin.entry_points``), and sphinxcontrib-bibtex calls it for
    every citation: profiling a full rebuild put half of its time there. The
    installed packages do not change during a build. This is the one place that
    touches a pybtex internal; ``tests/test_citations.py`` fails if pybtex stops
    looking plugins up through that module attribute.
    """
    lookup = pybtex.plugin.entry_points
    if not hasattr(lookup, "cache_info"):
        pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(lookup)


def register(app: Sphinx) -> None:
    cache_plugin_lookups()
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE_NAME, RoundAuthorYearReferenceStyle
    )
