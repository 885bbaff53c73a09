"""Author–year citations in round brackets, "(Jin et al., 2021)", and a reference list sorted by author and year.

sphinxcontrib-bibtex's ``author_year`` style uses square brackets; life-science
readers expect round ones. Following sphinxcontrib-bibtex's documented way to
customise a reference style (a dataclass subclass whose fields are brackets and
a person style, registered as a plugin), ``_config.yml`` selects it by name with
``bibtex_reference_style: author_year_round``.

A BibTeX author list that ends in "and others" (the record showed only the
first authors) is cited as "Qin et al., 2024", not "Qin and others, 2024": the
person style's templates drop the "others" and add its ``other`` text.

The bibliography uses the pybtex formatting style ``author_year_reference_list``
(``bibtex_default_style`` in ``_config.yml``): each entry starts with its authors and
year, as the citations name it, and the entries are sorted by first author and year.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pybtex
import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.database import Entry
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import field as entry_field, first_of, optional, tag
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import names, node

STYLE_NAME = "author_year_round"


# Formatted name lists, by everything the formatting reads: each citation of a work formats its
# authors again (about 3,500 times a build, a fifth of the time it takes to write the pages), and
# the names are LaTeX that pybtex decodes on every call.
FORMATTED_NAMES: dict[tuple[str, ...], Text] = {}


@node
def names_with_et_al(children, data, role, **kwargs):
    """sphinxcontrib-bibtex's ``names`` template, reading a trailing BibTeX "others" as "et al."."""
    persons = data["entry"].persons.get(role, [])
    key = (role, repr(sorted(kwargs.items())), repr(data["style"].person), *map(str, persons))
    if key not in FORMATTED_NAMES:
        FORMATTED_NAMES[key] = format_names(persons, data, role, **kwargs)
    return FORMATTED_NAMES[key]


def format_names(persons, data, role, **kwargs):
    entry = data["entry"]
    if not persons or str(persons[-1]) != "others":
        return names(role, **kwargs).format_data(data)
    known = persons[:-1]
    shortened = Entry(entry.type, fields=entry.fields, persons={role: known})
    text = names(role, **kwargs).format_data({**data, "entry": shortened})
    already_shortened = kwargs.get("other") is not None and len(known) > 2
    return text if already_shortened else Text(text, data["style"].person.other)


# What each citation of a work shows before its year, by everything the formatting reads: a work is
# cited about a dozen times a build, and this is most of the time a citation takes to format.
FORMATTED_LEADS: dict[tuple, Text] = {}


@node
def author_or_editor_or_title_with_et_al(children, data, **kwargs):
    """sphinxcontrib-bibtex's ``author_or_editor_or_title`` with :func:`names_with_et_al`.

    A work known by its identifier alone (an abstract read on PubMed Central whose stored
    record showed neither authors nor title) is cited by that identifier, "(PMC9277415)".
    """
    key = (repr(sorted(kwargs.items())), repr(data["style"].person), entry_fingerprint("", data["entry"]))
    if key not in FORMATTED_LEADS:
        FORMATTED_LEADS[key] = format_lead(data, **kwargs)
    return FORMATTED_LEADS[key]


def format_lead(data, **kwargs):
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


# The reference list: author–year entries, sorted by author and year.

