"""Every registered exercise has one to three hints, and no hint gives the
answer away (``lib/convlab/exercises/hints.py``)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from convlab.exercises import EXERCISES, load_all
from convlab.exercises.hints import HINTS

load_all()

# A number as a hint may write it: 1,049,600 or 1049600 or 0.7 or -1.
_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
# Small whole numbers are often part of a question (a 3x3 kernel, stride 2);
# for them only the whole answer, in order, counts as a give-away.
SMALL = 12


def _numbers(text: str) -> list[tuple[float, int]]:
    """Every number in ``text`` as (value, number of decimals)."""
    found = []
    for token in _NUMBER.findall(text):
        token = token.replace(",", "")
        decimals = len(token.split(".")[1]) if "." in token else 0
        found.append((float(token), decimals))
    return found


def _answer_values(answer) -> list[float]:
    """The numbers of a reference answer, flattened, in order."""
    if isinstance(answer, (bool, np.bool_)):
        return []
    if isinstance(answer, (int, float, np.integer, np.floating)):
        return [float(answer)]
    if isinstance(answer, np.ndarray):
        return [float(v) for v in answer.ravel()]
    if isinstance(answer, (list, tuple)):
        return [v for item in answer for v in _answer_values(item)]
    return []


def give_aways(answer, hint: str) -> list[str]:
    """What in ``hint`` reveals ``answer`` (empty when nothing does)."""
    values = _answer_values(answer)
    numbers = _numbers(hint)
    found = []
    for v in values:
        whole = float(v).is_integer()
        if whole and abs(v) <= SMALL:
            continue
        for x, decimals in numbers:
            if whole and x == v:
                found.append(f"{v:g}")
            elif (
                not whole
                and decimals >= 1
                and math.isclose(round(v, decimals), x, abs_tol=1e-12)
            ):
                found.append(f"{v!r} (as {x})")
    # An answer made of several small numbers: its sequence, in order.
    if len(values) >= 2:
        seq = [x for x, _ in numbers]
        n = len(values)
        for i in range(len(seq) - n + 1):
            if seq[i : i + n] == values:
                found.append(f"the sequence {values}")
    elif len(values) == 1 and float(values[0]).is_integer():
        v = int(values[0])
        pattern = rf"(?:=|\bis|\bare|\bequals|\bgives)\s+{v}(?!\d|\.\d)"
        if re.search(pattern, hint):
            found.append(f"'... {v}'")
    return found


def test_every_exercise_has_one_to_three_hints():
    assert load_all() == []
    missing = sorted(set(EXERCISES) - set(HINTS))
    assert not missing, f"exercises without hints: {missing}"
    unknown = sorted(set(HINTS) - set(EXERCISES))
    assert not unknown, f"hints for exercises that do not exist: {unknown}"
    for exercise_id, hints in HINTS.items():
        assert isinstance(hints, tuple), exercise_id
        assert 1 <= len(hints) <= 3, (exercise_id, len(hints))
        for text in hints:
            assert isinstance(text, str) and len(text.strip()) >= 20, (
                exercise_id,
                text,
            )
        assert len(set(hints)) == len(hints), f"{exercise_id}: repeated"


@pytest.mark.parametrize("exercise_id", sorted(HINTS))
def test_no_hint_gives_the_answer(exercise_id):
    answer = EXERCISES[exercise_id].reference()
    if callable(answer):
        # A "write a function" exercise: a hint may describe the key step,
        # but never hands over a whole solution.
        for text in HINTS[exercise_id]:
            assert "def " not in text and "lambda" not in text, text
        return
    for text in HINTS[exercise_id]:
        leaks = give_aways(answer, text)
        assert not leaks, f"{exercise_id}: hint {text!r} gives {leaks}"


@pytest.mark.parametrize(
    "answer, hint, leaks",
    [
        (1049600, "It has 1,049,600 parameters.", True),
        (1049600, "Count 32 x 32 outputs.", False),
        (0.7, "The overlap is 0.7 long.", True),
        (2.0548, "Two standard errors are about 2.05 points.", True),
        (2.0548, "Use p = 0.95.", False),
        ([3, 6, 9], "The paddings are 3, 6 and 9.", True),
        ([3, 6, 9], "A 3x3 kernel with dilation 3.", False),
        (7.0, "The weight is 7.", True),
        (7.0, "Read K at [a + 1, b + 1].", False),
    ],
)
def test_the_give_away_detector(answer, hint, leaks):
    assert bool(give_aways(answer, hint)) is leaks
