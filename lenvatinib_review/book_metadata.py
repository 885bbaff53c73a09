"""How to cite the book and each chapter, generated from ``CITATION.cff`` alone.

``CITATION.cff`` is the one place for the title, authors, version, release date,
licence, repository and DOI. Everything a reader or a reference manager sees
(the "Cite this chapter" block, the BibTeX, the Highwire ``citation_*`` and
OpenGraph meta tags, ``.zenodo.json``) is derived here, so they cannot disagree.

Authors are persons (``given-names``, ``family-names``, optionally ``name-particle``
and ``name-suffix``) or an entity (``name``, for example a group). Reference
managers split a name into family and given names: a person is written
"Family, Given" wherever a reader splits names (meta tags, BibTeX), so the split
is the intended one; an entity is kept whole where the format allows it (braces in
BibTeX) and written with a trailing comma in ``citation_author``, which Zotero's
Embedded Metadata translator reads as a family name with no given name (no
combination of Highwire, Dublin Core or PRISM tags gives it a single-field
name; see the README).

The hosted address is not known until the site is deployed: the deploy workflow
passes it in ``BOOK_BASE_URL``; a local build uses the address of the local
preview server, so links in a local build point at the local copy.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from .datapackage import REPOSITORY_ROOT

CITATION_FILE_NAME = "CITATION.cff"
CITATION_FILE = REPOSITORY_ROOT / CITATION_FILE_NAME
BASE_URL_VARIABLE = "BOOK_BASE_URL"
LOCAL_BASE_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class Creator:
    """An author of ``CITATION.cff``: a person, or an entity named whole."""

    name: str | None = None
    given: str | None = None
    family: str | None = None
    particle: str | None = None
    suffix: str | None = None

    @classmethod
    def from_cff(cls, author: dict) -> Creator:
        if "name" in author:
            return cls(name=str(author["name"]))
        return cls(
            given=author.get("given-names"),
            family=author.get("family-names"),
            particle=author.get("name-particle"),
            suffix=author.get("name-suffix"),
        )

    @property
    def is_entity(self) -> bool:
        return self.name is not None

    @property
    def family_name(self) -> str:
        """The family name with its particle ("van Gogh")."""
        return " ".join(part for part in (self.particle, self.family) if part)

    def display(self) -> str:
        """As printed in a reference: "Jane van Doe Jr." or the entity's name."""
        if self.is_entity:
            return self.name
        return " ".join(part for part in (self.given, self.family_name, self.suffix) if part)

    def inverted(self) -> str:
        """ "van Doe, Jane" (a person, as reference managers split it) or the entity's name."""
        if self.is_entity:
            return self.name
        return ", ".join(part for part in (self.family_name, self.given) if part)

    def highwire(self) -> str:
        """The ``citation_author`` value: a person inverted; an entity with a trailing comma.

        Zotero (and readers that follow Google Scholar's "Last, First" convention) split a
        name at its comma, else at its last space; a trailing comma leaves the entity's
        name whole, as the family name with an empty given name.
        """
        return f"{self.name}," if self.is_entity else self.inverted()

    def bibtex(self) -> str:
        """BibTeX name: "van Doe, Jr., Jane" for a person; the entity in braces, never split."""
        if self.is_entity:
            return "{" + self.name + "}"
        parts = [self.family_name] + ([self.suffix] if self.suffix else []) + ([self.given] if self.given else [])
        return ", ".join(parts)


def apa_initials(given: str) -> str:
    """ "Mary Ann" -> "M. A.", "Jean-Paul" -> "J.-P." (APA 7, section 9.8)."""
    return " ".join("-".join(f"{part[0]}." for part in name.split("-") if part) for name in given.split())


def apa_name(creator: Creator) -> str:
    """ "van Berg, M. A., Jr." for a person; an entity's name as it is."""
    if creator.is_entity:
        return creator.name
    given = apa_initials(creator.given) if creator.given else ""
    return ", ".join(part for part in (creator.family_name, given, creator.suffix) if part)


def apa_authors(creators: tuple[Creator, ...]) -> str:
    """The author element of an APA 7 reference: "A", "A, & B", "A, B, & C"; past 20, the first 19, "…", the last."""
    names = [apa_name(creator) for creator in creators]
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


