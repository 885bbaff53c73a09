"""No passage of the source note is copied into the book, checked without the note's prose.

``tests/seed_fingerprint.json`` holds hashes of every eight-word run of the source note
(``lenvatinib_review/seed_fingerprint.py``); the book's prose (pages, notebooks' markdown, data cells)
must share none of them. The check needs nothing outside the repository.
"""

from __future__ import annotations

import json
import shutil

from lenvatinib_review.seed_fingerprint import FINGERPRINT, copied_passages, fingerprint

from conftest import ROOT, prose_sources


def copies(root, stored: dict) -> dict[str, list[str]]:
    found = {}
    for path, text in prose_sources(root, data=True).items():
        passages = copied_passages(text, stored)
        if passages:
            found[str(path.relative_to(root))] = passages
    return found


def test_no_passage_of_the_source_note_is_copied():
    stored = json.loads(FINGERPRINT.read_text(encoding="utf-8"))
    assert stored["words_per_shingle"] == 8 and len(stored["shingles"]) > 500
    found = copies(ROOT, stored)
    assert not found, f"rewrite these passages in your own words (facts and figures may stay): {found}"


def test_a_planted_passage_is_found(tmp_path):
    """A copy of the book with eight words of a (made-up) source planted in a page, a notebook and a CSV cell."""
    source = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi."
    stored = fingerprint(source)
    copy = tmp_path / "book-copy"
    shutil.copytree(ROOT / "book", copy / "book")
    shutil.copytree(ROOT / "data", copy / "data")
    assert copies(copy, stored) == {}

    page = copy / "book" / "faq.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nThey said: *gamma, delta* epsilon zeta eta theta iota KAPPA.\n"
    )
    notebook = next((copy / "book" / "notebooks").glob("*.ipynb"))
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    cells["cells"].append(
        {
            "cell_type": "markdown",
            "id": "planted",
            "metadata": {},
            "source": ["alpha beta gamma delta\n", "epsilon zeta eta theta"],
        }
    )
    notebook.write_text(json.dumps(cells), encoding="utf-8")
    table = copy / "data" / "workflows.csv"
    table.write_text(
        table.read_text(encoding="utf-8")
        + 'x,1,screen,"nu xi omicron pi, lambda mu"\n'
        + 'y,2,screen,"Iota-kappa lambda mu nu xi omicron pi"\n',
        encoding="utf-8",
    )

    found = copies(copy, stored)
    assert found.pop("book/faq.md") == ["gamma delta epsilon zeta eta theta iota kappa"]
    assert found.pop(str(notebook.relative_to(copy))) == ["alpha beta gamma delta epsilon zeta eta theta"]
    assert found.pop("data/workflows.csv") == ["iota kappa lambda mu nu xi omicron pi"]
    assert found == {}


def test_seven_words_are_not_a_copy():
    stored = fingerprint("one two three four five six seven eight nine")
    assert copied_passages("one two three four five six seven", stored) == []
    assert copied_passages("x one two three four five six seven eight y", stored) == [
        "one two three four five six seven eight"
    ]
