"""Re-execute the notebooks when what they read changes.

jupyter-cache keys an execution on a notebook's code only, so a notebook that
reads an edited CSV file would be served stale outputs. At ``config-inited``
this module sets myst-nb's documented ``nb_execution_cache_path`` to a folder
named after a fingerprint of exactly what the notebooks read: the CSV files,
the data package descriptor, the bibliography and the package's core modules
that notebooks import (not this Sphinx extension). A changed fingerprint is a
changed config value, so Sphinx re-reads every page and myst-nb executes the
notebooks into the new, empty cache; cache folders of older fingerprints are
removed.

The notebooks find the files themselves: a notebook runs in its own folder
inside the book, and :func:`lenvatinib_review.datapackage.load_package` reads
the data package of the nearest folder above that holds one, which is the
book's; so a notebook opened without the build reads the same files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

from .. import datapackage
from .data_tables import data_paths

PACKAGE_DIR = Path(datapackage.__file__).resolve().parent
# The package's modules (and the figures package) that notebooks import; the Sphinx extension is not among them.
NOTEBOOK_MODULES = (
    "certainty.py",
    "datapackage.py",
    "figure_data.py",
    "figures",
    "pharmacokinetics.py",
    "screening.py",
)
CACHE_PREFIX = "data-"


def notebook_inputs(app: Sphinx) -> list[Path]:
    """Every file whose content a notebook's output can depend on, besides the notebook, in a fixed order."""
    descriptor, bibliography = data_paths(app)
    modules = [PACKAGE_DIR / name for name in NOTEBOOK_MODULES]
    return [
        descriptor,
        bibliography,
        *sorted(descriptor.parent.glob("*.csv")),
        *(path for module in modules for path in (sorted(module.glob("*.py")) if module.is_dir() else [module])),
    ]


def key_cache_on_inputs(app: Sphinx, config) -> None:
    if "nb_execution_cache_path" not in config:  # myst-nb is not loaded: no notebooks
        return
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    current = base / (CACHE_PREFIX + datapackage.fingerprint(notebook_inputs(app))[:16])
    for stale in base.glob(CACHE_PREFIX + "*"):
        if stale != current:
            shutil.rmtree(stale)
    config.nb_execution_cache_path = str(current)


def register(app: Sphinx) -> None:
    app.connect("config-inited", key_cache_on_inputs)
