"""Answer specs: what a value exercise expects, declared once.

An :class:`AnswerSpec` holds everything a checker needs to judge a value
(a number or an array): the expected value, the tolerances, the known
mistakes with the diagnosis each one gets, the hints for wrong shapes and
the words that name the expected answer. :func:`~.compare.compare_array` and
:func:`~.compare.compare_number` build one and judge with it.

:func:`answer_spec` asks an exercise's checker for its spec (the checker is
called with a probe that stops at the spec) and :meth:`AnswerSpec.to_json`
writes it for the web page. The page's JavaScript (``answer_box.js``) judges
with the same rules and messages as Python; a test compares both on every
answer box and every planted mistake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["AnswerSpec", "answer_spec", "NoAnswerSpec"]


def _floats(value):
    """A float array from numbers, nested lists, arrays or tensors."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=float)


def _json(arr) -> object:
    """Nested lists of finite floats (what the page reads)."""
    arr = np.asarray(arr, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(
            "an exported answer spec must hold finite numbers."
        )
    return arr.tolist()


@dataclass(frozen=True)
class AnswerSpec:
    """The expected value of an exercise and the mistakes it diagnoses.

    ``kind`` is ``"array"`` (shape and every entry must match) or
    ``"number"`` (one number; ``whole``, when set, is the reason a number
    with a fractional part is wrong). Two values match when
    ``|answer - value| <= atol + rtol * |value|`` entry by entry.
    """

    kind: str
    expected: object
    diagnoses: tuple = field(default_factory=tuple)
    atol: float = 1e-6
    rtol: float = 1e-6
    shape_hints: tuple = field(default_factory=tuple)
    what: str = "an array of numbers"
    whole: str = ""

    @classmethod
    def array(
        cls, expected, diagnoses=(), *, atol, rtol, shape_hints, what
    ):
        return cls(
            "array",
            _floats(expected),
            tuple((_floats(c), str(m)) for c, m in diagnoses),
            float(atol),
            float(rtol),
            tuple(
                (tuple(int(n) for n in shape), str(m))
                for shape, m in (shape_hints or {}).items()
            ),
            str(what),
        )

    @classmethod
    def number(cls, expected, diagnoses=(), *, atol, rtol, whole=""):
        return cls(
            "number",
            float(_floats(expected)),
            tuple((float(_floats(c)), str(m)) for c, m in diagnoses),
            float(atol),
            float(rtol),
            (),
            "a number",
            str(whole),
        )

    def to_json(self) -> dict:
        """The spec as plain JSON data (what the web page reads)."""
        for x in (self.atol, self.rtol):
            if not math.isfinite(x):
                raise ValueError("tolerances must be finite.")
        return {
            "kind": self.kind,
            "expected": _json(self.expected),
            "diagnoses": [[_json(c), m] for c, m in self.diagnoses],
            "atol": self.atol,
            "rtol": self.rtol,
            "shape_hints": [[list(s), m] for s, m in self.shape_hints],
            "what": self.what,
            "whole": self.whole,
        }


class NoAnswerSpec(ValueError):
    """The exercise is not judged by one value spec (e.g. it wants code)."""


class _Probe:
    """Handed to a checker by :func:`answer_spec` instead of an answer."""


class _Captured(Exception):
    def __init__(self, spec):
        super().__init__("spec captured")
        self.spec = spec


_PROBE = _Probe()


def capture_or_judge(spec: AnswerSpec, answer, judge):
    """Judge ``answer`` with ``spec``; when ``answer`` is the probe of
    :func:`answer_spec`, hand the spec back instead."""
    if answer is _PROBE:
        raise _Captured(spec)
    return judge(spec, answer)


def answer_spec(exercise_id: str) -> AnswerSpec:
    """The :class:`AnswerSpec` that the checker of ``exercise_id`` judges
    with. Raises :class:`NoAnswerSpec` for an exercise that is not judged by
    a single value spec (a function to write, a module to build...)."""
    from .registry import get_exercise

    exercise = get_exercise(exercise_id)
    try:
        exercise.checker(_PROBE)
    except _Captured as captured:
        return captured.spec
    except Exception as exc:
        raise NoAnswerSpec(
            f"exercise {exercise_id!r} is not judged by one value "
            f"({type(exc).__name__}: {exc})."
        ) from None
    raise NoAnswerSpec(
        f"exercise {exercise_id!r} is not judged by one value: its checker "
        "does not call compare_array or compare_number on the answer."
    )
