"""Answer boxes: type an answer, press Check (or Enter), read the feedback.

An answer box is plain HTML with a small script (``web/answer_box.js``)
and the exercise's :class:`~.spec.AnswerSpec` and hints as JSON. So it
works

- in the built book, with no kernel: the script judges the answer in the
  page, with the same rules and messages as :func:`~.registry.check` (a
  test compares them on every answer box and every planted mistake);
- in JupyterLab once the cell has run (JupyterLab does not run scripts in
  the stored outputs of an untrusted notebook).

The page remembers solved boxes in the browser's ``localStorage`` (nothing
leaves the machine); the "All exercises" page shows that progress.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from .feedback import CODE_NOTE, wrong
from .hinting import hints_for
from .registry import get_exercise
from .spec import NoAnswerSpec, answer_spec

__all__ = [
    "parse_answer",
    "answer_form",
    "AnswerBox",
    "box_script",
    "web_script",
]

_HERE = Path(__file__).resolve().parent

# A number as a learner types it: 3, -2.5, .5, 1e-3, 2.5E+4.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# One number with thousands separators: 70,400 or 1,234,567.5
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


class _Unreadable(ValueError):
    pass


def _tokens(source: str):
    i = 0
    while i < len(source):
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch in "[](),":
            yield ch
            i += 1
        else:
            match = _NUMBER.match(source, i)
            if match is None:
                raise _Unreadable(source)
            yield float(match.group())
            i = match.end()


def _items(tokens, pos, closing):
    """Parse items separated by commas or spaces up to ``closing`` (or the
    end when ``closing`` is None); return ``(items, next position)``."""
    items, comma_ok = [], False
    while pos < len(tokens):
        tok = tokens[pos]
        if isinstance(tok, str) and (
            tok == closing or (closing is None and tok in "])")
        ):
            break
        if tok == ",":
            if not comma_ok:
                raise _Unreadable("comma")
            comma_ok = False
            pos += 1
        elif tok in ("[", "("):
            inner, pos = _items(tokens, pos + 1, "]" if tok == "[" else ")")
            items.append(inner)
            comma_ok = True
        elif isinstance(tok, float):
            items.append(tok)
            comma_ok = True
            pos += 1
        else:
            raise _Unreadable(str(tok))
    if closing is not None:
        if pos >= len(tokens) or tokens[pos] != closing:
            raise _Unreadable("unclosed")
        pos += 1
    return items, pos


def parse_answer(text: str, kind: str | None = None):
    """Read what a learner typed into an answer box.

    Accepts a number (``2.5``, ``-3``, ``1e-3``, ``70,400`` with thousands
    separators when one number is expected), a list (``[1, 2, 3]``,
    ``1, 2, 3`` or ``1 2 3``) and nested lists (``[[1, 2], [3, 4]]``).
    ``kind`` is the exercise's answer kind (``"number"`` or ``"array"``):
    for an array ``70,400`` is the list ``[70, 400]``. Returns
    ``(value, None)``
    (numbers are floats) or ``(None, Feedback)`` explaining why the text
    could not be read. The answer boxes' JavaScript parses the same way.
    """
    if not isinstance(text, str) or not text.strip():
        return None, wrong("the answer box is empty.")
    source = text.strip().replace("\u2212", "-")
    if kind != "array" and _THOUSANDS.fullmatch(source):
        return float(source.replace(",", "")), None
    try:
        tokens = list(_tokens(source))
        items, pos = _items(tokens, 0, None)
        if pos != len(tokens) or not items:
            raise _Unreadable(source)
    except _Unreadable:
        return None, wrong(
            f'could not read "{source}" as numbers; write e.g. 2.5, '
            "[1, 2, 3] or [[1, 2], [3, 4]]."
        )
    return (items[0] if len(items) == 1 else items), None


def web_script(name: str) -> str:
    """The source of ``web/<name>.js`` (``progress`` or ``answer_box``)."""
    return (_HERE / "web" / f"{name}.js").read_text(encoding="utf-8")


def box_script() -> str:
    """The JavaScript of an answer box: progress, then the box itself."""
    return web_script("progress") + "\n" + web_script("answer_box")


class AnswerBox:
    """The answer box of one exercise (displays as HTML with its script)."""

    def __init__(self, exercise_id, description, placeholder):
        self.exercise_id = exercise_id
        self.description = description
        self.placeholder = placeholder
        try:
            self.spec = answer_spec(exercise_id)
        except NoAnswerSpec:
            self.spec = None
        self.hints = hints_for(exercise_id)

    def data(self) -> dict:
        """What the page's script gets: the spec (None for code), hints."""
        return {
            "id": self.exercise_id,
            "spec": None if self.spec is None else self.spec.to_json(),
            "hints": list(self.hints),
        }

    def _repr_html_(self) -> str:
        payload = json.dumps(
            self.data(), sort_keys=True, separators=(",", ":")
        ).replace("</", "<\\/")
        script = box_script()
        digest = hashlib.sha256(
            "\0".join(
                (payload, script, self.description, self.placeholder)
            ).encode()
        ).hexdigest()[:10]
        root = f"cab-{digest}"
        eid = html.escape(self.exercise_id)
        if self.spec is None:
            return (
                f'<div class="convlab-answer" id="{root}" '
                f'data-exercise="{eid}" data-kind="code">'
                f"<p>{html.escape(CODE_NOTE)}</p></div>"
            )
        hint_button = (
            '<button type="button" data-role="hint">Hint</button>'
            if self.hints
            else ""
        )
        return (
            f'<form class="convlab-answer" id="{root}" '
            f'data-exercise="{eid}" role="group" '
            f'aria-label="Answer box of exercise {eid}" novalidate>'
            f'<label for="{root}-input">{html.escape(self.description)}'
            "</label> "
            f'<input id="{root}-input" type="text" autocomplete="off" '
            f'spellcheck="false" size="28" '
            f'placeholder="{html.escape(self.placeholder)}"> '
            '<button type="submit" data-role="check">Check</button> '
            f"{hint_button}"
            '<p data-role="feedback" role="status" aria-live="polite">'
            "Type your answer and press Check (in JupyterLab, run this "
            "cell first).</p>"
            '<ol data-role="hints" aria-live="polite"></ol>'
            "</form>\n"
            f"<script>\n{script}\n"
            f'ConvlabAnswers.start("{root}", {payload});\n</script>'
        )

    def __repr__(self) -> str:
        return f"answer box of exercise {self.exercise_id!r}"


def answer_form(
    exercise_id: str,
    description: str = "Your answer:",
    placeholder: str = "e.g. [1, 2, 3]",
) -> AnswerBox:
    """An answer box (label, text box, Check and Hint buttons, feedback) for
    ``exercise_id``. Leave it as the last expression of a cell. Raises
    ``KeyError`` (with the closest ids) for an unknown exercise."""
    get_exercise(exercise_id)
    return AnswerBox(exercise_id, description, placeholder)
