"""Small ipywidgets forms: type an answer, press Check, read the feedback."""

from __future__ import annotations

import ast

import ipywidgets as widgets

from .feedback import Feedback, wrong
from .registry import check

__all__ = ["parse_answer", "answer_form"]


def parse_answer(text: str):
    """Read what a learner typed: a number (``2.5``), a list (``[1, 2, 3]`` or
    ``1, 2, 3``) or a nested list. Returns ``(value, None)`` or
    ``(None, Feedback)`` explaining why the text could not be read."""
    if not isinstance(text, str) or not text.strip():
        return None, wrong("the answer box is empty.")
    source = text.strip()
    try:
        value = ast.literal_eval(source)
    except (ValueError, SyntaxError):
        try:  # "1 2 3" without commas
            value = [
                ast.literal_eval(tok)
                for tok in source.replace(",", " ").split()
            ]
        except (ValueError, SyntaxError):
            return None, wrong(
                f"could not read {source!r} as numbers; write e.g. 2.5 or [1, 2, 3]."
            )
    if isinstance(value, tuple):
        value = list(value)
    return value, None


def answer_form(
    exercise_id: str,
    description: str = "Answer:",
    placeholder: str = "e.g. [1, 2, 3]",
):
    """A text box, a Check button and a feedback line for ``exercise_id``.

    The feedback is what :func:`convlab.exercises.check` says about the parsed
    answer. Returns the ``ipywidgets.VBox`` (display it, or leave it as the last
    expression of a cell).
    """
    box = widgets.Text(
        description=description,
        placeholder=placeholder,
        layout=widgets.Layout(width="28em"),
        style={"description_width": "initial"},
    )
    button = widgets.Button(
        description="Check",
        button_style="primary",
        tooltip=f"check {exercise_id}",
    )
    feedback = widgets.HTML(
        value="<i>Type your answer and press Check.</i>"
    )

    def on_click(_):
        value, problem = parse_answer(box.value)
        verdict: Feedback = (
            problem if problem is not None else check(exercise_id, value)
        )
        feedback.value = verdict._repr_html_()

    button.on_click(on_click)
    return widgets.VBox([widgets.HBox([box, button]), feedback])