@dataclass(frozen=True)
class BookMetadata:
    title: str
    authors: tuple[str, ...]
    version: str
    released: date
    license: str
    abstract: str
    keywords: tuple[str, ...]
    base_url: str
    repository: str | None = None
    doi: str | None = None
    creators: tuple[Creator, ...] = ()

    @classmethod
    def load(cls, path: Path = CITATION_FILE, base_url: str | None = None) -> BookMetadata:
        cff = yaml.safe_load(path.read_text(encoding="utf-8"))
        base = base_url or os.environ.get(BASE_URL_VARIABLE) or cff.get("url") or LOCAL_BASE_URL
        return cls(
            title=cff["title"],
            authors=tuple(Creator.from_cff(author).display() for author in cff["authors"]),
            creators=tuple(Creator.from_cff(author) for author in cff["authors"]),
            version=str(cff["version"]),
            released=date.fromisoformat(str(cff["date-released"])),
            license=cff["license"],
            abstract=" ".join(cff.get("abstract", "").split()),
            keywords=tuple(cff.get("keywords", ())),
            base_url=base if base.endswith("/") else base + "/",
            repository=cff.get("repository-code"),
            doi=cff.get("doi"),
        )

    @property
    def is_local(self) -> bool:
        """Built without a published address: the pages name the local preview server's."""
        return self.base_url == LOCAL_BASE_URL

    def page_url(self, docname: str) -> str:
        return f"{self.base_url}{docname}.html"

    @property
    def publisher(self) -> str:
        """The book is published by its authors (no publishing house): their names, as on the title page."""
        return "; ".join(self.authors)

    def reference_parts(self, docname: str, chapter: str | None = None) -> list[tuple[str, str]]:
        """An APA 7 reference as (text, kind) parts: kind "" plain, "title" in italics, "link" an address.

        "Authors. (2026, November 28). Chapter. In *Book* (Version 0.2.0) [Online book]. URL" for a
        chapter, "Authors. (2026, November 28). *Book* (Version 0.2.0) [Online book]. URL" for the
        book (its DOI, once there is one, instead of the address). The publisher is left out because
        it is the author (APA 7, section 9.29).
        """
        authors = apa_authors(self.creators)
        date = f"{self.released.year}, {self.released.strftime('%B')} {self.released.day}"
        parts = [(f"{authors}{'' if authors.endswith('.') else '.'} ({date}). ", "")]
        if chapter:
            parts.append((f"{chapter}{'' if chapter.endswith(('.', '?', '!')) else '.'} In ", ""))
        parts += [(self.title, "title"), (f" (Version {self.version}) [Online book]. ", "")]
        address = f"https://doi.org/{self.doi}" if self.doi and not chapter else self.page_url(docname)
        return [*parts, (address, "link")]

    def reference(self, docname: str, chapter: str | None = None) -> str:
        """The APA 7 reference (:meth:`reference_parts`) as plain text."""
        return "".join(text for text, _ in self.reference_parts(docname, chapter))

    def bibtex(self, docname: str, chapter: str | None = None) -> str:
        """A BibTeX entry for the chapter (``@incollection``) or the book (``@book``).

        Standard BibTeX styles have no version field; the version is the ``edition``, which they
        print as "0.2.0 edition" (and CSL processors as the edition), as Zotero stores it from the
        ``prism.edition`` meta tag. ``month`` is BibTeX's month macro.
        """
        key = "lenvatinib-resistance-" + (re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-") if chapter else "book")
        fields = [("author", "{" + " and ".join(creator.bibtex() for creator in self.creators) + "}")]
        if chapter:
            fields += [("title", "{" + chapter + "}"), ("booktitle", "{" + self.title + "}")]
        else:
            fields += [("title", "{" + self.title + "}")]
        fields += [
            ("publisher", "{" + self.publisher + "}"),
            ("edition", "{" + self.version + "}"),
            ("year", "{" + str(self.released.year) + "}"),
            ("month", self.released.strftime("%b").lower()),
            ("url", "{" + self.page_url(docname) + "}"),
        ]
        if self.doi:
            fields.append(("doi", "{" + self.doi + "}"))
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        return f"@{'incollection' if chapter else 'book'}{{{key},\n{body}\n}}"

    def meta_tags(self, docname: str, chapter: str | None = None, description: str = "") -> list[tuple[str, str, str]]:
        """(attribute, name, content) triples: Highwire Press, Dublin Core, PRISM, description, OpenGraph.

        ``description`` describes the page (its first paragraph); without one, the book's abstract.
        A chapter's ``citation_abstract`` is its description; the book's is the abstract.
        """
        description = description or self.abstract
        tags = [("name", "citation_title", chapter or self.title)]
        authors = [creator.highwire() for creator in self.creators]
        sole = self.creators[0] if len(self.creators) == 1 else None
        if sole and not sole.is_entity and " " in sole.family_name and " " in (sole.given or ""):
            # A sole "van Doe, Mary Ann" would be read as two authors, "van Doe" and "Mary Ann";
            # a closing semicolon (the author-list separator) keeps it one name.
            authors = [authors[0] + ";"]
        tags += [("name", "citation_author", author) for author in authors]
        tags += [("name", "citation_publication_date", self.released.strftime("%Y/%m/%d"))]
        if chapter:
            tags.append(("name", "citation_inbook_title", self.title))
        tags += [("name", "citation_public_url", self.page_url(docname)), ("name", "citation_language", "en")]
        tags += [("name", "citation_abstract", description if chapter else self.abstract)]
        # Zotero fills its edition field from PRISM and its rights field from Dublin Core.
        tags += [("name", "prism.edition", self.version), ("name", "DC.rights", self.license)]
        if self.doi:
            tags.append(("name", "citation_doi", self.doi))
        tags += [
            ("name", "description", description),
            ("property", "og:title", chapter or self.title),
            ("property", "og:type", "article" if chapter else "book"),
            ("property", "og:url", self.page_url(docname)),
            ("property", "og:site_name", self.title),
            ("property", "og:description", description),
        ]
        return tags

    def zenodo(self) -> dict:
        """The archive metadata Zenodo reads on a release (it ignores CITATION.cff once this exists)."""
        record = {
            "title": self.title,
            "description": self.abstract,
            "creators": [{"name": creator.inverted()} for creator in self.creators],
            "version": self.version,
            "publication_date": self.released.isoformat(),
            "license": {"id": self.license.lower()},
            "keywords": list(self.keywords),
            "upload_type": "publication",
            "publication_type": "book",
        }
        if self.doi:
            record["doi"] = self.doi
        return record


def zenodo_json(metadata: BookMetadata | None = None) -> str:
    return json.dumps((metadata or BookMetadata.load()).zenodo(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    Path(REPOSITORY_ROOT, ".zenodo.json").write_text(zenodo_json(), encoding="utf-8")
