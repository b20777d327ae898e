"""Figure files shared by the runs of a notebook (analysis.reporting.pool)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import RunnerError
from analysis.reporting.plan import check_label
from analysis.reporting.pool import collect_garbage, pool_lock, pool_run_files, referenced

SVG = b"<svg>same chart</svg>"


def _stage(out_dir: Path, label: str, files: dict[str, bytes]) -> tuple[Path, dict]:
    """A staged run: ``.staging/<label>/new/<label>/`` with figures, results.json and a notebook."""
    stage_out = out_dir / ".staging" / label / "new" / label
    (stage_out / "figures").mkdir(parents=True)
    figures = []
    for name, data in files.items():
        (stage_out / "figures" / name).write_bytes(data)
        if not name.endswith(".csv"):
            stem = name.rsplit(".", 1)[0]
            csv = f"figures/{stem}.csv" if f"{stem}.csv" in files else None
            figures.append({"name": stem, "file": f"figures/{name}", "data": csv})
    results = {"figures": figures, "main_figure": figures[0]["file"], "results": {}}
    (stage_out / "results.json").write_text(json.dumps(results))
    html = "".join(
        f"<img src='{label}/{f['file']}'><a href='{label}/{f['data']}' download>Data</a>" for f in figures
    )
    nb = {"cells": [{"cell_type": "code", "outputs": [{"data": {"text/html": html, "text/plain": "x"}}]},
                    {"cell_type": "markdown"}]}
    return stage_out, nb


def _swap(out_dir: Path, label: str, stage_out: Path) -> None:
    """Stand-in for the runner's swap: the staged run folder into its final place."""
    stage_out.rename(out_dir / label)
    (out_dir / ".staging" / label / "new").rmdir()


def test_identical_figures_of_two_runs_are_one_file_and_pages_link_it(tmp_path):
    out = tmp_path / "reports" / "02_x"
    s1, nb1 = _stage(out, "default", {"deaths.svg": SVG, "deaths.csv": b"year,n\n2000,1\n",
                                      "cloud.png": b"\x89PNG one"})
    links = pool_run_files(s1, out, "default", nb1)
    _swap(out, "default", s1)
    s2, nb2 = _stage(out, "ppml", {"deaths.svg": SVG, "deaths.csv": b"year,n\n2000,1\n",
                                   "cloud.png": b"\x89PNG two"})
    pool_run_files(s2, out, "ppml", nb2)
    _swap(out, "ppml", s2)
    pooled = sorted(p.name for p in (out / "figures").iterdir())
    assert len(pooled) == 4, pooled  # deaths.svg and .csv once; the two different clouds twice
    assert all(re.fullmatch(r"(deaths|cloud)-[0-9a-f]{12}\.(svg|csv|png)", n) for n in pooled)
    svg_name = links["default/figures/deaths.svg"].split("/")[1]
    assert (out / "figures" / svg_name).read_bytes() == SVG
    html = nb2["cells"][0]["outputs"][0]["data"]["text/html"]
    assert f"src='figures/{svg_name}'" in html and "ppml/figures" not in html
    res = json.loads((out / "ppml" / "results.json").read_text())
    assert res["main_figure"] == f"../figures/{svg_name}"
    assert (out / "ppml" / res["main_figure"]).read_bytes() == SVG  # resolves from the run folder
    assert all((out / "ppml" / f["file"]).is_file() for f in res["figures"])
    assert not (out / "ppml" / "figures").exists()  # nothing left in the run's own folder


def test_garbage_collection_removes_only_unlinked_pooled_files(tmp_path):
    out = tmp_path / "02_x"
    s1, nb1 = _stage(out, "default", {"a.svg": b"<svg>v1</svg>"})
    pool_run_files(s1, out, "default", nb1)
    _swap(out, "default", s1)
    old = {p.name for p in (out / "figures").iterdir() if p.suffix == ".svg"}
    # the same run again with a changed figure: its old file is linked by nobody afterwards
    (out / "default").rename(tmp_path / "gone")
    s2, nb2 = _stage(out, "default", {"a.svg": b"<svg>v2</svg>"})
    pool_run_files(s2, out, "default", nb2)
    # staged but not yet swapped in: its file is linked from the staging folder and kept
    (out / "figures" / "notes.txt").write_text("not a pooled file")
    assert collect_garbage(out) == sorted(old)
    _swap(out, "default", s2)
    new = {p.name for p in (out / "figures").iterdir() if p.suffix == ".svg"}
    assert len(new) == 1 and not (new & old)
    assert referenced(out) == new
    assert collect_garbage(out) == []
    assert (out / "figures" / "notes.txt").is_file()  # only files named like pooled files are removed


def test_garbage_collection_waits_for_no_run_in_progress(tmp_path):
    out = tmp_path / "02_x"
    (out / "figures").mkdir(parents=True)
    orphan = out / "figures" / "a-0123456789ab.svg"
    orphan.write_bytes(b"<svg/>")
    code = (
        "import sys, time; from pathlib import Path; from analysis.reporting.pool import pool_lock\n"
        "with pool_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert collect_garbage(out) is None  # a run of the notebook is in progress: nothing removed
        assert orphan.is_file()
        with pool_lock(out) as held:  # shared locks do not exclude each other
            assert held
    finally:
        holder.kill()
        holder.wait()
    assert collect_garbage(out) == [orphan.name] and not orphan.exists()


def test_the_shared_folder_name_is_not_a_run_label():
    with pytest.raises(RunnerError, match="figure files shared"):
        check_label("figures")
    with pytest.raises(RunnerError, match="figure files shared"):
        check_label("Figures")
    assert check_label("figures2") == "figures2"
