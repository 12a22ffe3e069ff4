"""Structural checks on every stored notebook (nbval checks the outputs themselves)."""

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "book").rglob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").rglob("*.ipynb"))
ALL = [
    p for p in LESSONS + EXERCISES if ".ipynb_checkpoints" not in p.parts
]


def load(path):
    return json.loads(path.read_text())


def ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


def markdown(nb):
    return [
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    ]


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_stored_executed_in_order_without_errors(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "".join(c["source"]).strip()
    ]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        "store the notebook executed top to bottom (make execute NB=...)"
    )
    errors = [
        o.get("ename")
        for c in code
        for o in c["outputs"]
        if o["output_type"] == "error"
    ]
    assert not errors, f"stored error outputs: {errors}"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_no_machine_paths_in_outputs(path):
    text = json.dumps([c.get("outputs", []) for c in load(path)["cells"]])
    for root in {str(ROOT), os.path.expanduser("~"), "/tmp/"}:
        assert root not in text, f"an output shows the machine path {root}"


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_lesson_has_goals_summary_and_exercises_link(path):
    md = markdown(load(path))
    assert re.search(r"learning goals", " ".join(md[:2]), re.I), (
        "state the learning goals at the top"
    )
    assert any(re.search(r"^#+ *summary", m, re.I | re.M) for m in md), (
        "end with a Summary section"
    )
    assert any("exercises/" in m for m in md[-2:]), (
        "point to the chapter's exercises at the end"
    )


@pytest.mark.parametrize("path", EXERCISES, ids=ids(EXERCISES))
def test_exercise_solutions_are_folded(path):
    cells = load(path)["cells"]
    solutions = [
        c for c in cells if "hide-cell" in c["metadata"].get("tags", [])
    ]
    assert solutions, (
        "an exercise notebook has folded solution cells (tag hide-cell)"
    )
    for c in solutions:
        assert (
            c["metadata"].get("jupyter", {}).get("source_hidden") is True
        ), (
            "solution cells are folded in JupyterLab too (metadata jupyter.source_hidden)"
        )
    checks = [
        "".join(c["source"]) for c in cells if c["cell_type"] == "code"
    ]
    assert any("check(" in s for s in checks), (
        "exercises are checked with convlab.exercises.check"
    )


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_quiz_sources_are_hidden(path):
    """A quiz cell's source holds the answers ("correct": True): the HTML shows only the quiz."""
    for i, c in enumerate(load(path)["cells"]):
        if c["cell_type"] == "code" and "show_quiz(" in "".join(
            c["source"]
        ):
            assert "remove-input" in c["metadata"].get("tags", []), (
                f"code cell {i} shows a quiz: tag it remove-input, or the HTML book prints its answers"
            )
            assert (
                c["metadata"].get("jupyter", {}).get("source_hidden")
                is True
            ), (
                f"code cell {i} shows a quiz: fold its source in JupyterLab too (metadata jupyter.source_hidden)"
            )


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_every_figure_has_a_caption_and_alt_text(path):
    """Every figure is a numbered figure (myst-nb's ``mystnb.figure``: a caption
    shown under it and a name to reference it) whose caption is also its alt
    text; the old ``*Figure: ...*`` paragraph after the cell is gone."""
    cells = load(path)["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code" or "nbval-ignore-output" in cell[
            "metadata"
        ].get("tags", []):
            continue
        if any("image/png" in o.get("data", {}) for o in cell["outputs"]):
            mystnb = cell["metadata"].get("mystnb", {})
            figure = mystnb.get("figure", {})
            where = f"code cell {i} draws a figure"
            assert figure.get("caption") and figure.get("name"), (
                f"{where} without a caption: give the cell metadata "
                "mystnb.figure {caption, name} (see CONTRIBUTING.md)"
            )
            assert figure["name"].startswith("fig-"), (
                f"{where} named {figure['name']!r}: names start with 'fig-'"
            )
            assert mystnb.get("image", {}).get("alt"), (
                f"{where} without alt text: run tools/execute_notebooks.py "
                "(it copies the caption into mystnb.image.alt)"
            )
        if cell["cell_type"] == "markdown":
            assert (
                not "".join(cell["source"])
                .lstrip()
                .startswith(("*Figure:", "_Figure:"))
            ), (
                f"markdown cell {i} is an old-style caption: move it into "
                "the figure cell's mystnb.figure.caption"
            )
