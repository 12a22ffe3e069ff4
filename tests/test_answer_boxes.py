"""The answer boxes and quiz questions of the exercise pages, tested as a
reader uses them, and the page's judge tested against Python's ``check()``.

1. ``test_page_judges_like_check``: every answer box's JavaScript, fed what a
   learner would type for the reference answer, every planted mistake, every
   known diagnosis and a set of typical inputs, gives the verdict and message
   that ``check(id, parse_answer(text))`` gives in Jupyter.
2. ``test_exercise_page_as_a_reader``: on every exercise page of the built
   book, type a right and a wrong answer into every answer box and every
   numeric quiz question, click every multiple-choice question's right and a
   wrong choice, read the feedback; reload and find the progress kept.
3. ``test_progress_on_all_exercises_page``: the "All exercises" page shows
   that progress per chapter, and its button resets it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from book_browser import NARROW, WIDE, open_page

from convlab.exercises import EXERCISES, check, load_all, parse_answer
from convlab.exercises.forms import answer_form
from convlab.exercises.spec import answer_spec

ROOT = Path(__file__).resolve().parent.parent
load_all()


def _notebooks():
    return sorted((ROOT / "exercises").glob("*/*-exercises.ipynb"))


def _box_ids(path):
    ids = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            ids += re.findall(r'answer_form\(\s*"([^"]+)"', src)
    return ids


BOX_IDS = [i for nb in _notebooks() for i in _box_ids(nb)]


def _typed(value) -> str:
    """What a learner types for ``value``."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if hasattr(value, "detach"):
        value = value.detach().numpy()
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return repr(float(arr))
    return json.dumps(arr.tolist())


def _python_verdict(ex_id, kind, text):
    value, problem = parse_answer(text, kind)
    verdict = problem if problem is not None else check(ex_id, value)
    return {"ok": verdict.ok, "message": verdict.message}


TYPICAL = [
    "",
    "hello",
    "70,400",
    "1e-3",
    "1 2 3",
    "[[1, 2], [3, 4]]",
    "[1, [2, 3]]",
    "1e400",
    "[]",
    "[5]",
    "2.5",
    "\u22123",
]


def _cases(ex_id):
    spec = answer_spec(ex_id)
    exercise = EXERCISES[ex_id]
    texts = [_typed(exercise.reference())]
    texts += [_typed(make()) for make, _ in exercise.planted]
    texts += [_typed(c) for c, _ in spec.diagnoses]
    expected = np.asarray(spec.expected, dtype=float)
    if expected.size:
        one_off = expected.copy().ravel()
        one_off[-1] += 0.5 + abs(one_off[-1]) * 1e-3
        texts.append(_typed(one_off.reshape(expected.shape)))
        scaled = expected * 1.1 + 0.25
        texts.append(_typed(scaled))
        texts.append(_typed(expected.ravel()[:1]))
    texts += TYPICAL
    return spec, list(dict.fromkeys(texts))


def test_every_answer_box_has_a_value_spec():
    assert len(BOX_IDS) >= 30, BOX_IDS
    for ex_id in BOX_IDS:
        assert answer_spec(ex_id).kind in ("array", "number")


def test_page_judges_like_check(browser):
    """One page holding every answer box; its judge against Python's."""
    boxes = [answer_form(i) for i in BOX_IDS]
    body = "\n".join(b._repr_html_() for b in boxes)
    context = browser.new_context(viewport=WIDE)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(f"<!doctype html><html><body>{body}</body></html>")
    cases, compared = [], 0
    for ex_id in BOX_IDS:
        spec, texts = _cases(ex_id)
        cases.append((ex_id, spec.to_json(), texts))
    got = page.evaluate(
        "cases => cases.map(([id, spec, texts]) =>"
        " texts.map(t => ConvlabAnswers.judge(spec, t)))",
        cases,
    )
    mismatches = []
    for (ex_id, spec, texts), verdicts in zip(cases, got):
        for text, js in zip(texts, verdicts):
            py = _python_verdict(ex_id, spec["kind"], text)
            compared += 1
            if py != js:
                mismatches.append(f"{ex_id} {text!r}:\n  py {py}\n  js {js}")
    context.close()
    print(f"{len(BOX_IDS)} answer boxes, {compared} typed answers compared")
    assert not errors, errors
    assert not mismatches, "\n".join(mismatches[:20])
