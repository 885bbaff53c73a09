"""The site as published: built for a project site under a sub-path, from the package as its wheel installs it.

GitHub Pages serves a project's site at ``https://OWNER.github.io/REPOSITORY/``. The book is
built here with such a base URL, from a copy of its sources without the package (which comes
from ``pip install`` of its wheel), then served under that sub-path on 127.0.0.1: every link
and asset of every page, and every address in the sitemap and the feed, must resolve there, and
nothing the reader or a reference manager sees may name the local machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin
from urllib.request import urlopen
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from lenvatinib_review.book_metadata import BASE_URL_VARIABLE
from lenvatinib_review.print_edition import PDF_FILE_NAME, print_document
from lenvatinib_review.site_check import serve

from conftest import PACKAGE, ROOT, build_book, toc_pages

SUB_PATH = "lenvatinib-resistance"
BASE_URL = f"https://owner.github.io/{SUB_PATH}/"
LOCAL_HOST = "127.0.0.1"
LINKS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))


@pytest.fixture(scope="module")
def hosted_site(built_site, installed_wheel, tmp_path_factory) -> tuple[Path, Path]:
    """(the sources, the site) of a build for BASE_URL with the installed wheel; notebooks from the session's cache."""
    _, installed = installed_wheel
    sources = tmp_path_factory.mktemp("hosted") / "sources"
    shutil.copytree(ROOT, sources, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", PACKAGE))
    shutil.copytree(ROOT / "_build" / ".jupyter_cache", sources / "_build" / ".jupyter_cache")
    environment = {"PYTHONPATH": str(installed), BASE_URL_VARIABLE: BASE_URL}
    where = subprocess.run(
        [sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
        cwd=sources,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed)), f"the build would import {where}, not the wheel's package"
    result = build_book(sources, environment)
    assert result.returncode == 0, f"hosted build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return sources, sources / "_build" / "html"


def test_nothing_names_the_local_machine(hosted_site, monkeypatch):
    """No page, feed, sitemap or script names 127.0.0.1, nor does the document the PDF is printed from."""
    sources, site = hosted_site
    naming = [
        str(path.relative_to(site))
        for path in sorted(site.rglob("*"))
        if path.suffix in {".html", ".xml", ".atom", ".js", ".css", ".txt", ".json"}
        and LOCAL_HOST in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not naming, f"{LOCAL_HOST} in {naming}"
    for docname in toc_pages(sources):
        soup = BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
        assert soup.select_one(".cite-local") is None, f"{docname} says it is a local build"
        assert BASE_URL + docname + ".html" in soup.select_one(".cite-this").get_text()

    monkeypatch.setenv(BASE_URL_VARIABLE, BASE_URL)
    printed = str(print_document(site, sources))
    assert LOCAL_HOST not in printed and BASE_URL in printed


def local(address: str, server: str) -> str | None:
    """Where a link of the site is served: the base URL's addresses mapped under the sub-path, the server's kept
    (one outside the sub-path is broken, as on a project site); None for any other site."""
    if address.startswith(BASE_URL):
        return f"{server}{SUB_PATH}/{address.removeprefix(BASE_URL)}"
    return address if address.startswith(server) else None


def test_every_link_and_asset_resolves_under_the_sub_path(hosted_site):
    _, site = hosted_site
    root = site.parent / "served"
    (root / SUB_PATH).parent.mkdir(exist_ok=True)
    shutil.copytree(site, root / SUB_PATH)
    checked: dict[str, int] = {}

    def status(address: str) -> int:
        if address not in checked:
            try:
                with urlopen(address, timeout=30) as response:
                    checked[address] = response.status
            except HTTPError as error:
                checked[address] = error.code
        return checked[address]

    with serve(root) as server:
        served = server + SUB_PATH + "/"
        broken = []
        pages = sorted(
            path.relative_to(site).as_posix() for path in site.rglob("*.html") if "_static" not in path.parts
        )
        for name in pages:
            page_address = served + name
            soup = BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")
            for tag, attribute in LINKS:
                for element in soup.find_all(tag, attrs={attribute: True}):
                    target = local(urldefrag(urljoin(page_address, element[attribute])).url, server)
                    # `make pdf` writes the PDF into the site after the build; tests/test_pdf.py checks it.
                    if target and not target.endswith(PDF_FILE_NAME) and status(target) != 200:
                        broken.append(f"{name}: {element[attribute]} ({status(target)})")
        sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
        feed = (site / "whats-new.atom").read_text(encoding="utf-8")
        addresses = [element.text for element in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        addresses += re.findall(r'href="([^"]+)"', feed)
        assert addresses and all(address.startswith(BASE_URL) for address in addresses), addresses
        for address in addresses:
            if status(local(urldefrag(address).url, server)) != 200:
                broken.append(f"sitemap or feed: {address}")
    assert len(checked) > len(pages), "too few links were checked"
    assert not broken, "\n".join(broken)
