"""One letter, one meaning for the 1-D discrete convolution.

Chapter 2 fixes the letters: ``y[t] = sum_m x[m] k[t - m]``, with ``t`` the
output index, ``m`` the summation index, ``n`` the length of the input and
``n_k`` the length of the kernel. A lesson, exercise, checker message, hint,
docstring or CONTRIBUTING example that writes the same sum with ``n`` as the
output index (``y[n]``, ``k[n - m]``) or ``m`` as the kernel length
(``n + m - 1``) would give a letter two meanings; these tests find them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "convlab"

# Text a reader sees besides the notebooks: every docstring, checker message,
# hint and explorer of the library, and the Markdown pages (CONTRIBUTING too).
TEXT_FILES = sorted(
    [*LIB.rglob("*.py"), *LIB.rglob("*.js"), *ROOT.glob("*.md")]
    + list((ROOT / "book").glob("*.md"))
)

# n as the output index of a 1-D sequence: y[n], x[n - 1], k[n-m],
# k[(n - m) mod N]. Batched tensors (y[n, o, i, j]) do not match.
N_AS_INDEX = re.compile(r"(?<![\w.])[xyk]\[\(?n\s*[\]+\-)]")
# m as the kernel length: n + m - 1 (full) and n - m + 1 (valid).
M_AS_LENGTH = re.compile(r"\bn\s*[+-]\s*m\s*[+-]\s*1\b")

WHY = (
    "chapter 2 writes the 1-D convolution as y[t] = sum_m x[m] k[t - m]: "
    "t is the output index, m the summation index, n the input length, "
    "n_k the kernel length"
)


def notebooks():
    return sorted(
        list((ROOT / "book").rglob("*.ipynb"))
        + list((ROOT / "exercises").rglob("*.ipynb"))
    )


def offending(text: str) -> list[str]:
    """The snippets of ``text`` that give n or m a second meaning."""
    found = []
    for pattern in (N_AS_INDEX, M_AS_LENGTH):
        for match in pattern.finditer(text):
            start = max(match.start() - 30, 0)
            found.append(text[start : match.end() + 20].replace("\n", " "))
    return found


def test_the_patterns_catch_the_old_notation_and_spare_the_new():
    for old in (
        "y[n] = sum_m x[m] k[n - m]",
        "$(x * k)[n] = \\sum_m x[m]\\,k[n-m]$",
        "k[(n - m) mod 4]",
        "2 x[n] + x[n+1]",
        "the full result has n + m - 1 values",
        "valid has n - m + 1 outputs",
    ):
        assert offending(old), old
    for new in (
        "y[t] = sum_m x[m] k[t - m]",
        "length n + n_k - 1",
        "valid n - n_k + 1",
        "y[n, o, i, j] = sum_c x[n, c, i + a, j + b] w[o, c, a, b]",
        "results[n] = err; cost[n].macs; KERNELS[n]",
    ):
        assert not offending(new), new


@pytest.mark.parametrize(
    "path", notebooks(), ids=lambda p: str(p.relative_to(ROOT))
)
def test_notebook_uses_the_letters_of_chapter_2(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    problems = [
        f"cell {cell.get('id')}: ...{snippet}..."
        for cell in cells
        for snippet in offending("".join(cell["source"]))
    ]
    assert not problems, f"{WHY}; found:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "path", TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT))
)
def test_library_text_uses_the_letters_of_chapter_2(path):
    problems = offending(path.read_text(encoding="utf-8"))
    assert not problems, f"{WHY}; found:\n" + "\n".join(problems)
