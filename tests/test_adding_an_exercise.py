"""Adding an exercise the way CONTRIBUTING.md says works.

In a temporary copy of the library, the test follows the documented steps
for a new chapter's checker: a new module in ``lib/convlab/exercises/``
registered in ``CHAPTER_MODULES``, its hint in ``hints.py``, and a notebook
cell calling ``check``. It then runs that cell in a kernel that imports the
copy, with a right and a wrong answer, and runs the suite's registry tests
(every planted mistake diagnosed, every exercise hinted) on the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

CHECKER = '''"""Checkers for a throw-away chapter (a test).

Exercise ids:

* ``new-answer``   six times seven
"""

from __future__ import annotations

from .compare import compare_number
from .registry import register


@register(
    "new-answer",
    reference=lambda: 42,
    planted=[(lambda: 24, "swapped")],
)
def check_new_answer(answer):
    return compare_number(
        answer, 42, [(24, "you swapped the two digits.")]
    )
'''


def _check_in_a_notebook(lib: Path, answers) -> list[str]:
    """Run one ``check("new-answer", ...)`` cell per answer; their text."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from convlab.exercises import check")
    ] + [
        nbformat.v4.new_code_cell(f'check("new-answer", {a!r})')
        for a in answers
    ]
    env = dict(os.environ, PYTHONPATH=str(lib))
    client = NotebookClient(nb, timeout=60, kernel_name="python3")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = env["PYTHONPATH"]  # the kernel inherits it
    try:
        client.execute()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    return [
        "".join(o["data"]["text/plain"] for o in cell.outputs)
        for cell in nb.cells[1:]
    ]


def test_a_new_exercise_added_the_documented_way(tmp_path):
    lib = tmp_path / "lib"
    shutil.copytree(
        ROOT / "lib" / "convlab",
        lib / "convlab",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    exercises = lib / "convlab" / "exercises"

    # Step 1: the checker module. Not registered yet: not found.
    (exercises / "throwaway_chapter.py").write_text(CHECKER)
    (before,) = _check_in_a_notebook(lib, [42])
    assert "there is no exercise called 'new-answer'" in before

    # Step 2: register the module in CHAPTER_MODULES (course order).
    init = exercises / "__init__.py"
    text = init.read_text()
    listing = re.search(r"CHAPTER_MODULES[^=]*= \((.*?)\n\)", text, re.S)
    assert listing, "CHAPTER_MODULES is no longer a tuple literal"
    end = listing.end(1)
    init.write_text(text[:end] + '\n    "throwaway_chapter",' + text[end:])

    # Step 3: its hint.
    hints = exercises / "hints.py"
    text = hints.read_text().rstrip()
    assert text.endswith("}")
    hints.write_text(
        text[:-1] + '    "new-answer": ("Six rows of seven seats.",),\n}\n'
    )

    # Step 4: the notebook cell, with a right and a wrong answer.
    right, wrong, empty = _check_in_a_notebook(lib, [42, 24, None])
    assert right.startswith("Correct!"), right
    assert wrong == "Not yet: you swapped the two digits.", wrong
    assert empty.startswith("Not yet: no answer yet"), empty

    # Step 5: the suite's registry tests accept it (planted mistakes,
    # bad inputs, hints) when they run against the copy.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:xdist"]
        + ["-k", "new-answer or one_to_three or listed_chapter"]
        + [str(ROOT / "tests" / "test_hints.py")]
        + [str(ROOT / "tests" / "test_exercises.py")],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(lib)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    for name in (
        "test_reference_answer_is_correct[new-answer] PASSED",
        "test_planted_wrong_answer_gets_its_feedback[new-answer-0] PASSED",
        "test_no_hint_gives_the_answer[new-answer] PASSED",
        "test_every_exercise_has_one_to_three_hints PASSED",
    ):
        assert name in result.stdout, result.stdout[-3000:]
