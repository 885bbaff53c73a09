"""Sphinx extension: author–year citations in round brackets, "(Jin et al., 2021)".

sphinxcontrib-bibtex's ``author_year`` style uses square brackets; life-science
readers expect round ones. Registering the style as a plugin lets ``_config.yml``
select it by name with ``bibtex_reference_style: author_year_round``.
"""

from dataclasses import dataclass, field

import sphinxcontrib.bibtex.plugin
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

from . import __version__


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


def setup(app: Sphinx) -> dict:
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle
    )
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
