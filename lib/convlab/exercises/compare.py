"""Building blocks for checkers: compare a learner's answer with the expected one
and explain the difference. None of these functions raises on a bad answer."""

from __future__ import annotations

import numbers
from typing import Callable, Iterable, Sequence

import numpy as np

from .feedback import Feedback, correct, wrong

__all__ = [
    "as_numbers",
    "compare_array",
    "compare_number",
    "compare_function",
    "describe",
]

# A diagnosis pairs a plausible wrong answer with the explanation of that mistake.
Diagnosis = tuple[object, str]


def describe(value) -> str:
    """A short description of any value, for messages."""
    if value is None:
        return "None"
    if callable(value):
        return f"a function ({getattr(value, '__name__', type(value).__name__)})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 40 else text[:37] + '...'}"


def as_numbers(answer, what: str = "an array of numbers"):
    """Return ``(array, None)`` or ``(None, Feedback)`` explaining why ``answer``
    is not numeric."""
    if answer is None:
        return None, wrong(
            f"no answer yet (the answer is None). Replace None with {what}."
        )
    if callable(answer):
        return None, wrong(
            f"this exercise wants {what}, but you gave {describe(answer)}. Call it and pass its result."
        )
    if isinstance(answer, bool):
        return None, wrong(
            f"this exercise wants {what}, but you gave the boolean {answer}."
        )
    if isinstance(answer, (str, bytes)):
        return None, wrong(
            f"this exercise wants {what}, but you gave the text {answer!r}. Write numbers, not a string."
        )
    try:
        arr = np.asarray(answer, dtype=float)
    except ValueError:
        return None, wrong(
            f"your answer ({describe(answer)}) could not be read as a rectangular array of numbers; "
            "do all rows have the same length?"
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
    return arr.shape == candidate.shape and np.allclose(
        arr, candidate, atol=atol, rtol=rtol
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
    """Compare ``answer`` with ``expected`` (same shape, values within tolerance).

    ``diagnoses`` are known wrong answers with their explanation: an answer
    equal to one of them gets that explanation. ``shape_hints`` maps a wrong
    shape to an explanation (e.g. ``{(5,): "that is the length of 'valid' mode"}``).
    """
    arr, problem = as_numbers(answer, what)
    if problem is not None:
        return problem
    expected = np.asarray(expected, dtype=float)
    if _matches(arr, expected, atol, rtol):
        return correct()
    for candidate, message in diagnoses:
        if _matches(arr, candidate, atol, rtol):
            return wrong(message)
    if arr.ndim == 0 and expected.ndim > 0:
        return wrong(
            f"you gave a single number, but the answer is {what} of shape {expected.shape}."
        )
    if arr.shape != expected.shape:
        hint = (shape_hints or {}).get(arr.shape, "")
        return wrong(
            f"the shape is {arr.shape}, but it should be {expected.shape}. {hint}".strip()
        )
    bad = np.argwhere(~np.isclose(arr, expected, atol=atol, rtol=rtol))
    first = tuple(int(i) for i in bad[0])
    where = first[0] if len(first) == 1 else first
    return wrong(
        f"the shape is right but {len(bad)} of {arr.size} entries differ; the first is at index {where}: "
        f"you have {arr[first]:.6g}, expected {expected[first]:.6g}."
    )


def compare_number(
    answer,
    expected,
    diagnoses: Iterable[Diagnosis] = (),
    *,
    rtol=1e-3,
    atol=1e-9,
) -> Feedback:
    """Compare a single number, with the same diagnoses mechanism as :func:`compare_array`."""
    if isinstance(answer, bool):
        return wrong(
            f"this exercise wants a number, but you gave the boolean {answer}."
        )
    if isinstance(answer, (np.ndarray, list, tuple)):
        try:
            as_array = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return wrong(
                f"this exercise wants a single number, but you gave {describe(answer)}."
            )
        if as_array.size == 1:
            answer = as_array.item()
    if (
        answer is not None
        and not callable(answer)
        and not isinstance(answer, numbers.Number)
    ):
        return wrong(
            f"this exercise wants a single number, but you gave {describe(answer)}."
        )
    arr, problem = as_numbers(answer, "a number")
    if problem is not None:
        return problem
    value = float(arr)
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return correct()
    for candidate, message in diagnoses:
        if np.isclose(value, candidate, rtol=rtol, atol=atol):
            return wrong(message)
    return wrong(
        f"you have {value:.6g}; that is not it. Check the steps above and try again."
    )


def compare_function(
    func,
    cases: Sequence[tuple],
    reference: Callable,
    diagnoses: Sequence[tuple[Callable, str]] = (),
    **compare_kw,
) -> Feedback:
    """Call the learner's ``func`` on every argument tuple in ``cases`` and
    compare with ``reference``. ``diagnoses`` pairs wrong reference functions
    (e.g. one that forgets the flip) with their explanation."""
    if func is None:
        return wrong(
            "no answer yet (the function is None). Define the function and pass it in."
        )
    if not callable(func):
        return wrong(
            f"this exercise wants a function, but you gave {describe(func)}. Pass the function itself, without calling it."
        )
    for args in cases:
        shown = ", ".join(repr(np.asarray(a).tolist()) for a in args)
        try:
            result = func(*args)
        except Exception as exc:  # the learner's code may fail in any way
            return wrong(
                f"your function raised {type(exc).__name__}: {exc} when called with ({shown})."
            )
        if result is None:
            return wrong(
                f"no answer yet: your function returned None for ({shown}). "
                "Complete it so that it returns the result (did you forget a return statement?)."
            )
        verdict = compare_array(
            result,
            reference(*args),
            [(wrong_ref(*args), msg) for wrong_ref, msg in diagnoses],
            **compare_kw,
        )
        if not verdict.ok:
            return wrong(f"for input ({shown}): {verdict.message}")
    return correct(
        f"your function agrees with the reference on all {len(cases)} test inputs."
    )
