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


def test_where_code_goes_names_files_that_exist():
    """Every path in the "Where code goes" table exists (a ``<name>`` placeholder matches at
    least one file), so the table cannot keep pointing at a module that moved."""
    section = TEXT.split("## Where code goes", 1)[1].split("\n## ", 1)[0]
    lib = ROOT / "lib" / "convlab"
    paths = re.findall(r"`([\w<>*./-]+\.(?:py|js))`", section)
    assert len(paths) >= 10
    for path in paths:
        pattern = re.sub(r"<[^>]+>|\*", "*", path)
        bases = (ROOT, lib, lib / "explorers", lib / "exercises")
        found = [p for base in bases for p in base.glob(pattern)]
        assert found, f"CONTRIBUTING.md's 'Where code goes' names {path}"
