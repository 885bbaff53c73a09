"""A data edit must re-execute the notebooks that read it, although jupyter-cache keys on code only."""

import csv
import re
import shutil

from conftest import ROOT, build_book, write_toc


def rendered(project) -> str:
    return (project / "_build" / "html" / "mechanism-overview.html").read_text(encoding="utf-8")


def test_editing_a_csv_re_executes_the_notebook(project_copy):
    shutil.copy(ROOT / "book" / "notebooks" / "mechanism-overview.ipynb", project_copy)
    write_toc(project_copy, "mechanism-overview")
    first = build_book(project_copy)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert re.search(r"metabolic-remodelling\s+1\n", rendered(project_copy))

    path = project_copy / "data" / "mechanisms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    extra = rows[rows.index(next(r for r in rows if r[0] == "phgdh-serine"))][:]
    extra[0] = "phgdh-serine-copy"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(extra)

    second = build_book(project_copy)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert re.search(r"metabolic-remodelling\s+2\n", rendered(project_copy))
