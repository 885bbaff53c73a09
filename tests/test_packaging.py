"""A real package: its wheel holds every module and file the build reads; its pins are the lock's."""

from __future__ import annotations

import re
import tomllib
import zipfile
from email.parser import Parser

from conftest import PACKAGE, ROOT


def package_files() -> set[str]:
    """Every file of the package in the source tree, as a path inside a wheel."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / PACKAGE).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def declared_pins() -> tuple[dict, set[str]]:
    """pyproject.toml's [project] table, and every requirement it declares, optional ones included."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project, {
        *project["dependencies"],
        *(pin for pins in project["optional-dependencies"].values() for pin in pins),
    }


def test_the_wheel_holds_every_module_and_data_file_of_the_package(installed_wheel):
    wheel, _ = installed_wheel
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {name for name in names if name.startswith(f"{PACKAGE}/")}
    expected = package_files()
    assert {f"{PACKAGE}/figures/style.py", f"{PACKAGE}/sphinxext/extra/favicon.ico"} <= expected
    assert expected - shipped == set(), f"missing from the wheel: {sorted(expected - shipped)}"
    assert shipped - expected == set(), f"in the wheel but not in the tree: {sorted(shipped - expected)}"


def test_the_wheel_declares_the_projects_dependencies(installed_wheel):
    wheel, _ = installed_wheel
    project, declared = declared_pins()
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    assert metadata["Summary"] == project["description"]
    required = {re.sub(r";.*", "", requirement).strip() for requirement in metadata.get_all("Requires-Dist")}
    assert required == declared


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_packages_dependencies_are_pinned_as_in_the_lock():
    """pyproject.toml pins what the build imports; requirements.txt (the lock) must pin the same versions."""
    _, declared = declared_pins()
    lock = dict(
        (normalised(name), version)
        for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M)
    )
    for requirement in sorted(declared):
        name, _, version = requirement.partition("==")
        assert version, f"pyproject.toml: {requirement} is not pinned with =="
        assert lock.get(normalised(name)) == version, (
            f"pyproject.toml pins {requirement}, requirements.txt {name}=={lock.get(normalised(name))}"
        )
