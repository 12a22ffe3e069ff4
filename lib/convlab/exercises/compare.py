"""Building blocks for checkers: compare a learner's answer with the
expected one and explain the difference. None of these functions raises on
a bad answer.

:func:`compare_array` and :func:`compare_number` are *declarative*: each
call builds an :class:`~.spec.AnswerSpec` (expected value, tolerances,
known mistakes with their diagnoses, shape hints) and judges the answer
with it. The same spec is exported as JSON to the answer boxes of the web
book (:func:`~.spec.answer_spec`), whose JavaScript judges with the same
rules and the same messages, so the page and ``check()`` cannot disagree.
"""

from __future__ import annotations

import copy
import math
import numbers
import warnings
from typing import Callable, Iterable, Sequence

import numpy as np

from .feedback import CODE_NOTE, Feedback, correct, wrong
from .spec import AnswerSpec, capture_or_judge

__all__ = [
    "as_numbers",
    "compare_array",
    "compare_number",
    "compare_function",
    "describe",
    "format_number",
    "format_pair",
    "summarise",
]

# A diagnosis pairs a plausible wrong answer with the explanation of that mistake.
Diagnosis = tuple[object, str]


def format_number(x: float, digits: int = 6) -> str:
    """``x`` for a message: a whole number in full (``70400``), otherwise
    ``digits`` significant digits (Python's ``%g``). The answer boxes'
    JavaScript formats numbers the same way."""
    x = float(x)
    if not math.isfinite(x):
        return repr(x)
    if x == int(x) and abs(x) < 1e16:
        return str(int(x))
    return f"{x:.{digits}g}"


def format_pair(a: float, b: float) -> tuple[str, str]:
    """``a`` and ``b`` with as many digits as it takes to tell them apart
    (at least 6, at most 17)."""
    for digits in range(6, 18):
        left, right = format_number(a, digits), format_number(b, digits)
        if left != right:
            return left, right
    return format_number(a, 17), format_number(b, 17)


def _is_tensor(value) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(
        value, "detach"
    )


def _plain_numbers(value):
    """Tensors (with or without grad, on any device) become NumPy arrays;
    lists and tuples are converted entry by entry; anything else is
    returned as it is."""
    if _is_tensor(value):
        return value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)) and any(
        _is_tensor(v) or isinstance(v, (list, tuple)) for v in value
    ):
        return [_plain_numbers(v) for v in value]
    return value


def describe(value) -> str:
    """A short description of any value, for messages."""
    if value is None:
        return "None"
    if _is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)}"
    if callable(value):
        return f"a function ({getattr(value, '__name__', type(value).__name__)})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


def summarise(value, limit: int = 8) -> str:
    """A test input for a message: small arrays in full (as nested lists),
    larger ones as their shape and first few entries."""
    try:
        arr = np.asarray(_plain_numbers(value))
    except Exception:  # an input a checker built cannot fail, but be safe
        return describe(value)
    if arr.dtype == object:
        return describe(value)
    if arr.size <= limit:
        return repr(arr.tolist())
    first = ", ".join(
        format_number(v, 4) for v in arr.ravel()[:4].astype(float)
    )
    return f"an array of shape {arr.shape} starting {first}, ..."