REFERENCE_LIST_STYLE = "author_year_reference_list"
IDENTIFIER_LINKS = {
    "doi": ("doi:", "https://doi.org/{}"),
    "pmid": ("PMID: ", "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "pmcid": ("PMCID: ", "https://pmc.ncbi.nlm.nih.gov/articles/{}/"),
}
NO_DATE = "n.d."
LEADING_ARTICLE = re.compile(r"^(a|an|the)\s+", re.IGNORECASE)


def plain_text(latex: str) -> str:
    """A BibTeX field or name as plain text (braces and LaTeX markup removed)."""
    return Text.from_latex(latex).render_as("text")


def sorting_text(text: str) -> str:
    """Text compared case- and accent-insensitively, a leading article ignored (APA 7, 9.44–9.47)."""
    folded = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode().casefold()
    return LEADING_ARTICLE.sub("", folded.strip())


def identifier(entry: Entry) -> str:
    """The first identifier of a work: its PMCID, PMID or DOI."""
    return next((entry.fields[name] for name in ("pmcid", "pmid", "doi") if name in entry.fields), entry.key)


class AuthorYearSorting(BaseSortingStyle):
    """First author's surname, then year ("n.d." first), then title, then key: a total order.

    A work without authors is filed under its title, and one without a title under its identifier.
    """

    def sorting_key(self, entry: Entry) -> tuple[str, tuple[int, str], str, str]:
        authors = [person for person in entry.persons.get("author", []) if str(person) != "others"]
        if authors:
            first = sorting_text(" ".join(authors[0].prelast_names + authors[0].last_names))
        else:
            first = sorting_text(entry.fields.get("title", "")) or identifier(entry).casefold()
        year = entry.fields.get("year", NO_DATE)
        return first, (year != NO_DATE, year), sorting_text(entry.fields.get("title", "")), entry.key


class AuthorYearReferenceList(BaseStyle):
    """Each work as "Authors. (Year). Title. *Journal*, volume(issue), pages. Identifiers.", with links.

    Authors are "Family, I." joined APA-fashion ("A, B, & C"); an author list ending in BibTeX's
    "others" ends in "et al.". A work without authors starts with its title, and one with neither
    with its identifier (a PubMed Central abstract known by its PMCID). Titles are in sentence
    case as pybtex's standard styles print them; a title that stands alone (no journal) is in
    italics. The ``note`` field is not part of the entry: the bibliography shows it on a second
    line (:mod:`.citation_links`).
    """

    default_name_style = "lastfirst"
    default_label_style = "number"
    default_sorting_style = AuthorYearSorting

    def format_entry(self, label: str, entry: Entry, bib_data=None) -> FormattedEntry:
        kept = FORMATTED_BEFORE.get(entry_fingerprint(REFERENCE_LIST_STYLE, entry))
        return FormattedEntry(kept.key, kept.text, label) if kept is not None else self.format_anew(label, entry)

    def format_anew(self, label: str, entry: Entry) -> FormattedEntry:
        fields = entry.fields
        title = Text.from_latex(fields["title"]).capitalize() if "title" in fields else None
        standalone = "journal" not in fields
        if title is not None and standalone:
            title = Tag("em", title)
        authors = self.authors(entry)
        lead = authors or title or Text(identifier(entry))
        blocks = [Text(Text(lead).add_period(), f" ({fields.get('year', NO_DATE)})").add_period()]
        if authors and title is not None:
            blocks.append(Text(title).add_period())
        if not standalone:
            blocks.append(self.source(entry).add_period())
        if "howpublished" in fields:
            blocks.append(Text.from_latex(fields["howpublished"]).add_period())
        links = self.links(entry)
        if links:
            blocks.append(Text(", ").join(links).add_period())
        return FormattedEntry(entry.key, Text(" ").join(blocks), label)

    def authors(self, entry: Entry) -> Text | None:
        persons = entry.persons.get("author", [])
        if not persons:
            return None
        et_al = str(persons[-1]) == "others"
        names = [self.format_name(person, abbr=True).format() for person in persons if str(person) != "others"]
        if et_al:
            return Text(", ").join([*names, Text("et al.")])
        if len(names) == 1:
            return names[0]
        return Text(Text(", ").join(names[:-1]), ", & " if len(names) > 2 else " & ", names[-1])

    def source(self, entry: Entry) -> Text:
        """The journal in italics, then volume(issue) and pages: "*Nature*, 595(7869), 730–734"."""
        fields = entry.fields
        parts = [Tag("em", Text.from_latex(fields["journal"]))]
        if "volume" in fields:
            issue = f"({fields['number']})" if "number" in fields else ""
            parts.append(Text(Text.from_latex(fields["volume"]), issue))
        elif "number" in fields:
            parts.append(Text(f"issue {fields['number']}"))
        if "pages" in fields:
            parts.append(Text(fields["pages"].replace("--", "\u2013")))
        return Text(", ").join(parts)

    def links(self, entry: Entry) -> list[Text]:
        """Links to the work by its identifiers, and its ``url`` when that is another address."""
        links, addresses = [], set()
        for name, (prefix, address) in IDENTIFIER_LINKS.items():
            if name in entry.fields:
                value = entry.fields[name]
                addresses.add(address.format(value))
                links.append(HRef(address.format(value), f"{prefix}{value}"))
        url = entry.fields.get("url")
        if url and url not in addresses and url.rstrip("/") + "/" not in addresses:
            links.append(Text("URL: ", HRef(url, url)))
        return links


# sphinxcontrib-bibtex formats every entry of the bibliography again on every build
# (``BibtexDomain.env_updated``), about a second here, though the previous build's formatted
# entries are in the pickled environment (the domain's ``citations``); it has no setting to keep
# them. Before any page is read again (which drops that page's bibliography from the domain), the
# entries this style formatted last time are kept here, by everything BibTeX holds of the work and
# the code that formatted them: an unchanged work is not formatted again (only its label, its place
# in the list, may change); a changed one, or any change to this module or pybtex, is formatted anew.
FORMATTED_BEFORE: dict[tuple, FormattedEntry] = {}
FORMATTING_CODE = hashlib.sha256(Path(__file__).read_bytes() + pybtex.__version__.encode()).hexdigest()


def entry_fingerprint(style: str, entry: Entry) -> tuple:
    persons = tuple((role, tuple(map(str, people))) for role, people in entry.persons.items())
    return FORMATTING_CODE, style, entry.key, entry.type, tuple(entry.fields.items()), persons


def keep_formatted_entries(app: Sphinx, env, docnames: list[str]) -> None:
    """The entries the last build formatted, kept before any page is read (env-before-read-docs)."""
    domain = env.get_domain("cite")
    FORMATTED_BEFORE.clear()
    for citation in domain.citations:
        bibliography = domain.bibliographies.get(citation.bibliography_key)
        if bibliography is not None:
            key = entry_fingerprint(bibliography.style, citation.entry)
            FORMATTED_BEFORE[key] = citation.formatted_entry


# The plugins a build looks up by name, most of them once for every citation and sort key rendered as
# text (about 2,800 look-ups a build). pybtex scans the installed packages' entry points on every
# look-up that misses its run-time plugins, which took half of a full rebuild's time; registered at
# run time (force: they are the installed plugins themselves), they are found without the scan.
LOOKED_UP_PLUGINS = (
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "text"),
    ("pybtex.backends", "docutils"),
    ("pybtex.database.input", "bibtex"),
)


def register_looked_up_plugins() -> None:
    for group, name in LOOKED_UP_PLUGINS:
        pybtex.plugin.register_plugin(group, name, pybtex.plugin.find_plugin(group, name), force=True)


def register(app: Sphinx) -> None:
    register_looked_up_plugins()
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", STYLE_NAME, RoundAuthorYearReferenceStyle
    )
    pybtex.plugin.register_plugin("pybtex.style.formatting", REFERENCE_LIST_STYLE, AuthorYearReferenceList)
    app.connect("env-before-read-docs", keep_formatted_entries)
