"""The result of checking an answer: a verdict and one line of explanation."""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["Feedback", "correct", "wrong", "CODE_NOTE"]


@dataclass(frozen=True)
class Feedback:
    """What a checker says about an answer.

    ``ok`` is the verdict; ``message`` explains it in words a learner can act
    on. A ``Feedback`` is truthy when the answer is correct, and it displays as
    one line of text (in a notebook, as a coloured line).
    """

    ok: bool
    message: str
    note: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return ("Correct! " if self.ok else "Not yet: ") + self.message

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#b35900"
        mark = "&#10004;" if self.ok else "&#10008;"
        line = (
            f'<p style="color:{colour}; font-weight:600">{mark} '
            f"{html.escape(str(self))}</p>"
        )
        if self.note:
            line += (
                '<p class="convlab-note" style="font-size:0.9em">'
                f"{html.escape(self.note)}</p>"
            )
        return line


def correct(message: str = "well done.") -> Feedback:
    return Feedback(True, message)


def wrong(message: str, note: str = "") -> Feedback:
    return Feedback(False, message, note)


# Shown under "no answer yet" of an exercise that wants code: the web book
# cannot run it, so say where it is checked.
CODE_NOTE = (
    "This exercise asks for code, so it is checked in Jupyter, where "
    "check(...) runs your function. Reading the web book? Download this "
    "notebook (the download button at the top of the page) and open it in "
    "JupyterLab, or run make lab in the course folder."
)
