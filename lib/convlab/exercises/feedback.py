"""The result of checking an answer: a verdict and one line of explanation."""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Feedback", "correct", "wrong"]


@dataclass(frozen=True)
class Feedback:
    """What a checker says about an answer.

    ``ok`` is the verdict; ``message`` explains it in words a learner can act
    on. A ``Feedback`` is truthy when the answer is correct, and it displays as
    one line of text (in a notebook, as a coloured line).
    """

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return ("Correct! " if self.ok else "Not yet: ") + self.message

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#b35900"
        mark = "&#10004;" if self.ok else "&#10008;"
        return f'<p style="color:{colour}; font-weight:600">{mark} {html.escape(str(self))}</p>'


def correct(message: str = "well done.") -> Feedback:
    return Feedback(True, message)


def wrong(message: str) -> Feedback:
    return Feedback(False, message)
