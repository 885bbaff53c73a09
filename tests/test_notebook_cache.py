"""A data edit must re-execute the notebooks that read it, although jupyter-cache keys on code only."""

import csv
import re
import shutil

from conftest import ROOT, build_book, write_toc


def shown_count(project, group: str) -> int:
    html = (project / "_build" / "html" / "mechanism-overview.html").read_text(encoding="utf-8")
    match = re.search(rf"{group}\s+(\d+)\n", html)
    assert match, f"{group} is not in the rendered notebook"
    return int(match.group(1))


def test_editing_a_csv_re_executes_the_notebook(project_copy):
    shutil.copy(ROOT / "book" / "notebooks" / "mechanism-overview.ipynb", project_copy)
    write_toc(project_copy, "mechanism-overview")
    path = project_copy / "data" / "mechanisms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    in_file = sum(row[2] == "metabolic-remodelling" for row in rows[1:])

    first = build_book(project_copy)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert shown_count(project_copy, "metabolic-remodelling") == in_file

    extra = next(row for row in rows if row[2] == "metabolic-remodelling")[:]
    extra[0] += "-copy"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(extra)
    second = build_book(project_copy)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert shown_count(project_copy, "metabolic-remodelling") == in_file + 1