def as_numbers(answer, what: str = "an array of numbers"):
    """Return ``(array, None)`` or ``(None, Feedback)`` explaining why ``answer``
    is not numeric. Tensors (also ones that require grad), lists of tensors
    and NumPy scalars are read as numbers."""
    if answer is None:
        return None, wrong(
            f"no answer yet (the answer is None). Replace None with {what}."
        )
    if callable(answer) and not _is_tensor(answer):
        return None, wrong(
            f"this exercise wants {what}, but you gave {describe(answer)}. "
            "Call it and pass its result."
        )
    if isinstance(answer, (bool, np.bool_)):
        return None, wrong(
            f"this exercise wants {what}, but you gave the boolean {answer}."
        )
    if isinstance(answer, (str, bytes)):
        return None, wrong(
            f"this exercise wants {what}, but you gave the text "
            f"{answer!r}. Write numbers, not a string."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(_plain_numbers(answer), dtype=float)
    except ValueError:
        return None, wrong(
            f"your answer ({describe(answer)}) could not be read as a "
            "rectangular array of numbers; do all rows have the same "
            "length?"
        )
    except TypeError:
        return None, wrong(
            f"your answer ({describe(answer)}) could not be read as numbers."
        )
    if not np.all(np.isfinite(arr)):
        return None, wrong("your answer contains NaN or infinity.")
    return arr, None


def _matches(arr, candidate, atol, rtol) -> bool:
    candidate = np.asarray(candidate, dtype=float)
    return arr.shape == candidate.shape and bool(
        np.all(np.abs(arr - candidate) <= atol + rtol * np.abs(candidate))
    )


def _shape(shape) -> str:
    return repr(tuple(int(n) for n in shape))


def judge_array(spec: AnswerSpec, answer) -> Feedback:
    """Judge ``answer`` with an array spec (see :func:`compare_array`)."""
    arr, problem = as_numbers(answer, spec.what)
    if problem is not None:
        return problem
    expected = np.asarray(spec.expected, dtype=float)
    atol, rtol = spec.atol, spec.rtol
    if _matches(arr, expected, atol, rtol):
        return correct()
    for candidate, message in spec.diagnoses:
        if _matches(arr, candidate, atol, rtol):
            return wrong(message)
    if arr.ndim == 0 and expected.ndim > 0:
        return wrong(
            f"you gave a single number, but the answer is {spec.what} "
            f"of shape {_shape(expected.shape)}."
        )
    if arr.shape != expected.shape:
        hint = dict(spec.shape_hints).get(tuple(arr.shape), "")
        return wrong(
            f"the shape is {_shape(arr.shape)}, but it should be "
            f"{_shape(expected.shape)}. {hint}".strip()
        )
    diff = np.abs(arr - expected)
    bad = np.argwhere(diff > atol + rtol * np.abs(expected))
    first = tuple(int(i) for i in bad[0])
    where = first[0] if len(first) == 1 else first
    have, want = format_pair(arr[first], expected[first])
    message = (
        f"the shape is right but {len(bad)} of {arr.size} entries differ; "
        f"the first is at index {where}: you have {have}, expected {want}"
    )
    if len(bad) > 1:
        worst = tuple(
            int(i) for i in np.unravel_index(diff.argmax(), diff.shape)
        )
        at = worst[0] if len(worst) == 1 else worst
        message += (
            f"; the largest difference is {format_number(diff[worst], 3)}"
            f" (at index {at})"
        )
    else:
        message += f" (a difference of {format_number(diff[first], 3)})"
    return wrong(message + ".")


def judge_number(spec: AnswerSpec, answer) -> Feedback:
    """Judge ``answer`` with a number spec (see :func:`compare_number`)."""
    if isinstance(answer, (bool, np.bool_)):
        return wrong(
            f"this exercise wants a number, but you gave the boolean {answer}."
        )
    answer = _plain_numbers(answer)
    if isinstance(answer, np.generic):
        answer = answer.item()
    if isinstance(answer, (np.ndarray, list, tuple)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                as_array = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return wrong(
                "this exercise wants a single number, but you gave "
                f"{describe(answer)}."
            )
        if as_array.size == 1:
            answer = as_array.item()
    if (
        answer is not None
        and not callable(answer)
        and not isinstance(answer, numbers.Number)
    ):
        return wrong(
            "this exercise wants a single number, but you gave "
            f"{describe(answer)}."
        )
    arr, problem = as_numbers(answer, "a number")
    if problem is not None:
        return problem
    value = float(arr)
    if spec.whole and value != round(value):
        return wrong(f"{spec.whole}, but you gave {format_number(value)}.")
    atol, rtol = spec.atol, spec.rtol
    expected = float(spec.expected)
    if abs(value - expected) <= atol + rtol * abs(expected):
        return correct()
    for candidate, message in spec.diagnoses:
        candidate = float(candidate)
        if abs(value - candidate) <= atol + rtol * abs(candidate):
            return wrong(message)
    return wrong(
        f"you have {format_number(value)}; that is not it. "
        "Check the steps above and try again."
    )


def compare_array(
    answer,
    expected,
    diagnoses: Iterable[Diagnosis] = (),
    *,
    atol=1e-6,
    rtol=1e-6,
    shape_hints: dict | None = None,
    what: str = "an array of numbers",
) -> Feedback:
    """Compare ``answer`` with ``expected`` (same shape, values within
    tolerance).

    ``diagnoses`` are known wrong answers with their explanation: an answer
    equal to one of them gets that explanation. ``shape_hints`` maps a wrong
    shape to an explanation (e.g.
    ``{(5,): "that is the length of 'valid' mode"}``).
    """
    spec = AnswerSpec.array(
        expected,
        diagnoses,
        atol=atol,
        rtol=rtol,
        shape_hints=shape_hints,
        what=what,
    )
    return capture_or_judge(spec, answer, judge_array)


def compare_number(
    answer,
    expected,
    diagnoses: Iterable[Diagnosis] = (),
    *,
    rtol=1e-3,
    atol=1e-9,
    whole: str = "",
) -> Feedback:
    """Compare a single number, with the same diagnoses mechanism as
    :func:`compare_array`. ``whole`` (e.g. "a length is a whole number of
    samples") makes a number with a fractional part wrong, for that
    reason."""
    spec = AnswerSpec.number(
        expected, diagnoses, atol=atol, rtol=rtol, whole=whole
    )
    return capture_or_judge(spec, answer, judge_number)


def compare_function(
    func,
    cases: Sequence[tuple],
    reference: Callable,
    diagnoses: Sequence[tuple[Callable, str]] = (),
    **compare_kw,
) -> Feedback:
    """Call the learner's ``func`` on every argument tuple in ``cases`` and
    compare with ``reference``. ``diagnoses`` pairs wrong reference functions
    (e.g. one that forgets the flip) with their explanation.

    The learner's function gets deep copies of the inputs (it may change
    them in place without spoiling the reference or the next test), and
    the reference and the diagnoses get fresh copies too."""
    if func is None:
        return wrong(
            "no answer yet (the function is None). Define the function "
            "and pass it in.",
            CODE_NOTE,
        )
    if not callable(func):
        return wrong(
            "this exercise wants a function, but you gave "
            f"{describe(func)}. Pass the function itself, without calling "
            "it."
        )
    for args in cases:
        shown = ", ".join(summarise(a) for a in args)
        try:
            result = func(*copy.deepcopy(args))
        except Exception as exc:  # the learner's code may fail in any way
            return wrong(
                f"your function raised {type(exc).__name__}: {exc} "
                f"when called with ({shown})."
            )
        if result is None:
            return wrong(
                f"no answer yet: your function returned None for ({shown}). "
                "Complete it so that it returns the result "
                "(did you forget a return statement?).",
                CODE_NOTE,
            )
        verdict = compare_array(
            result,
            reference(*copy.deepcopy(args)),
            [
                (wrong_ref(*copy.deepcopy(args)), msg)
                for wrong_ref, msg in diagnoses
            ],
            **compare_kw,
        )
        if not verdict.ok:
            return wrong(f"for input ({shown}): {verdict.message}")
    return correct(
        f"your function agrees with the reference on all {len(cases)} test inputs."
    )
