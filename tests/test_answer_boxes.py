"""The answer boxes and quiz questions of the exercise pages, tested as a
reader uses them, and the page's judge tested against Python's ``check()``.

1. ``test_page_judges_like_check``: every answer box's JavaScript, fed
   what a learner would type for the reference answer, every planted
   mistake, every known diagnosis and a set of typical inputs, gives the
   verdict and message that ``check(id, parse_answer(text))`` gives.
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
from axe import assert_accessible
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
                mismatches.append(
                    f"{ex_id} {text!r}:\n  py {py}\n  js {js}"
                )
    context.close()
    print(f"{len(BOX_IDS)} answer boxes, {compared} typed answers compared")
    assert not errors, errors
    assert not mismatches, "\n".join(mismatches[:20])


# ---------------------------------------------------------- the built book


def _quiz_questions(path):
    """Every quiz question of an exercise notebook, in page order, as
    ``show_quiz`` stored them (nbval checks the stored output against the
    notebook's code)."""
    questions = []
    for cell in json.loads(path.read_text())["cells"]:
        for out in cell.get("outputs", []):
            js = "".join(
                out.get("data", {}).get("application/javascript", "")
            )
            for found in re.findall(
                r"var questionsquiz\w+=(\[.*?\]);\n", js
            ):
                questions += json.loads(found)
    return questions


def _right_and_wrong(ex_id):
    """A right and a wrong text for an answer box, and Python's verdicts."""
    spec = answer_spec(ex_id)
    right = _typed(EXERCISES[ex_id].reference())
    expected = np.asarray(spec.expected, dtype=float)
    wrong_text = _typed(expected * 1.1 + 0.25)
    verdicts = []
    for text in (wrong_text, right):
        v = _python_verdict(ex_id, spec.kind, text)
        verdicts.append(
            ("\u2714 Correct! " if v["ok"] else "\u2718 Not yet: ")
            + v["message"]
        )
    assert verdicts[1].startswith("\u2714") and verdicts[0].startswith(
        "\u2718"
    )
    return (wrong_text, verdicts[0]), (right, verdicts[1])


def _page_url(site, nb):
    return site + str(nb.relative_to(ROOT).with_suffix(".html"))


def _answer_boxes(page, expect_solved=False):
    """Type a wrong then a right answer into every box; check hints."""
    from convlab.exercises.hinting import hints_for

    forms = page.locator("form.convlab-answer")
    for n in range(forms.count()):
        form = forms.nth(n)
        ex_id = form.get_attribute("data-exercise")
        feedback = form.locator("[data-role='feedback']")
        if expect_solved:
            assert feedback.get_attribute("data-verdict") == (
                "solved-before"
            ), f"{ex_id}: progress not kept ({feedback.inner_text()})"
            continue
        label = form.locator("label")
        box = form.locator("input")
        assert label.get_attribute("for") == box.get_attribute("id")
        assert feedback.get_attribute("aria-live") == "polite"
        (wrong_text, wrong_says), (right_text, right_says) = (
            _right_and_wrong(ex_id)
        )
        box.fill(wrong_text)
        form.locator("[data-role='check']").click()
        assert feedback.inner_text() == wrong_says, ex_id
        box.fill(right_text)
        box.press("Enter")
        assert feedback.inner_text() == right_says, ex_id
        hints = hints_for(ex_id)
        button = form.locator("[data-role='hint']")
        assert button.count() == (1 if hints else 0), ex_id
        for k, text in enumerate(hints, 1):
            button.click()
            items = form.locator("[data-role='hints'] li")
            assert items.count() == k
            assert items.nth(k - 1).inner_text() == (
                f"Hint {k} of {len(hints)}: {text}"
            )
        if hints:
            assert button.is_disabled()
    return forms.count()


def _quiz(page, questions, expect_solved=False):
    """Answer every quiz question wrong, then right; check the feedback."""
    wraps = page.locator(".Quiz")
    assert wraps.count() == len(questions), (
        f"{wraps.count()} quiz questions shown, {len(questions)} written"
    )
    for n, q in enumerate(questions):
        wrap = wraps.nth(n)
        fb = wrap.locator(".Feedback")
        if expect_solved:
            assert wrap.locator("[data-role='solved-before']").count() == 1
            continue
        if q["type"] == "numeric":
            box = wrap.locator("input")
            right = next(a for a in q["answers"] if a.get("correct"))
            value = right.get("value", (right.get("range") or [0])[0])
            box.click()
            box.press_sequentially("987654321")
            box.press("Enter")
            assert "incorrect" in fb.get_attribute("class"), q["question"]
            box.click()
            box.press_sequentially(repr(value))
            box.press("Enter")
            assert "correct" in fb.get_attribute("class").split(), (
                q["question"],
                fb.inner_text(),
            )
            continue
        choices = wrap.locator("label.MCButton")
        wrong_choice = next(
            i for i, a in enumerate(q["answers"]) if not a.get("correct")
        )
        choices.nth(wrong_choice).click()
        assert "incorrect" in fb.get_attribute("class")
        for i, a in enumerate(q["answers"]):
            if a.get("correct"):
                choices.nth(i).click()
                if "$" not in a["feedback"] and "`" not in a["feedback"]:
                    assert a["feedback"].split("<")[0][:30] in (
                        fb.inner_text()
                    )
        assert "correct" in fb.get_attribute("class").split(), q["question"]
    return wraps.count()


# Pages reloaded after answering, to see every solved box and question
# remembered (one per part, and the last); the others skip the reload to
# keep the suite fast.
RELOADED = {"02", "07", "11", "17", "23", "25"}


@pytest.mark.parametrize("nb", _notebooks(), ids=lambda p: p.stem[:2])
def test_exercise_page_as_a_reader(site, browser, nb):
    context, page, log = open_page(browser, _page_url(site, nb))
    questions = _quiz_questions(nb)
    n_boxes = _answer_boxes(page)
    n_quiz = _quiz(page, questions)
    assert n_boxes == len(_box_ids(nb))
    assert_accessible(page, where=f"{nb.stem} after answering")
    if nb.stem[:2] in RELOADED:  # progress survives a reload
        page.reload(wait_until="networkidle")
        _answer_boxes(page, expect_solved=True)
        _quiz(page, questions, expect_solved=True)
    context.close()
    print(f"{nb.stem}: {n_boxes} answer boxes, {n_quiz} quiz questions")
    assert not log["errors"], log["errors"]


def test_progress_on_all_exercises_page(site, browser):
    nb = next(p for p in _notebooks() if p.stem.startswith("02-"))
    ex_id = _box_ids(nb)[0]
    context, page, log = open_page(
        browser, _page_url(site, nb), viewport=NARROW
    )
    total = page.locator("form.convlab-answer").count() + (
        len(_quiz_questions(nb))
    )
    form = page.locator(f"form[data-exercise='{ex_id}']")
    form.locator("input").fill(_right_and_wrong(ex_id)[1][0])
    form.locator("input").press("Enter")
    page.goto(site + "book/exercises.html", wait_until="networkidle")
    badge = page.locator(
        f"[data-role='chapter-progress'][data-page='{nb.stem}']"
    )
    assert badge.inner_text() == f" [1 of {total} solved]"
    badges = page.locator("[data-role='chapter-progress']")
    assert badges.count() == len(_notebooks())
    others = [badges.nth(i).inner_text() for i in range(badges.count())]
    assert others.count(" [not opened yet]") == len(_notebooks()) - 1
    summary = page.locator("[data-role='progress-summary']")
    assert f"solved 1 of {total}" in summary.inner_text()
    page.locator("[data-role='progress-reset']").click()
    assert badge.inner_text() == " [not opened yet]"
    assert summary.inner_text().startswith("Progress reset.")
    page.reload(wait_until="networkidle")
    assert badge.inner_text() == " [not opened yet]"
    context.close()
    assert not log["errors"], log["errors"]
