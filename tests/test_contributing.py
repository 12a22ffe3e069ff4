"""The examples in CONTRIBUTING.md are valid as written."""

from __future__ import annotations

import re
from pathlib import Path

from convlab.exercises import validate_questions

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "CONTRIBUTING.md").read_text()


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def test_the_quiz_example_is_a_valid_quiz():
    (block,) = [b for b in _python_blocks() if "show_quiz(" in b]
    shown = []
    exec(block, {"show_quiz": shown.append})
    (questions,) = shown
    validate_questions(questions)
    for q in questions:
        if q["type"] == "numeric":
            assert q["precision"] >= 1


def test_the_documented_commands_exist():
    makefile = (ROOT / "Makefile").read_text()
    assert "test-one:" in makefile and "$(ARGS)" in makefile
    assert "make test NB=" in TEXT and 'make lab ARGS="' in TEXT
    assert "CHAPTER_MODULES" in TEXT and "hints.py" in TEXT
    for path in ("_toc.yml", "book/exercises.md", "book/index.md"):
        assert path in TEXT and (ROOT / path).exists()
