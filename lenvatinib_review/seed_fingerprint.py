"""Store a fingerprint of the source note, so the copy check runs without its prose.

The source note is a source of facts, not of prose: no run of eight consecutive
words of the book may repeat it. The note itself is not part of the repository;
this tool reads it and writes ``tests/seed_fingerprint.json``: the SHA-256 of
every run of eight consecutive words (shingles), after the normalisation of the
project's ``seed_overlap.py`` (lower case; words are runs of a–z, 0–9 and
Greek letters; everything else separates words). No prose is stored.

    .venv/bin/python -m lenvatinib_review.seed_fingerprint PATH/TO/source-document.txt

``tests/test_copy_check.py`` compares the book's prose with the stored hashes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINT = ROOT / "tests" / "seed_fingerprint.json"
WORDS_PER_SHINGLE = 8


def words(text: str) -> list[str]:
    """The normalised words of a text (the normalisation of seed_overlap.py)."""
    return re.findall(r"[a-z0-9α-ω]+", text.lower())


def shingle_hash(shingle: tuple[str, ...] | list[str]) -> str:
    return hashlib.sha256(" ".join(shingle).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = WORDS_PER_SHINGLE) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(position, words) of every run of ``size`` consecutive words."""
    found = words(text)
    for start in range(len(found) - size + 1):
        yield start, tuple(found[start : start + size])


def fingerprint(text: str, size: int = WORDS_PER_SHINGLE) -> dict:
    return {
        "about": f"SHA-256 of every run of {size} consecutive normalised words of the source note "
        "(lenvatinib_review/seed_fingerprint.py); no prose is stored.",
        "words_per_shingle": size,
        "shingles": sorted({shingle_hash(shingle) for _, shingle in shingles(text, size)}),
    }


def copied_passages(text: str, stored: dict) -> list[str]:
    """The passages of ``text`` (merged runs of overlapping shingles) whose shingles are in ``stored``."""
    size = stored["words_per_shingle"]
    hashes = set(stored["shingles"])
    found = words(text)
    hits = [start for start, shingle in shingles(text, size) if shingle_hash(shingle) in hashes]
    passages, start, end = [], None, None
    for position in hits:
        if start is not None and position <= end:
            end = position + size
            continue
        if start is not None:
            passages.append(" ".join(found[start:end]))
        start, end = position, position + size
    if start is not None:
        passages.append(" ".join(found[start:end]))
    return passages


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit(__doc__)
    source = Path(argv[0])
    stored = fingerprint(source.read_text(encoding="utf-8", errors="replace"))
    FINGERPRINT.write_text(json.dumps(stored, indent=0) + "\n", encoding="utf-8")
    print(f"{FINGERPRINT.relative_to(ROOT)}: {len(stored['shingles'])} shingle hashes")


if __name__ == "__main__":
    main(sys.argv[1:])
