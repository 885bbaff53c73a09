"""For newcomers: a short README with the two commands, and a guide whose `make check` messages are exact."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, rewrite, set_cell

GUIDE = ROOT / "CONTRIBUTING.md"
SHOWN = re.compile(r"<!-- mistake: (\S+) -->\n.*?```text\n(.*?)```", re.S)
NEW_KEY = "doe2026lenvatinib"
NEW_ENTRY = f"""
@article{{{NEW_KEY},
    author = "Doe, Jane",
    title = "A study of lenvatinib",
    journal = "Journal of Examples",
    year = "2026",
    doi = "10.1000/example"
}}
"""
CHECK_SECONDS = 30


def add_entry(book: Path) -> None:
    with (book / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(NEW_ENTRY)


def misgrade(book: Path) -> None:
    set_cell(book, "evidence", 2, "shown_in", "in-vitro")
    set_cell(book, "evidence", 2, "evidence_level", "in-vivo")


# Each mistake of the guide, made in row 2 of a table of a copy of the book.
MISTAKES = {
    "citation-key-not-in-bibliography": lambda book: set_cell(book, "evidence", 2, "citations", NEW_KEY),
    "verification-value-not-allowed": lambda book: set_cell(book, "records", 2, "verification", "partial"),
    "bibliography-entry-without-record": add_entry,
    "evidence-level-not-the-strongest-model": misgrade,
}


def shown_messages() -> dict[str, list[str]]:
    return {name: block.strip().splitlines() for name, block in SHOWN.findall(GUIDE.read_text(encoding="utf-8"))}


def run_check(book: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "lenvatinib_review.check", str(book)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """What `make check` reads: the data, the bibliography and the pages."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "book", tmp_path / "book")
    shutil.copy(ROOT / "references.bib", tmp_path)
    return tmp_path


def test_the_guide_shows_every_mistake_the_tests_make():
    assert sorted(shown_messages()) == sorted(MISTAKES)


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_make_check_prints_the_message_the_guide_shows(book_copy, mistake):
    assert run_check(book_copy).returncode == 0
    MISTAKES[mistake](book_copy)
    result = run_check(book_copy)
    assert result.returncode == 1
    assert result.stdout.splitlines() == shown_messages()[mistake], result.stdout


def test_make_check_passes_on_the_book_within_its_time():
    start = time.perf_counter()
    result = run_check(ROOT)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    assert seconds <= CHECK_SECONDS, f"make check took {seconds:.0f} s"


def test_the_check_reports_a_page_citing_an_unknown_key(book_copy):
    page = book_copy / "book" / "faq.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join([*lines, f"A claim {{cite:p}}`{NEW_KEY}`."]) + "\n", encoding="utf-8")
    result = run_check(book_copy)
    assert result.returncode == 1
    expected = f'book/faq.md, line {len(lines) + 1}: cited key "{NEW_KEY}" is not in references.bib'
    assert result.stdout.splitlines() == [expected]


def test_the_check_reports_an_included_record_missing_from_the_bibliography(book_copy):
    def log_twice(rows):
        rows.insert(2, [NEW_KEY if name == "id" else value for name, value in zip(rows[0], rows[1])])

    rewrite(book_copy / "data" / "records.csv", log_twice)
    result = run_check(book_copy)
    assert result.returncode == 1
    assert f'data/records.csv, row 3, column "id": included, but "{NEW_KEY}" is not in references.bib' in result.stdout


README_LINES = 100


def test_the_readme_is_short_gives_the_two_commands_and_links_what_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_LINES
    (commands,) = re.findall(r"```sh\n(.*?)```", text, re.S)
    assert [line.split("#")[0].strip() for line in commands.splitlines()] == ["make html", "make test"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1] == "make test"
    for link in re.findall(r"\]\(([^)#]+)\)", text):
        assert (ROOT / link).is_file(), f"README.md links {link}, which does not exist"
    assert re.search(r"^check: .*\n\t.*-m lenvatinib_review\.check$", (ROOT / "Makefile").read_text(), re.M)
