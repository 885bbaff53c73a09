"""Sphinx extension: small repairs to the pages the theme stack writes.

Jupyter Book always loads sphinx-thebe (live code cells), sphinx-design and
sphinx-togglebutton. The book has no Thebe launch button, yet every page would
carry the Thebe configuration twice (a script error in the browser) and a
loader that points at a CDN, which an offline reader cannot reach; those
scripts are dropped, and the design and toggle assets are kept only on pages
whose markup uses them.

Docutils writes the bibliography as ``role="list"`` holding entries with the
deprecated ``role="doc-biblioentry"``, so assistive technology finds a list
without items (axe: aria-required-children). The entries are given
``role="listitem"``. Both repairs happen at page-render time and leave the
theme's files untouched.

The theme draws its icons with the whole Font Awesome script (1.5 MB on every
page, most of a page's weight) although the pages use about a dozen icons.
After the build, that script in the output is replaced by one that draws only
the icons the written pages use, with the same paths (Font Awesome Free,
CC BY 4.0).
"""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from . import __version__

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Assets of extensions Jupyter Book always loads, and the page markup that needs them.
OPTIONAL_ASSETS = {
    "sphinx-thebe": None,  # never used: the book has no Thebe launch button
    "THEBE_JS_URL": None,
    "sphinx-design": 'class="sd-',
    "design-tabs": 'class="sd-',
    "togglebutton": "toggle",
}


def is_unused(asset, body: str) -> bool:
    text = str(getattr(asset, "filename", None) or "") + str(getattr(asset, "attributes", {}).get("body", ""))
    return any(marker in text and (needed is None or needed not in body) for marker, needed in OPTIONAL_ASSETS.items())


def drop_unused_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave out scripts and styles of extensions that the page does not use."""
    body = context.get("body", "")
    for key in ("script_files", "css_files"):
        context[key] = [asset for asset in context.get(key, []) if not is_unused(asset, body)]


def repair_bibliography_roles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


ICON_SCRIPT = Path("_static", "scripts", "fontawesome.js")
NOT_ICON_NAMES = {"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-fw", "fa-xs", "fa-sm", "fa-2x"}
ICON_DRAWER = """/* Font Awesome Free icons used by this site (https://fontawesome.com, CC BY 4.0);
   written by lenvatinib_review.sphinx_site instead of the full 1.5 MB script. */
(() => {
  const icons = %s;
  const style = document.createElement("style");
  style.textContent = ".svg-inline--fa{display:inline-block;height:1em;overflow:visible;vertical-align:-.125em}"
    + ".svg-inline--fa.fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.2em}";
  document.head.appendChild(style);
  const draw = () => document.querySelectorAll("i[class*='fa-'], span[class*='fa-']").forEach((element) => {
    const name = [...element.classList].find((c) => icons[c.slice(3)] && c.startsWith("fa-"));
    if (!name) return;
    const [width, height, path] = icons[name.slice(3)];
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    for (const attribute of element.attributes) svg.setAttribute(attribute.name, attribute.value);
    svg.classList.add("svg-inline--fa");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("fill", "currentColor");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    element.replaceWith(svg);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
"""


def icons_used(outdir: Path) -> set[str]:
    names = set()
    for page in outdir.rglob("*.html"):
        for classes in re.findall(r'<(?:i|span) class="([^"]*fa-[^"]*)"', page.read_text(encoding="utf-8")):
            names |= {c[3:] for c in classes.split() if c.startswith("fa-") and c not in NOT_ICON_NAMES}
    return names


def solid_icon_paths(script: str, names: set[str]) -> dict[str, list]:
    """Width, height and path of each named icon in the solid pack of the theme's Font Awesome script."""
    end = script.index('d("fas",p)')
    pack = script[script.rindex("var p={", 0, end):end]
    found = {}
    for name in sorted(names):
        key = f'"{name}"' if not re.fullmatch(r"[a-z_]\w*", name) else rf'(?:"{name}"|\b{name})'
        match = re.search(key + r':\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]', pack)
        if match:
            found[name] = [int(match.group(1)), int(match.group(2)), match.group(3)]
    missing = names - set(found)
    if missing:
        raise ExtensionError(f"icons not found in the theme's Font Awesome script: {', '.join(sorted(missing))}")
    return found


def replace_icon_script(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir, ICON_SCRIPT)
    if not target.is_file() or target.read_text(encoding="utf-8").startswith("/* Font Awesome Free icons used"):
        return
    icons = solid_icon_paths(target.read_text(encoding="utf-8"), icons_used(Path(app.outdir)))
    target.write_text(ICON_DRAWER % json.dumps(icons, sort_keys=True), encoding="utf-8")


LANDING_REDIRECT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{canonical}">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def write_landing_redirect(app: Sphinx, exception) -> None:
    """The site's index.html sends readers to the root page; a complete, valid HTML5 document.

    Runs before sphinx-external-toc, which would otherwise write a bare meta tag there.
    """
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    target = f"{app.config.root_doc}.html"
    Path(app.outdir, "index.html").write_text(
        LANDING_REDIRECT.format(
            title=escape(app.config.html_title), target=target, canonical=escape(app.config.html_baseurl + target)
        ),
        encoding="utf-8",
    )


def refresh_static_copies(app: Sphinx, exception) -> None:
    """Sphinx 7.4 does not overwrite a static file already in the output; copy ours so an edit shows."""
    if exception is None and app.builder.format == "html":
        for source in STATIC_DIR.iterdir():
            shutil.copyfile(source, Path(app.outdir, "_static", source.name))


def setup(app: Sphinx) -> dict:
    app.config.html_static_path.append(str(STATIC_DIR))
    app.connect("build-finished", refresh_static_copies)
    app.add_css_file("book.css")
    app.connect("html-page-context", drop_unused_assets)
    app.connect("html-page-context", repair_bibliography_roles)
    app.connect("build-finished", replace_icon_script)
    app.connect("build-finished", write_landing_redirect, priority=400)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
