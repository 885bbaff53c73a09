"""Sphinx extension: author–year citations in round brackets, "(Jin et al., 2021)".

sphinxcontrib-bibtex's ``author_year`` style uses square brackets; life-science
readers expect round ones. Registering the style as a plugin lets ``_config.yml``
select it by name with ``bibtex_reference_style: author_year_round``.

A BibTeX author list that ends in "and others" (the record showed only the
first authors) is cited as "Qin et al., 2024", not "Qin and others, 2024".

pybtex looks its plugins up in the installed packages' entry points on every
call, and sphinxcontrib-bibtex calls it for every citation: profiling a full
rebuild put half of its time there. The installed packages do not change during
a build, so the lookup is cached.
"""

import functools
from dataclasses import dataclass, field

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
import sphinxcontrib.bibtex.style.referencing as bibtex_referencing
import sphinxcontrib.bibtex.style.template as bibtex_template
from pybtex.database import Entry
from pybtex.richtext import Text
from pybtex.style.template import node
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from . import __version__


def round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")")


def round_brackets_semicolons() -> BracketStyle:
    """Several works in one parenthesis: "(Jin et al., 2021; He et al., 2022)"."""
    return BracketStyle(left="(", right=")", sep="; ")


LIBRARY_NAMES = bibtex_template.names


@node
def names_with_et_al(children, data, role, **kwargs):
    """sphinxcontrib-bibtex's ``names``, reading a trailing BibTeX "others" as "et al."."""
    entry = data["entry"]
    persons = entry.persons.get(role, [])
    if not persons or str(persons[-1]) != "others":
        return LIBRARY_NAMES(role, **kwargs).format_data(data)
    known = persons[:-1]
    shortened = Entry(entry.type, fields=entry.fields, persons={role: known})
    text = LIBRARY_NAMES(role, **kwargs).format_data({**data, "entry": shortened})
    already_shortened = kwargs.get("other") is not None and len(known) > 2
    return text if already_shortened else Text(text, data["style"].person.other)


@dataclass
class RoundAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets_semicolons)
    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)


def setup(app: Sphinx) -> dict:
    if not hasattr(pybtex.plugin.entry_points, "cache_info"):
        pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)
    bibtex_template.names = bibtex_referencing.names = names_with_et_al
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle
    )
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
