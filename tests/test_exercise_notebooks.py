"""The exercise notebooks keep their answers folded and their quizzes and
answer boxes working: checked on the stored files, every notebook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convlab.exercises import validate_questions

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "exercises").glob("*/*-exercises.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_solutions_are_folded_with_their_outputs(nb):
    solutions = [
        c
        for c in _cells(nb)
        if "hide-cell" in c["metadata"].get("tags", [])
    ]
    assert solutions, f"{nb.name} has no solution cells"
    for cell in solutions:
        where = f"{nb.name}, cell {cell['id']}"
        assert cell["metadata"].get("jupyter") == {
            "source_hidden": True,
            "outputs_hidden": True,
        }, f"{where}: fold source and outputs in JupyterLab"
        # JupyterLab shows a folded cell's first line: it must say nothing.
        assert "".join(cell["source"]).split("\n")[0] == "# Solution", where


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_no_widget_answer_boxes_remain(nb):
    meta = json.loads(nb.read_text())["metadata"]
    for cell in _cells(nb):
        src = "".join(cell["source"])
        if "answer_form(" not in src or cell["cell_type"] != "code":
            continue
        data = [o.get("data", {}) for o in cell.get("outputs", [])]
        assert any(
            "convlab-answer" in "".join(d.get("text/html", ""))
            and "ConvlabAnswers.start" in "".join(d.get("text/html", ""))
            for d in data
        ), f"{nb.name}, cell {cell['id']}: no in-page answer box stored"
        assert not any(
            "application/vnd.jupyter.widget-view+json" in d for d in data
        )
    assert "widgets" not in meta, f"{nb.name} still stores widget state"


QUESTION = {"question": "How many?", "type": "numeric"}


@pytest.mark.parametrize(
    "bad,fragment",
    [
        ({"precision": 0}, "precision"),
        ({"precision": 101}, "precision"),
        ({"precision": "3"}, "precision"),
        ({"precision": True}, "precision"),
    ],
)
def test_precision_jupyterquiz_cannot_use_is_rejected(bad, fragment):
    q = dict(
        QUESTION, answers=[{"type": "value", "value": 3, "correct": True}]
    )
    q.update(bad)
    with pytest.raises(ValueError, match=fragment):
        validate_questions([q])


@pytest.mark.parametrize(
    "answer,fragment",
    [
        ({"type": "value", "value": "3", "correct": True}, "finite number"),
        (
            {"type": "value", "value": float("nan"), "correct": True},
            "finite",
        ),
        ({"type": "range", "range": [5, 2], "correct": True}, "low < high"),
        ({"type": "range", "range": [1], "correct": True}, "low < high"),
        ({"type": "exact", "value": 3, "correct": True}, "type"),
        ({"type": "value", "value": 3}, "correct"),
    ],
)
def test_numeric_answers_jupyterquiz_cannot_use_are_rejected(
    answer, fragment
):
    q = dict(QUESTION, answers=[answer])
    with pytest.raises(ValueError, match=fragment):
        validate_questions([q])


def test_choices_need_text_and_feedback():
    q = {
        "question": "Which?",
        "type": "multiple_choice",
        "answers": [{"correct": True, "feedback": "yes"}],
    }
    with pytest.raises(ValueError, match="text"):
        validate_questions([q])


def test_a_valid_numeric_question_passes():
    q = dict(
        QUESTION,
        precision=3,
        answers=[
            {"type": "value", "value": 70400, "correct": True},
            {"type": "range", "range": [0, 10], "correct": False},
            {"type": "default", "feedback": "Count again."},
        ],
    )
    assert validate_questions([q]) == [q]
