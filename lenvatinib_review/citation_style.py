"""Sphinx extension: author–year citations in round brackets, "(Jin et al., 2021)".

sphinxcontrib-bibtex's ``author_year`` style uses square brackets; life-science
readers expect round ones. Registering the style as a plugin lets ``_config.yml``
select it by name with ``bibtex_reference_style: author_year_round``.

pybtex looks its plugins up in the installed packages' entry points on every
call, and sphinxcontrib-bibtex calls it for every citation: profiling a full
rebuild put half of its time there. The installed packages do not change during
a build, so the lookup is cached.
"""

import functools
from dataclasses import dataclass, field

import pybtex.plugin

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
    if not hasattr(pybtex.plugin.entry_points, "cache_info"):
        pybtex.plugin.entry_points = functools.lru_cache(maxsize=None)(pybtex.plugin.entry_points)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_round", RoundAuthorYearReferenceStyle
    )
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
