"""Every registered exercise: the reference answer passes, each planted wrong
answer gets the feedback it should, and no kind of bad input makes a checker raise."""

import numpy as np
import pytest

from convlab.exercises import EXERCISES, check, load_all, parse_answer
from convlab.exercises.feedback import Feedback

MISSING = load_all()
IDS = sorted(EXERCISES)
PLANTED = [
    (ex_id, i)
    for ex_id in IDS
    for i in range(len(EXERCISES[ex_id].planted))
]


def test_every_listed_chapter_module_exists():
    assert MISSING == [], (
        f"listed in CHAPTER_MODULES but missing: {MISSING}"
    )


def test_every_chapter_registers_exercises():
    from convlab.exercises import CHAPTER_MODULES

    modules = {
        EXERCISES[i].checker.__module__.rsplit(".", 1)[-1] for i in IDS
    }
    assert modules == set(CHAPTER_MODULES) - set(MISSING)


@pytest.mark.parametrize("ex_id", IDS)
def test_reference_answer_is_correct(ex_id):
    verdict = check(ex_id, EXERCISES[ex_id].reference())
    assert isinstance(verdict, Feedback)
    assert verdict.ok, verdict.message


@pytest.mark.parametrize("ex_id,i", PLANTED)
def test_planted_wrong_answer_gets_its_feedback(ex_id, i):
    make_answer, fragment = EXERCISES[ex_id].planted[i]
    verdict = check(ex_id, make_answer())
    assert not verdict.ok, f"planted answer {i} was accepted"
    assert fragment.lower() in verdict.message.lower(), verdict.message


def _raises(*args, **kwargs):
    raise RuntimeError("boom")


BAD_INPUTS = [
    None,
    "abc",
    b"xyz",
    object(),
    [1, [2, 3]],
    np.array([np.nan]),
    _raises,
    lambda *a: None,
    {"a": 1},
    True,
    1e300,
    -1,
]


@pytest.mark.parametrize("ex_id", IDS)
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda b: type(b).__name__)
def test_checker_never_raises_and_rejects_junk(ex_id, bad):
    verdict = check(ex_id, bad)
    assert isinstance(verdict, Feedback)
    assert isinstance(verdict.message, str) and verdict.message
    if bad is None:
        assert not verdict.ok and "no answer yet" in verdict.message.lower()
    if bad is _raises:
        assert not verdict.ok


def test_unknown_exercise_is_explained():
    verdict = check("no-such-exercise", 1)
    assert not verdict.ok and "no exercise called" in verdict.message


@pytest.mark.parametrize(
    "text,value",
    [
        ("2.5", 2.5),
        ("[1, 2, 3]", [1, 2, 3]),
        ("1, 2, 3", [1, 2, 3]),
        ("1 2 3", [1, 2, 3]),
        ("[[1, 0], [0, 1]]", [[1, 0], [0, 1]]),
    ],
)
def test_parse_answer_reads_numbers(text, value):
    parsed, problem = parse_answer(text)
    assert problem is None and parsed == value


@pytest.mark.parametrize("text", ["", "   ", "one two", "[1, 2", None])
def test_parse_answer_explains_unreadable_text(text):
    parsed, problem = parse_answer(text)
    assert parsed is None and not problem.ok
