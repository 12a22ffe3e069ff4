"""``hint("exercise-id")``: the next hint for an exercise, one at a time.

The hints live in :data:`.hints.HINTS` (a nudge first, the key step last);
the web answer boxes reveal the same hints with their *Hint* button.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .hints import HINTS
from .registry import EXERCISES, load_checkers, unknown_id_message

__all__ = ["Hint", "hint", "hints_for", "reset_hints"]

# How many hints of each exercise this kernel has shown.
_SHOWN: dict[str, int] = {}


def hints_for(exercise_id: str) -> tuple[str, ...]:
    """Every hint of ``exercise_id``, in order (empty if it has none)."""
    return tuple(HINTS.get(exercise_id, ()))


@dataclass(frozen=True)
class Hint:
    """One hint as shown: ``number`` of ``total``; ``text`` says it."""

    exercise_id: str
    number: int
    total: int
    text: str

    def __str__(self) -> str:
        if self.total == 0:
            return self.text
        last = (
            " (that is the last hint)" if self.number == self.total else ""
        )
        return f"Hint {self.number} of {self.total}{last}: {self.text}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return (
            '<p style="border-left: 4px solid #3b6fb6; '
            'padding-left: 0.6em">'
            f"&#128161; {html.escape(str(self))}</p>"
        )


def hint(exercise_id: str) -> Hint:
    """The next hint for ``exercise_id``: the first call gives hint 1, the
    next call hint 2, and so on; after the last one it shows the last again.
    A mistyped id gets the closest ids."""
    load_checkers()
    if exercise_id not in EXERCISES:
        return Hint(str(exercise_id), 0, 0, unknown_id_message(exercise_id))
    hints = hints_for(exercise_id)
    if not hints:
        return Hint(
            exercise_id,
            0,
            0,
            f"there are no hints for {exercise_id!r} yet: reread the "
            "exercise's text and the chapter section it points to.",
        )
    n = min(_SHOWN.get(exercise_id, 0) + 1, len(hints))
    _SHOWN[exercise_id] = n
    return Hint(exercise_id, n, len(hints), hints[n - 1])


def reset_hints(exercise_id: str | None = None) -> None:
    """Start the hints of ``exercise_id`` (or of every exercise) again."""
    if exercise_id is None:
        _SHOWN.clear()
    else:
        _SHOWN.pop(exercise_id, None)
