"""Every exercise of the course, by id, with its checker, its reference answer
and the mistakes it is known to diagnose."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

from .feedback import Feedback, wrong

__all__ = [
    "Exercise",
    "EXERCISES",
    "register",
    "check",
    "get_exercise",
    "unknown_id_message",
]


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise.

    ``checker(answer) -> Feedback`` judges an answer. ``reference()`` returns a
    correct answer (a value, or a function for "write a function" exercises).
    ``planted`` lists typical wrong answers as ``(make_answer, fragment)``:
    ``make_answer()`` builds the wrong answer and ``fragment`` is a piece of
    text the feedback must contain. The test suite runs all of them.
    """

    id: str
    checker: Callable[[object], Feedback]
    reference: Callable[[], object]
    planted: tuple = field(default_factory=tuple)


EXERCISES: dict[str, Exercise] = {}


def register(exercise_id: str, reference: Callable[[], object], planted):
    """Decorator that registers a checker under ``exercise_id``."""
    planted = tuple(planted)
    if not planted:
        raise ValueError(
            f"exercise {exercise_id!r}: give at least one planted wrong answer to test the checker with."
        )

    def decorate(checker):
        if exercise_id in EXERCISES:
            raise ValueError(
                f"exercise id {exercise_id!r} is registered twice."
            )
        EXERCISES[exercise_id] = Exercise(
            exercise_id, checker, reference, planted
        )
        return checker

    return decorate


_loader = None  # convlab.exercises.load_all, handed over by the package


def set_loader(load) -> None:
    """The package ``convlab.exercises`` hands its ``load_all`` over here, so
    that a lookup can import every chapter's checkers first without this
    module importing the package that imports it (no import circle)."""
    global _loader
    _loader = load


def load_checkers() -> None:
    """Import every chapter's checker module (see ``load_all``)."""
    if _loader is not None:
        _loader()


def unknown_id_message(exercise_id) -> str:
    """Says that ``exercise_id`` is unknown and suggests the closest ids."""
    load_checkers()
    close = difflib.get_close_matches(
        str(exercise_id), list(EXERCISES), n=3, cutoff=0.5
    )
    if close:
        return (
            f"there is no exercise called {exercise_id!r}. "
            f"Did you mean {' or '.join(repr(c) for c in close)}?"
        )
    return (
        f"there is no exercise called {exercise_id!r}. Exercise ids are "
        "written above each exercise's check(...) cell, e.g. "
        "'dc-conv-by-hand'."
    )


def get_exercise(exercise_id: str) -> Exercise:
    """The registered exercise ``exercise_id``; ``KeyError`` (with the
    closest ids) if there is none."""
    load_checkers()
    exercise = EXERCISES.get(exercise_id)
    if exercise is None:
        raise KeyError(unknown_id_message(exercise_id))
    return exercise


def check(exercise_id: str, answer) -> Feedback:
    """Check ``answer`` for the exercise ``exercise_id`` and explain the verdict.

    Never raises: an unknown exercise, an answer of the wrong kind, or a
    learner's function that fails all come back as a ``Feedback`` that says so.
    """
    load_checkers()
    exercise = EXERCISES.get(exercise_id)
    if exercise is None:
        return wrong(unknown_id_message(exercise_id))
    try:
        return exercise.checker(answer)
    except (
        Exception
    ) as exc:  # a checker bug must not look like the learner's fault
        return wrong(
            f"the checker could not evaluate this answer ({type(exc).__name__}: {exc}). "
            "Check that it has the form the exercise asks for."
        )
