"""The numbers a lesson's text states, and whether a cell of the same notebook prints them.

A number in the markdown of a lesson (math included) must appear in the stored text output of a
code cell of the same notebook, unless it is marked as quoted from a cited source. Checked are
numbers with a decimal point (``3.5``, ``0.0238``) and integers with three or more significant
digits (``224``, ``61,706``, ``1\\,769\\,472``); years (1900-2099) are exempt, and so are numbers in
inline code, in link targets and in HTML comments, and numbers that end a model name after a
hyphen (``ResNet-152``).

A quoted number is marked with an HTML comment in the same markdown cell, invisible in the book
and in JupyterLab::

    <!-- quoted from Howard et al. 2017, Table 8: 71.5, 69.8, 70.6 -->

The text before the colon names the source (it must not be empty); the numbers after it are
exempt in that cell, and each of them must occur in the cell's text, so a marker cannot outlive
its number.

Run ``python tests/prose_numbers.py [notebooks]`` for a report (counts and unmatched numbers), and
``python tests/prose_numbers.py --write-pending`` to rewrite the pending list.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "book").glob("part*/*.ipynb"))

# a number: digits with optional thousands separators (",", LaTeX "\," or "{,}"), optional
# decimals; not glued to letters, digits, dots or underscores on either side ("x" and "×" may
# follow: 224x224).
_SEP = r"(?:,|\\,|\{,\})"
NUMBER = re.compile(
    r"(?<![A-Za-wyz_\d.\\])(?<![A-Za-z]-)"
    r"(?P<int>\d{1,3}(?:" + _SEP + r"\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?"
    r"(?![A-Za-wyz_\d]|\.\d)"
)
QUOTED = re.compile(
    r"<!--\s*quoted from\s+(?P<source>[^:]*?)\s*:(?P<numbers>.*?)-->",
    re.DOTALL,
)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
TAG = re.compile(r"<[^>]+>")


def normalise(integer: str, frac: str | None) -> str:
    """'1\\,769\\,472' -> '1769472'; '3.50' -> '3.5'; '0.0' -> '0'."""
    digits = re.sub(_SEP, "", integer).lstrip("0") or "0"
    if frac is None:
        return digits
    frac = frac.rstrip("0")
    return f"{digits}.{frac}" if frac else digits


def significant_digits(integer: str) -> int:
    digits = re.sub(_SEP, "", integer).strip("0")
    return len(digits)


def is_checked(integer: str, frac: str | None) -> bool:
    """A decimal point, or three or more significant digits; years exempt."""
    if frac is not None:
        return True
    plain = re.sub(_SEP, "", integer)
    if re.fullmatch(r"(19|20)\d\d", integer):
        return False
    return significant_digits(plain) >= 3


def numbers_in(text: str, checked_only: bool = True) -> list[str]:
    found = []
    for m in NUMBER.finditer(text):
        if not checked_only or is_checked(m["int"], m["frac"]):
            found.append(normalise(m["int"], m["frac"]))
    return found


def prose(markdown: str) -> str:
    """The text whose numbers are checked: no HTML comments, code or link targets."""
    text = COMMENT.sub(" ", markdown)
    text = FENCE.sub(" ", text)
    text = CODE_SPAN.sub(" ", text)
    return LINK_TARGET.sub("]", text)


def output_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        for mime, value in out.get("data", {}).items():
            if mime.startswith("text/"):
                value = "".join(value) if isinstance(value, list) else value
                parts.append(
                    TAG.sub(" ", value) if mime == "text/html" else value
                )
    return "\n".join(parts)


@dataclass
class Report:
    notebook: Path
    found: int = 0
    printed: int = 0
    marked: int = 0
    unmatched: list = field(default_factory=list)  # (cell id, number)
    errors: list = field(default_factory=list)  # bad markers


def printed_numbers(nb: dict) -> set[str]:
    printed = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            printed.update(
                numbers_in(output_text(cell), checked_only=False)
            )
    return printed


def check_notebook(path: Path) -> Report:
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    printed = printed_numbers(nb)
    report = Report(Path(path))
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        text = prose(source)
        stated = numbers_in(text)
        quoted = set()
        for m in QUOTED.finditer(source):
            listed = numbers_in(m["numbers"], checked_only=False)
            if not m["source"].strip():
                report.errors.append(
                    (cell.get("id"), "a quoted marker names no source")
                )
            if not listed:
                report.errors.append(
                    (cell.get("id"), "a quoted marker lists no number")
                )
            all_in_text = set(numbers_in(text, checked_only=False))
            for n in listed:
                if n not in all_in_text:
                    report.errors.append(
                        (
                            cell.get("id"),
                            f"quoted {n} does not occur in the cell's text",
                        )
                    )
            quoted.update(listed)
        for n in stated:
            report.found += 1
            if n in printed:
                report.printed += 1
            elif n in quoted:
                report.marked += 1
            else:
                report.unmatched.append((cell.get("id"), n))
    return report


def main(paths: list[str]) -> None:
    reports = (
        [check_notebook(Path(p)) for p in paths]
        if paths
        else [check_notebook(p) for p in LESSONS]
    )
    total = [0, 0, 0]
    for r in reports:
        total[0] += r.found
        total[1] += r.printed
        total[2] += r.marked
        print(
            f"{r.notebook.name:55s} found {r.found:4d}  printed {r.printed:4d}  "
            f"marked {r.marked:3d}  unmatched {len(r.unmatched):3d}"
        )
        for cid, n in r.unmatched:
            print(f"    {cid}: {n}")
        for cid, e in r.errors:
            print(f"    ERROR {cid}: {e}")
    print(
        f"all: found {total[0]}, printed {total[1]}, marked {total[2]}, "
        f"unmatched {total[0] - total[1] - total[2]}"
    )


def write_pending() -> None:
    """Rewrite tests/prose_numbers_pending.json from the notebooks as they are (after merging
    lessons; look at what it adds first: the list should only shrink)."""
    pending = {}
    for path in LESSONS:
        report = check_notebook(path)
        if report.unmatched:
            pending[path.name] = sorted(n for _, n in report.unmatched)
    out = ROOT / "tests" / "prose_numbers_pending.json"
    out.write_text(json.dumps(pending, indent=1) + "\n")
    print(
        f"{sum(map(len, pending.values()))} pending numbers written to {out}"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-pending"]:
        write_pending()
    else:
        main(sys.argv[1:])
