"""The site as published: built for a project site, which a host serves under a sub-path (a site
on a domain of its own is served at the root).

GitHub Pages serves a project's site at ``https://OWNER.github.io/REPOSITORY/``. The session's
site is built for such an address (``conftest.site_metadata``: CI's Pages address, or a stand-in)
and served here under its sub-path on 127.0.0.1: every link and asset of every page, and every
address in the sitemap and the feed, must resolve there, and nothing the reader or a reference
manager sees may name the local machine. The PDF printed from it is checked in test_pdf.py, and
that the package as its wheel installs it builds the same site, in test_site_quality.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen
from xml.etree import ElementTree

from lenvatinib_review.book_metadata import LOCAL_BASE_URL
from lenvatinib_review.print_edition import PDF_FILE_NAME
from lenvatinib_review.site_check import serve

from conftest import page, parsed, site_metadata, toc_pages

LOCAL_HOST = urlsplit(LOCAL_BASE_URL).hostname
LINKS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))
BASE_URL = site_metadata().base_url
# Where the host serves the site: "lenvatinib-resistance/" for the stand-in; nothing for a custom domain.
PREFIX = urlsplit(BASE_URL).path.lstrip("/")


def test_the_site_is_built_for_a_published_address(built_site: Path):
    metadata = site_metadata()
    root = toc_pages()[0]
    assert not metadata.is_local, BASE_URL
    assert page(built_site, root).find("link", rel="canonical")["href"] == metadata.page_url(root)


def test_nothing_names_the_local_machine(built_site: Path):
    """No page, feed, sitemap or script names 127.0.0.1."""
    naming = [
        str(path.relative_to(built_site))
        for path in sorted(built_site.rglob("*"))
        if path.suffix in {".html", ".xml", ".atom", ".js", ".css", ".txt", ".json"}
        and LOCAL_HOST in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert not naming, f"{LOCAL_HOST} in {naming}"


def local(address: str, server: str) -> str | None:
    """Where a link of the site is served: the base URL's addresses mapped under the sub-path, the server's kept
    (one outside the sub-path is broken, as on a project site); None for any other site."""
    if address.startswith(BASE_URL):
        return f"{server}{PREFIX}{address.removeprefix(BASE_URL)}"
    return address if address.startswith(server) else None


def test_every_link_and_asset_resolves_under_the_sub_path(built_site: Path, tmp_path: Path):
    site = built_site
    root = tmp_path / "served"
    if PREFIX:
        (root / PREFIX).parent.mkdir(parents=True)
        (root / PREFIX).symlink_to(site, target_is_directory=True)
    else:
        root.symlink_to(site, target_is_directory=True)
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
        served = server + PREFIX
        broken = []
        pages = sorted(
            path.relative_to(site).as_posix() for path in site.rglob("*.html") if "_static" not in path.parts
        )
        for name in pages:
            page_address = served + name
            soup = parsed(site / name)
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
