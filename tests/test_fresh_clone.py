"""The repository stands on its own: a clone with nothing beside it collects the whole suite."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def git(*arguments: str, cwd=ROOT) -> str:
    # safe.directory: in CI containers the checkout belongs to another user than the tests.
    command = ["git", "-c", "safe.directory=*", *arguments]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def test_a_fresh_clone_alone_collects_every_test(tmp_path):
    """Clone the current commit into an empty folder and collect the suite there, with its own package."""
    commit = git("rev-parse", "HEAD")
    clone = tmp_path / "alone" / "lenvatinib-resistance"
    git("clone", "--quiet", "--no-checkout", str(ROOT), str(clone))
    git("checkout", "--quiet", "--detach", commit, cwd=clone)
    assert sorted(path.name for path in clone.parent.iterdir()) == ["lenvatinib-resistance"]

    environment = {**os.environ, "PYTHONPATH": str(clone)}  # the clone's package, not this tree's
    for name in ("LENVATINIB_REVIEW_DATAPACKAGE", "LENVATINIB_REVIEW_BIBLIOGRAPHY"):
        environment.pop(name, None)
    where = subprocess.run(
        [sys.executable, "-c", "import lenvatinib_review; print(lenvatinib_review.__file__)"],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(clone)), where
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    collected = re.search(r"(\d+) tests? collected", result.stdout)
    assert collected and int(collected.group(1)) > 100, result.stdout[-500:]


def test_no_test_refers_to_anything_outside_the_repository():
    for path in sorted((ROOT / "tests").glob("*.py")) + sorted((ROOT / "tools").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.\./shared|ROOT\.parent|parent\.parent\.parent", text), f"{path.name} reaches outside"


def imported_names(path: Path) -> set[str]:
    """The top-level names of the modules a Python file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_tests_and_tools_share_code_only_through_the_package():
    tests = sorted((ROOT / "tests").glob("*.py"))
    tools = sorted((ROOT / "tools").glob("*.py"))
    for path in tests:
        assert not imported_names(path) & {tool.stem for tool in tools}, f"{path.name} imports from tools/"
    for path in tools:
        assert not imported_names(path) & ({test.stem for test in tests} | {"tests"}), f"{path.name} imports tests"
