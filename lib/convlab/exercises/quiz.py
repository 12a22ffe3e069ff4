"""Conceptual questions that give feedback in the static HTML book too.

The questions are rendered by jupyterquiz, whose JavaScript is embedded in the
cell output, so they work in the built book without a running kernel. This
module checks the questions for mistakes before showing them, makes the output
deterministic (jupyterquiz names its container with a random id; here the id is
derived from the questions, so re-running a notebook changes nothing) and starts
the quiz only once the book's MathJax is ready.
"""

from __future__ import annotations

import hashlib
import json
import math

__all__ = ["validate_questions", "quiz_outputs", "show_quiz"]

# jupyterquiz's default palette, written out so that the look does not change with its version.
_COLOURS = {
    "--jq-multiple-choice-bg": "#392061",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-mc-button-border": "#e0e0e0e0",
    "--jq-mc-button-inset-shadow": "#555555",
    "--jq-many-choice-bg": "#f75c03ff",
    "--jq-numeric-bg": "#392061ff",
    "--jq-numeric-input-bg": "#c0c0c0",
    "--jq-numeric-input-label": "#101010",
    "--jq-numeric-input-shadow": "#999999",
    "--jq-string-bg": "#4c1a57",
    "--jq-incorrect-color": "#c80202",
    "--jq-correct-color": "#1e7b28",
    "--jq-text-color": "#fafafa",
    "--jq-link-color": "#9abafa",
}

_TYPES = {"multiple_choice", "many_choice", "numeric"}


def _is_number(x) -> bool:
    return (
        isinstance(x, (int, float))
        and not isinstance(x, bool)
        and math.isfinite(x)
    )


def _check_numeric(where, q, answers):
    """What jupyterquiz's numeric renderer needs (js/numeric.js): it calls
    ``value.toPrecision(precision)``, which throws unless precision is a
    whole number from 1 to 100 and the value a number; it compares ranges
    with ``>=`` and ``<``."""
    if "precision" in q:
        p = q["precision"]
        if not (isinstance(p, int) and not isinstance(p, bool)) or not (
            1 <= p <= 100
        ):
            raise ValueError(
                f"{where}: precision must be a whole number from 1 to 100 "
                f"(jupyterquiz passes it to JavaScript's toPrecision), got "
                f"{p!r}. Leave it out to compare whole numbers exactly."
            )
    for a in answers:
        kind = a.get("type")
        if kind not in ("value", "range", "default"):
            raise ValueError(
                f"{where}: a numeric answer's type is 'value', 'range' or "
                f"'default', got {kind!r}."
            )
        if kind == "value" and not _is_number(a.get("value")):
            raise ValueError(
                f"{where}: a 'value' answer needs a finite number as its "
                f"value, got {a.get('value')!r}."
            )
        if kind == "range":
            r = a.get("range")
            if not (
                isinstance(r, (list, tuple))
                and len(r) == 2
                and all(_is_number(x) for x in r)
                and r[0] < r[1]
            ):
                raise ValueError(
                    f"{where}: a 'range' answer needs [low, high] with "
                    f"low < high (low included, high excluded), got {r!r}."
                )
        if kind != "default" and "value" in a and "range" in a:
            raise ValueError(
                f"{where}: an answer has both a value and a range."
            )
        if a.get("correct") is None and kind != "default":
            raise ValueError(
                f"{where}: say whether each value or range is correct "
                '("correct": True or False).'
            )
    if not any(
        a.get("correct") and a.get("type") in ("value", "range")
        for a in answers
    ):
        raise ValueError(
            f"{where}: a numeric question needs a correct value or range."
        )


def validate_questions(questions) -> list:
    """Raise ``ValueError`` if a question is malformed or something
    jupyterquiz cannot display: unknown type, no correct answer, a choice
    without feedback or text, a numeric question without a correct value, a
    precision outside 1..100 (JavaScript's ``toPrecision`` throws), a value
    that is not a number or a range that is not ``[low, high]``."""
    if not isinstance(questions, list) or not questions:
        raise ValueError(
            "questions must be a non-empty list of question dicts."
        )
    for n, q in enumerate(questions, 1):
        if not isinstance(q, dict):
            raise ValueError(f"question {n} must be a dict, got {q!r}.")
        where = f"question {n} ({str(q.get('question', ''))[:40]!r})"
        if not isinstance(q.get("question"), str) or not q["question"]:
            raise ValueError(f"{where}: the question text is missing.")
        if q.get("type") not in _TYPES:
            raise ValueError(
                f"{where}: type must be one of {sorted(_TYPES)}, got {q.get('type')!r}."
            )
        answers = q.get("answers") or []
        if not answers or not all(isinstance(a, dict) for a in answers):
            raise ValueError(f"{where}: no answers given.")
        if q["type"] == "numeric":
            _check_numeric(where, q, answers)
        else:
            if any(
                not isinstance(a.get("answer"), str) or not a["answer"]
                for a in answers
            ):
                raise ValueError(
                    f"{where}: every choice needs its text ('answer')."
                )
            if not any(a.get("correct") for a in answers):
                raise ValueError(f"{where}: no answer is marked correct.")
            if (
                q["type"] == "multiple_choice"
                and sum(bool(a.get("correct")) for a in answers) != 1
            ):
                raise ValueError(
                    f"{where}: a multiple_choice question needs exactly one correct answer."
                )
            missing = [
                a.get("answer") for a in answers if not a.get("feedback")
            ]
            if missing:
                raise ValueError(
                    f"{where}: every choice needs feedback explaining it; missing for {missing}."
                )
    return questions


# jupyterquiz's script typesets with MathJax as soon as it runs. In the book, MathJax 3 loads after
# the page, and until it has started ``window.MathJax`` is only its configuration (no version), which
# that code does not expect. So the script is started once MathJax is ready, or at once where there is
# no MathJax 3 (JupyterLab). The function scope also lets two quizzes share a page.
_WRAPPER = """(function () {
  function start() {
%s
  }
  var waited = 0;
  (function whenReady() {
    var mj = window.MathJax;
    if (mj === undefined || (mj.version !== undefined && !mj.startup) || waited > 10000) { start(); return; }
    if (mj.startup && mj.startup.promise) { mj.startup.promise.then(start); return; }
    waited += 50;
    setTimeout(whenReady, 50);
  })();
})();
"""


def quiz_outputs(questions) -> tuple[str, str]:
    """Return the quiz's ``(html, javascript)``: jupyterquiz's container, styles and script, with a
    container id derived from the questions (so outputs are reproducible)."""
    from jupyterquiz.dynamic.loader import load_questions_script
    from jupyterquiz.dynamic.renderer import (
        build_script,
        build_styles,
        render_div,
    )

    from .forms import web_script

    validate_questions(questions)
    digest = hashlib.sha256(
        json.dumps(questions, sort_keys=True).encode()
    ).hexdigest()
    div_id = "quiz" + digest[:12]
    prefix, static, url = load_questions_script(questions, div_id)
    div = render_div(
        div_id, False, False, False, 1_000_000, 600, 10, "left"
    )
    styles = build_styles(div_id, _COLOURS)
    script = build_script(prefix, static, url, div_id, True)
    progress = web_script("progress")
    watch = f'\n    ConvlabProgress.watchQuiz("{div_id}");'
    return div + styles, progress + "\n" + _WRAPPER % (script + watch)


def show_quiz(questions) -> None:
    """Validate and display ``questions`` (jupyterquiz's format) as an interactive quiz."""
    from IPython.display import HTML, Javascript, display

    html, javascript = quiz_outputs(questions)
    display(HTML(html))
    display(Javascript(javascript))
