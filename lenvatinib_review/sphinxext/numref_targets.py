"""Numbered references (``{numref}``) resolved with one reading of each target page per build.

Sphinx 7.4's standard domain finds the target of a numbered reference by unpickling the whole
doctree of the page that holds it, once for every reference (``StandardDomain._resolve_numref_xref``
calls ``env.get_doctree``). The book's hundred or so references point at a few long pages (the
data tables, the methods), which cost about 2 s of every full build. Sphinx has no setting for
this; its public hooks are the domain's ``resolve_xref`` and ``add_domain(override=True)``. This
domain hands Sphinx's own resolver an environment whose ``get_doctree`` returns one copy of each
page until the pages are read again or the build ends; the resolver only reads that copy.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment


class TargetPagesReadOnce:
    """The build environment, except that each page's doctree is unpickled once (read-only use)."""

    def __init__(self, env: Any, doctrees: dict[str, nodes.document]) -> None:
        self._env = env
        self._doctrees = doctrees

    def __getattr__(self, name: str) -> Any:
        return getattr(self._env, name)

    def get_doctree(self, docname: str) -> nodes.document:
        if docname not in self._doctrees:
            self._doctrees[docname] = self._env.get_doctree(docname)
        return self._doctrees[docname]


class StandardDomainReadingTargetsOnce(StandardDomain):
    def resolve_xref(
        self, env: BuildEnvironment, fromdocname: str, builder: Builder, typ: str, target: str,
        node: pending_xref, contnode: Element,
    ) -> Element | None:  # fmt: skip
        if typ == "numref":
            env = TargetPagesReadOnce(env, self.__dict__.setdefault("target_pages", {}))
        return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)


def forget_target_pages(app: Sphinx, *args: object) -> None:
    """Drop the copies when the pages may be read again, and when the build ends (their memory)."""
    app.env.get_domain("std").__dict__.pop("target_pages", None)


def register(app: Sphinx) -> None:
    app.add_domain(StandardDomainReadingTargetsOnce, override=True)
    app.connect("env-before-read-docs", forget_target_pages)
    app.connect("build-finished", forget_target_pages)
